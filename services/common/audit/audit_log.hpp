#pragma once

// The audit log in PostgreSQL: writing events (every mutation, in its own transaction), sealing
// them into the hash chain with signed checkpoints, and reading the raw rows for verification.
// Design: docs/adr/0003-audit-log.md.

#include <pqxx/transaction_base>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/chain.hpp"
#include "db/pool.hpp"

namespace regie::audit {

// Who did what, filled in by the RPC boundary for the call being served.
struct AuditContext {
  std::string actor_subject;
  std::string actor_role;
  std::string actor_organisation;
  std::string rpc;
  std::string request_id;
  std::string request_digest;  // SHA-256 of the request, 32 raw bytes
};

// Writes one event in `tx`, the transaction that makes the change it records. `change_json` is a
// JSON object describing what changed. Returns the event id.
std::int64_t AppendEvent(pqxx::transaction_base& tx, const AuditContext& context,
                         std::string_view resource, std::string_view change_json);

// One event of a change that touches many resources (a settlement run records one per settlement).
struct ResourceChange {
  std::string resource;
  std::string change_json;
};

// AppendEvent for each of `changes`, in that order, in one statement.
void AppendEvents(pqxx::transaction_base& tx, const AuditContext& context,
                  const std::vector<ResourceChange>& changes);

struct LogState {
  std::int64_t sealed_size = 0;
  std::int64_t pending_events = 0;
  std::optional<CheckpointRecord> latest_checkpoint;
};

LogState ReadLogState(pqxx::transaction_base& tx);
std::vector<ChainEntry> ReadEntries(pqxx::transaction_base& tx, std::int64_t start_seq, int limit);
// The events of `resource` and the resources below it, on or after the Dutch day `since` (ISO;
// "" for all), with event ids above `after_id`, oldest first; seq 0 while not yet sealed.
std::vector<ChainEntry> ReadResourceEvents(pqxx::transaction_base& tx, const std::string& resource,
                                           const std::string& since, std::int64_t after_id,
                                           int limit);
std::vector<CheckpointRecord> ReadCheckpoints(pqxx::transaction_base& tx, std::int64_t after_seq,
                                              int limit);
struct StoredSigningKey {
  SigningKeyRecord key;
  std::int64_t added_at_us = 0;
};
std::vector<StoredSigningKey> ReadSigningKeys(pqxx::transaction_base& tx);

struct SealerOptions {
  std::string signing_key_pem;          // the server's private key
  std::string signing_certificate_pem;  // its certificate, issued by the deployment CA
  std::chrono::milliseconds checkpoint_interval{10000};
  int batch_size = 5000;
};

struct SealResult {
  bool ran = false;  // false when another process held the sealer lock
  std::int64_t sealed = 0;
  std::int64_t head_seq = 0;
  bool checkpointed = false;
};

// Sequences committed events into the chain and signs checkpoints. Any number of processes may
// run one; an advisory lock lets one seal at a time.
class Sealer {
 public:
  Sealer(db::ConnectionPool& pool, SealerOptions options);

  // Records the signing certificate in audit.signing_keys (once) with its own audit event.
  void RegisterSigningKey(db::Clock::time_point deadline, const AuditContext& context);

  // Seals what can be sealed and, when due (or `force_checkpoint`), signs a checkpoint of the head.
  // Gives way at once (ran = false) while another sealer, in this process or another, is at it.
  SealResult SealOnce(db::Clock::time_point deadline, bool force_checkpoint = false);

  // Seals every event committed before the call and signs a checkpoint of the head: waits for a
  // sealer running elsewhere to finish first, and takes as many batches as there are.
  SealResult SealAll(db::Clock::time_point deadline);

 private:
  enum class WhenBusy { kGiveWay, kWait };
  SealResult Seal(db::Clock::time_point deadline, WhenBusy when_busy, bool force_checkpoint);

  db::ConnectionPool& pool_;
  SealerOptions options_;
  std::string key_id_;
};

// Microseconds since the Unix epoch.
std::int64_t NowMicros();

}  // namespace regie::audit
