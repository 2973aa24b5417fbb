#include "db/standby_reads.hpp"

#include "db/unit_of_work.hpp"

namespace regie::db {
namespace {

// The routing of the call running on this thread; nullptr outside a Scope. gRPC's synchronous
// server runs each call's handler on one thread from start to end.
thread_local StandbyReads* current = nullptr;

}  // namespace

StandbyReads::Scope::Scope(StandbyReads& reads) : previous_(current) { current = &reads; }

StandbyReads::Scope::~Scope() { current = previous_; }

ConnectionPool& StandbyReads::PoolFor(ConnectionPool& pool, const WorkOptions& options) {
  if (current == nullptr || &pool != &current->primary_) {
    return pool;
  }
  if (options.read_only && options.isolation != Isolation::kSerializable) {
    ++current->routed_;
    return current->standby_;
  }
  ++current->kept_;
  return pool;
}

}  // namespace regie::db
