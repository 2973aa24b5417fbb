#pragma once

// Whether a hot standby may serve the reads that tolerate staleness (docs/scaling.md): the
// process measures it about once a second (Check), and the standby's pool asks (usable) before
// every connection it hands out.

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "db/pool.hpp"

namespace regie::db {

// One measurement of a standby against its primary.
struct ReplicaState {
  bool in_recovery = false;  // false: it is a primary itself (promoted), and current
  double bytes_behind = 0;   // the primary's WAL position minus the standby's replay position
  double replay_age_s = 0;   // seconds since the last transaction the standby replayed
};

// Fit for reads when not behind the primary at all, or behind by at most `max_lag` of replay.
bool FitForReads(const ReplicaState& state, std::chrono::milliseconds max_lag);
// The staleness a reader may see, in seconds: 0 when caught up.
double LagSeconds(const ReplicaState& state);

class ReplicaMonitor {
 public:
  ReplicaMonitor(std::string replica_dsn, std::chrono::milliseconds max_lag);

  // Measures the standby against `primary` once; never throws (an unreachable standby or primary
  // makes the standby unusable until a measurement succeeds).
  void Check(ConnectionPool& primary, Clock::time_point deadline);
  bool usable() const { return usable_; }
  // The standby could not be reached between measurements (its pool says so).
  void MarkUnreachable() { usable_ = false; }
  // Seconds the standby is behind, or nullopt when unknown (never measured, or unreachable).
  std::optional<double> lag_seconds() const;

 private:
  const std::string dsn_;
  const std::chrono::milliseconds max_lag_;
  std::atomic<bool> usable_{false};
  std::atomic<double> lag_{-1};  // seconds; negative: unknown (read by scrapes, never blocking)
  std::mutex mutex_;             // one Check at a time
  std::unique_ptr<pqxx::connection> connection_;  // the monitor's own, to the standby
};

}  // namespace regie::db
