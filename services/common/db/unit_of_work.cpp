#include "db/unit_of_work.hpp"

#include <pqxx/except>

#include <algorithm>
#include <cstdint>
#include <string>
#include <thread>

#include "db/standby_reads.hpp"
#include "error.hpp"

namespace regie::db {
namespace {

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

// The session's statement_timeout must not exceed the time left, so that PostgreSQL stops when the
// client gives up. It is a session setting rather than SET LOCAL so that it costs a round trip only
// when it must change: when it exceeds the time left, or is under half of it (most calls come
// with similar deadlines). Set inside the transaction, it persists after COMMIT and reverts on
// ROLLBACK, which is why the lease learns the new value only after the commit.
template <typename Transaction>
void RunIn(ConnectionPool::Lease& lease, Clock::time_point deadline,
           const std::function<void(Work&)>& body) {
  // libpqxx 6.4 begins with the isolation level and access mode in one round trip.
  Transaction tx(lease.connection());
  const long left = std::max(1L, MillisecondsLeft(deadline));  // 0 would mean "no limit"
  const long current = lease.statement_timeout_ms();
  const bool change = current == 0 || current > left || current < left / 2;
  if (change) {
    tx.exec0("SET statement_timeout = " + std::to_string(left));
  }
  body(tx);
  tx.commit();
  if (change) {
    lease.set_statement_timeout_ms(left);
  }
}

void RunOnce(ConnectionPool::Lease& lease, Clock::time_point deadline, const WorkOptions& options,
             const std::function<void(Work&)>& body) {
  using pqxx::read_only;
  using pqxx::read_write;
  if (options.single_statement) {
    return RunIn<pqxx::nontransaction>(lease, deadline, body);
  }
  switch (options.isolation) {
    case Isolation::kReadCommitted:
      return options.read_only
                 ? RunIn<pqxx::transaction<pqxx::read_committed, read_only>>(lease, deadline, body)
                 : RunIn<pqxx::transaction<pqxx::read_committed, read_write>>(lease, deadline,
                                                                              body);
    case Isolation::kRepeatableRead:
      return options.read_only
                 ? RunIn<pqxx::transaction<pqxx::repeatable_read, read_only>>(lease, deadline, body)
                 : RunIn<pqxx::transaction<pqxx::repeatable_read, read_write>>(lease, deadline,
                                                                               body);
    case Isolation::kSerializable:
      return options.read_only
                 ? RunIn<pqxx::transaction<pqxx::serializable, read_only>>(lease, deadline, body)
                 : RunIn<pqxx::transaction<pqxx::serializable, read_write>>(lease, deadline, body);
  }
}

}  // namespace

pqxx::binarystring ByteaArray(const std::vector<std::string>& elements) {
  // array_recv's input: dimensions, a flag for NULL elements, the element type's oid, then per
  // dimension its length and lower bound, then each element's length and bytes; big-endian.
  constexpr std::uint32_t kByteaOid = 17;
  std::size_t size = 20;
  for (const auto& element : elements) {
    size += 4 + element.size();
  }
  std::string wire;
  wire.reserve(size);
  const auto put = [&wire](std::uint32_t value) {
    for (int shift = 24; shift >= 0; shift -= 8) {
      wire.push_back(static_cast<char>((value >> shift) & 0xFF));
    }
  };
  put(elements.empty() ? 0 : 1);
  put(0);
  put(kByteaOid);
  if (!elements.empty()) {
    put(static_cast<std::uint32_t>(elements.size()));
    put(1);
  }
  for (const auto& element : elements) {
    put(static_cast<std::uint32_t>(element.size()));
    wire += element;
  }
  return pqxx::binarystring(wire);
}

std::vector<std::string> TextsOf(const pqxx::field& field) {
  std::vector<std::string> texts;
  auto parser = field.as_array();
  while (true) {
    auto [juncture, text] = parser.get_next();
    if (juncture == pqxx::array_parser::done) {
      return texts;
    }
    if (juncture == pqxx::array_parser::string_value ||
        juncture == pqxx::array_parser::null_value) {
      texts.push_back(std::move(text));
    }
  }
}

void RunTransaction(ConnectionPool& pool, Clock::time_point deadline, const WorkOptions& options,
                    const std::function<void(Work&)>& body) {
  bool retried_broken = false;
  for (int attempt = 1;; ++attempt) {
    ThrowIfExpired(deadline);
    auto lease = StandbyReads::PoolFor(pool, options).Acquire(deadline);
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
