#pragma once

// One helper runs every database transaction of an RPC (docs/adr/0001-connection-pool.md):
//   - acquires a connection within the RPC's deadline (for a caller that only reads, a read-only
//     transaction's from the standby's pool: db/standby_reads.hpp),
//   - begins with the isolation level and access mode in one round trip, and keeps the session's
//     statement_timeout within the time left, so the database stops when the client gives up,
//   - runs the body and commits explicitly; an exception rolls back,
//   - retries serialization failures and deadlocks (only those) a bounded number of times,
//   - discards a connection that broke, retrying once when a pooled connection turned out to
//     have died while idle (nothing was executed, so nothing can have been committed).
// Commit outcomes that are unknown (pqxx::in_doubt_error) are never retried.
// A body of one statement may skip BEGIN and COMMIT (WorkOptions::single_statement).

#include <pqxx/pqxx>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "db/pool.hpp"

namespace regie::db {

enum class Isolation { kReadCommitted, kRepeatableRead, kSerializable };

struct WorkOptions {
  Isolation isolation = Isolation::kReadCommitted;
  bool read_only = false;
  int max_attempts = 4;  // for serialization failures and deadlocks
  // The body runs exactly one statement, and PostgreSQL runs it as its own transaction: no BEGIN
  // and COMMIT round trips (docs/adr/0017). One statement reads one snapshot, whatever the
  // isolation; read_only then only chooses the pool. The statement must be safe to run twice
  // (a read, or a write deduplicated by a request id): a pooled connection that turns out to have
  // died is retried once, as for a transaction, but here the statement may have run.
  bool single_statement = false;
};

// What a transaction's body works with: the transaction of the isolation level and access mode
// asked for.
using Work = pqxx::transaction_base;

// Runs `body` in a transaction and commits it (or, with single_statement, runs its statement).
// Throws Error(DEADLINE_EXCEEDED) when the deadline has passed before a try could start; database
// exceptions propagate for the RPC boundary to map.
void RunTransaction(ConnectionPool& pool, Clock::time_point deadline, const WorkOptions& options,
                    const std::function<void(Work&)>& body);

// Read-committed read-write transaction.
inline void RunTransaction(ConnectionPool& pool, Clock::time_point deadline,
                           const std::function<void(Work&)>& body) {
  RunTransaction(pool, deadline, WorkOptions{}, body);
}

// bytea parameters and columns (hashes, signatures): raw bytes, never text.
inline pqxx::binarystring Bytes(std::string_view bytes) {
  return pqxx::binarystring(bytes.data(), bytes.size());
}
inline std::string BytesOf(const pqxx::field& field) { return pqxx::binarystring(field).str(); }

// The elements of a one-dimensional text array column; a NULL element reads as "".
std::vector<std::string> TextsOf(const pqxx::field& field);

// A one-dimensional bytea[] parameter ($1::bytea[]) in PostgreSQL's binary array format, so the
// elements travel as they are: neither escaped nor hex-encoded, and not parsed from a literal.
pqxx::binarystring ByteaArray(const std::vector<std::string>& elements);

}  // namespace regie::db
