#include "db/pool.hpp"

#include <pqxx/except>

#include <stdexcept>

#include "error.hpp"

namespace regie::db {

ConnectionPool::Lease::Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> connection,
                             bool reused, long statement_timeout_ms)
    : pool_(pool),
      connection_(std::move(connection)),
      reused_(reused),
      statement_timeout_ms_(statement_timeout_ms) {}

ConnectionPool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_),
      connection_(std::move(other.connection_)),
      reused_(other.reused_),
      broken_(other.broken_),
      statement_timeout_ms_(other.statement_timeout_ms_) {
  other.pool_ = nullptr;
}

ConnectionPool::Lease::~Lease() {
  if (pool_ != nullptr && connection_) {
    pool_->Release({std::move(connection_), statement_timeout_ms_}, broken_);
  }
}

ConnectionPool::ConnectionPool(PoolOptions options) : options_(std::move(options)) {
  if (options_.max_size < 1) {
    throw std::invalid_argument("the pool needs at least one connection");
  }
}

ConnectionPool::~ConnectionPool() = default;

std::unique_ptr<pqxx::connection> ConnectionPool::Open() {
  auto connection = std::make_unique<pqxx::connection>(options_.dsn);
  // A broken connection is discarded, never silently re-opened by libpqxx with lost session state.
  // libpqxx 6.4 marks this deprecated because reactivation itself is on its way out (7.x has none);
  // until then it is the only way to switch reactivation off.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
  connection->inhibit_reactivation(true);
#pragma GCC diagnostic pop
  if (options_.on_connect) {
    options_.on_connect(*connection);
  }
  return connection;
}

ConnectionPool::Lease ConnectionPool::Acquire(Clock::time_point deadline) {
  if (options_.fallback == nullptr) {
    return AcquireOwn(deadline);
  }
  if (!options_.usable()) {
    return options_.fallback->Acquire(deadline);
  }
  try {
    return AcquireOwn(deadline);
  } catch (const pqxx::broken_connection&) {
    options_.unreachable();
    return options_.fallback->Acquire(deadline);
  }
}

ConnectionPool::Lease ConnectionPool::AcquireOwn(Clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  ++stats_.waiting;
  while (idle_.empty() && stats_.open >= options_.max_size) {
    if (available_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        stats_.open >= options_.max_size) {
      --stats_.waiting;
      ++stats_.timeouts_total;
      throw Error(ErrorCode::kResourceExhausted, "POOL_EXHAUSTED",
                  "no database connection became free before the deadline");
    }
  }
  --stats_.waiting;
  if (!idle_.empty()) {
    auto idle = std::move(idle_.back());
    idle_.pop_back();
    return Lease(this, std::move(idle.connection), /*reused=*/true, idle.statement_timeout_ms);
  }
  ++stats_.open;  // reserve the slot, then connect without holding the lock
  lock.unlock();
  try {
    auto connection = Open();
    lock.lock();
    ++stats_.opened_total;
    return Lease(this, std::move(connection), /*reused=*/false, /*statement_timeout_ms=*/0);
  } catch (...) {
    if (!lock.owns_lock()) {
      lock.lock();
    }
    --stats_.open;
    available_.notify_one();
    throw;
  }
}

void ConnectionPool::Release(Idle idle, bool broken) {
  const bool keep = !broken && idle.connection->is_open();
  if (!keep) {
    idle.connection.reset();  // close before taking the lock
  }
  std::vector<Idle> dropped;
  {
    std::lock_guard lock(mutex_);
    if (keep) {
      idle_.push_back(std::move(idle));
    } else {
      --stats_.open;
      ++stats_.discarded_total;
      // A connection breaks when the server restarted, failed over or ended the sessions, or the
      // network failed: the idle ones most likely broke too. Drop them, so that the next caller
      // (the unit of work's retry among them) connects afresh instead of finding them one by one;
      // a standby's reads go to the primary until the standby is measured fit again.
      dropped.swap(idle_);
      stats_.open -= static_cast<int>(dropped.size());
      stats_.discarded_total += dropped.size();
    }
    available_.notify_all();
  }
  if (!keep && options_.fallback != nullptr) {
    options_.unreachable();
  }
}

PoolStats ConnectionPool::stats() const {
  std::lock_guard lock(mutex_);
  PoolStats stats = stats_;
  stats.idle = static_cast<int>(idle_.size());
  return stats;
}

}  // namespace regie::db
