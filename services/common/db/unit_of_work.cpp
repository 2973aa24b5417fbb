#include "db/unit_of_work.hpp"

#include <pqxx/except>

#include <algorithm>
#include <string>
#include <thread>

#include "error.hpp"

namespace regie::db {
namespace {

const char* BeginStatement(const WorkOptions& options) {
  switch (options.isolation) {
    case Isolation::kReadCommitted:
      return options.read_only ? "SET TRANSACTION ISOLATION LEVEL READ COMMITTED, READ ONLY"
                               : "SET TRANSACTION ISOLATION LEVEL READ COMMITTED";
    case Isolation::kRepeatableRead:
      return options.read_only ? "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"
                               : "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ";
    case Isolation::kSerializable:
      return options.read_only ? "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY"
                               : "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE";
  }
  return "";
}

long MillisecondsLeft(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return static_cast<long>(left.count());
}

void ThrowIfExpired(Clock::time_point deadline) {
  if (MillisecondsLeft(deadline) <= 0) {
    throw Error(ErrorCode::kDeadlineExceeded, "DEADLINE_EXCEEDED",
                "the deadline passed before the database work could run");
  }
}

void RunOnce(ConnectionPool::Lease& lease, Clock::time_point deadline, const WorkOptions& options,
             const std::function<void(Work&)>& body) {
  Work tx(lease.connection());
  // One round trip for both settings. statement_timeout 0 would mean "no limit": keep at least
  // one millisecond.
  tx.exec0(std::string(BeginStatement(options)) + "; SET LOCAL statement_timeout = " +
           std::to_string(std::max(1L, MillisecondsLeft(deadline))));
  body(tx);
  tx.commit();
}

}  // namespace

void RunTransaction(ConnectionPool& pool, Clock::time_point deadline, const WorkOptions& options,
                    const std::function<void(Work&)>& body) {
  bool retried_broken = false;
  for (int attempt = 1;; ++attempt) {
    ThrowIfExpired(deadline);
    auto lease = pool.Acquire(deadline);
    try {
      RunOnce(lease, deadline, options, body);
      return;
    } catch (const pqxx::in_doubt_error&) {
      lease.MarkBroken();
      throw;  // the commit may or may not have happened: never retry blindly
    } catch (const pqxx::statement_completion_unknown&) {
      lease.MarkBroken();
      throw;
    } catch (const pqxx::serialization_failure&) {
      if (attempt >= options.max_attempts) {
        throw;
      }
    } catch (const pqxx::deadlock_detected&) {
      if (attempt >= options.max_attempts) {
        throw;
      }
    } catch (const pqxx::broken_connection&) {
      lease.MarkBroken();
      if (!lease.reused() || retried_broken) {
        throw;
      }
      retried_broken = true;  // it died while idle in the pool: try a fresh connection once
      continue;
    } catch (...) {
      if (!lease.connection().is_open()) {
        lease.MarkBroken();
      }
      throw;
    }
    // Back off a little before retrying a conflict, so the other transaction can finish.
    std::this_thread::sleep_for(std::chrono::milliseconds(5 * attempt));
  }
}

}  // namespace regie::db
