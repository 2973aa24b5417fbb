#pragma once

// A bounded pool of PostgreSQL connections (libpqxx 6.4 has none;
// docs/adr/0001-connection-pool.md).
//
// At most `max_size` connections exist. Acquire() hands out an idle one or opens a new one, and
// otherwise waits until the deadline (then RESOURCE_EXHAUSTED). A connection that broke is never
// returned to the pool, and the idle ones are closed with it (what broke one, a restart, a
// failover or the network, broke them too): the next Acquire() opens a fresh one, which is how the
// pool recovers after the database comes back. Every new connection runs `on_connect` (session
// settings, prepared statements) before use.

#include <pqxx/connection>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace regie::db {

using Clock = std::chrono::steady_clock;

class ConnectionPool;

struct PoolOptions {
  std::string dsn;
  int max_size = 8;
  std::function<void(pqxx::connection&)> on_connect;
  // A pool of a hot standby for reads that tolerate staleness (docs/scaling.md): while `usable()`
  // says no, or when a connection cannot be opened or breaks, Acquire() hands out a connection of
  // `fallback` (the primary's pool) instead, and `unreachable()` is told so that `usable()` says
  // no until the standby is measured fit again. All three or none.
  ConnectionPool* fallback = nullptr;
  std::function<bool()> usable{};
  std::function<void()> unreachable{};
};

struct PoolStats {
  int open = 0;  // connections that exist (idle or leased)
  int idle = 0;
  int waiting = 0;  // callers waiting in Acquire()
  std::uint64_t opened_total = 0;
  std::uint64_t discarded_total = 0;
  std::uint64_t timeouts_total = 0;
};

class ConnectionPool {
  // An idle connection and its session's statement_timeout (Lease::statement_timeout_ms).
  struct Idle {
    std::unique_ptr<pqxx::connection> connection;
    long statement_timeout_ms = 0;
  };

 public:
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();

    pqxx::connection& connection() { return *connection_; }
    // True when the connection had been used before (it may have broken while idle).
    bool reused() const { return reused_; }
    // The connection must not go back to the pool (it broke, or its state is unknown).
    void MarkBroken() { broken_ = true; }
    // The session's statement_timeout in milliseconds as last set through this field (0: never,
    // the server's default); it stays with the connection in the pool.
    long statement_timeout_ms() const { return statement_timeout_ms_; }
    void set_statement_timeout_ms(long ms) { statement_timeout_ms_ = ms; }

   private:
    friend class ConnectionPool;
    Lease(ConnectionPool* pool, std::unique_ptr<pqxx::connection> connection, bool reused,
          long statement_timeout_ms);

    ConnectionPool* pool_;
    std::unique_ptr<pqxx::connection> connection_;
    bool reused_;
    bool broken_ = false;
    long statement_timeout_ms_;
  };

  explicit ConnectionPool(PoolOptions options);
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;
  // All leases must have been returned.
  ~ConnectionPool();

  // Throws Error(RESOURCE_EXHAUSTED, POOL_EXHAUSTED) when no connection frees up before
  // `deadline`, and pqxx::broken_connection when a new connection cannot be opened.
  Lease Acquire(Clock::time_point deadline);

  PoolStats stats() const;

 private:
  Lease AcquireOwn(Clock::time_point deadline);
  void Release(Idle idle, bool broken);
  std::unique_ptr<pqxx::connection> Open();

  const PoolOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::vector<Idle> idle_;
  PoolStats stats_;
};

}  // namespace regie::db
