#include "db/replica.hpp"

#include <spdlog/spdlog.h>

#include <pqxx/pqxx>

namespace regie::db {

bool FitForReads(const ReplicaState& state, std::chrono::milliseconds max_lag) {
  if (!state.in_recovery || state.bytes_behind <= 0) {
    return true;
  }
  return state.replay_age_s * 1000.0 <= static_cast<double>(max_lag.count());
}

double LagSeconds(const ReplicaState& state) {
  return !state.in_recovery || state.bytes_behind <= 0 ? 0.0 : state.replay_age_s;
}

ReplicaMonitor::ReplicaMonitor(std::string replica_dsn, std::chrono::milliseconds max_lag)
    : dsn_(std::move(replica_dsn)), max_lag_(max_lag) {}

void ReplicaMonitor::Check(ConnectionPool& primary, Clock::time_point deadline) {
  const std::lock_guard lock(mutex_);
  const bool was_usable = usable_;
  try {
    std::string primary_lsn;
    {
      auto lease = primary.Acquire(deadline);
      pqxx::nontransaction tx(lease.connection());
      primary_lsn = tx.exec1("SELECT pg_current_wal_lsn()::text")[0].as<std::string>();
    }
    if (!connection_ || !connection_->is_open()) {
      connection_ = std::make_unique<pqxx::connection>(dsn_);
    }
    pqxx::nontransaction tx(*connection_);
    const auto row = tx.exec1(
        "SELECT pg_is_in_recovery(), "
        "coalesce(pg_wal_lsn_diff(" +
        tx.quote(primary_lsn) +
        ", pg_last_wal_replay_lsn()), 0), "
        "coalesce(extract(epoch FROM now() - pg_last_xact_replay_timestamp()), 0)");
    const ReplicaState state{row[0].as<bool>(), row[1].as<double>(), row[2].as<double>()};
    lag_ = LagSeconds(state);
    usable_ = FitForReads(state, max_lag_);
  } catch (const std::exception& e) {
    connection_.reset();
    lag_ = -1;
    usable_ = false;
    if (was_usable) {
      spdlog::warn("read replica not usable, reads go to the primary: {}", e.what());
    }
    return;
  }
  if (usable_ != was_usable) {
    if (usable_) {
      spdlog::info("read replica usable (behind by {:.1f} s)", lag_.load());
    } else {
      spdlog::warn("read replica {:.1f} s behind, more than {} ms: reads go to the primary",
                   lag_.load(), max_lag_.count());
    }
  }
}

std::optional<double> ReplicaMonitor::lag_seconds() const {
  const double lag = lag_;
  return lag < 0 ? std::nullopt : std::optional(lag);
}

}  // namespace regie::db
