#pragma once

// Which pool serves the transactions of a call whose caller never writes (docs/scaling.md,
// docs/adr/0014-standby-reads.md).
//
// A caller that only reads (an auditor: the access policy gives the role no RPC with side
// effects) has no write of its own to read back, so every read of its calls may be served by a
// hot standby. The RPC boundary opens a StandbyReads::Scope around such a call; while it is open,
// on the call's thread, RunTransaction takes the connection of every read-only transaction on the
// primary's pool from the standby's pool instead (which itself falls back to the primary while
// the standby is unfit). A read-write or serializable transaction stays on the primary (a hot
// standby refuses both) and is counted, so that a test can show that none happens.
//
// Everything else (writes, and every read of a caller that writes) stays on the primary, so
// read-your-writes holds for the callers who write.

#include <atomic>
#include <cstdint>

#include "db/pool.hpp"

namespace regie::db {

struct WorkOptions;

class StandbyReads {
 public:
  StandbyReads(ConnectionPool& primary, ConnectionPool& standby)
      : primary_(primary), standby_(standby) {}
  StandbyReads(const StandbyReads&) = delete;
  StandbyReads& operator=(const StandbyReads&) = delete;

  // Routes the read-only transactions of the current thread until it is destroyed.
  class Scope {
   public:
    explicit Scope(StandbyReads& reads);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    StandbyReads* previous_;
  };

  // The pool a transaction with `options` on `pool` takes its connection from on this thread.
  static ConnectionPool& PoolFor(ConnectionPool& pool, const WorkOptions& options);

  // Transactions of read-only callers' calls sent to the standby's pool, and kept on the primary.
  std::uint64_t routed_total() const { return routed_; }
  std::uint64_t kept_on_primary_total() const { return kept_; }

 private:
  ConnectionPool& primary_;
  ConnectionPool& standby_;
  std::atomic<std::uint64_t> routed_{0};
  std::atomic<std::uint64_t> kept_{0};
};

}  // namespace regie::db
