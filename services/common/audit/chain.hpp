#pragma once

// The tamper-evident audit log, the part without a database: how an event is encoded, how entries
// are chained, what a checkpoint signs, and the verifier that recomputes all of it
// (docs/adr/0003-audit-log.md). The sealer and `regie audit verify` both use these functions, so
// they cannot disagree about the encoding.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace regie::audit {

// One audit event exactly as stored in audit.events.
struct EventRecord {
  std::int64_t id = 0;
  std::uint64_t txid = 0;           // writing transaction (xid8)
  std::int64_t occurred_at_us = 0;  // microseconds since the Unix epoch
  std::string actor_subject;
  std::string actor_role;
  std::string actor_organisation;
  std::string rpc;
  std::string resource;
  std::string request_id;
  std::string request_digest;  // 32 raw bytes
  std::string change_json;     // jsonb rendered by PostgreSQL
};

struct ChainEntry {
  std::int64_t seq = 0;  // 1-based position in the log
  EventRecord event;
  std::string entry_hash;  // 32 raw bytes, as stored
};

struct CheckpointRecord {
  std::int64_t seq = 0;  // the log size the checkpoint covers
  std::string head_hash;
  std::int64_t signed_at_us = 0;
  std::string key_id;     // SHA-256 of the signer's public key (DER)
  std::string signature;  // ECDSA/SHA-256, DER
};

struct SigningKeyRecord {
  std::string key_id;
  std::string certificate_pem;
};

// The unambiguous byte encoding of an event that the chain hashes.
std::string CanonicalEvent(const EventRecord& event);

// The chain value before the first entry: 32 zero bytes.
std::string GenesisHash();

// h(seq) = SHA-256("regie-audit-entry-v1" || h(seq-1) || seq || canonical(event)).
std::string ChainHash(std::string_view previous_hash, std::int64_t seq, const EventRecord& event);

// The bytes a checkpoint signature covers.
std::string CheckpointMessage(std::int64_t seq, std::string_view head_hash,
                              std::int64_t signed_at_us);

// True when the log order puts `a` before `b`: by writing transaction, then by id.
bool LogOrderBefore(const EventRecord& a, const EventRecord& b);

struct VerifyResult {
  bool ok = true;
  std::int64_t entries = 0;
  std::int64_t checkpoints = 0;
  std::int64_t last_checkpoint_seq = 0;
  // The first broken place, when !ok.
  std::int64_t failed_seq = 0;
  std::int64_t failed_event_id = 0;
  std::string failure;
};

// Recomputes the log from its raw rows. Usage: construct with the trusted CA, the signing keys and
// the checkpoints; Add() every entry in sequence order; Finish(). It stops at the first problem and
// names the row.
class Verifier {
 public:
  Verifier(std::string trusted_ca_pem, const std::vector<SigningKeyRecord>& keys,
           std::vector<CheckpointRecord> checkpoints);

  // Returns false once a problem has been found (further calls are ignored).
  bool Add(const ChainEntry& entry);

  // `sealed_size` is the log size the server reported before the entries were read: at least that
  // many entries must have been delivered. Returns the final result.
  VerifyResult Finish(std::int64_t sealed_size);

  const VerifyResult& result() const { return result_; }

 private:
  bool Fail(std::int64_t seq, std::int64_t event_id, std::string failure);
  bool CheckCheckpointAt(const ChainEntry& entry);

  std::string trusted_ca_pem_;
  std::map<std::string, std::string> key_certificates_;   // key_id -> PEM, verified to chain
  std::map<std::string, std::string> key_problems_;       // key_id -> why it is not trusted
  std::map<std::int64_t, CheckpointRecord> checkpoints_;  // by seq
  std::string previous_hash_;
  std::optional<EventRecord> previous_event_;
  VerifyResult result_;
};

}  // namespace regie::audit
