#include "audit/audit_log.hpp"

#include <pqxx/pqxx>

#include <nlohmann/json.hpp>

#include "auth/pki.hpp"
#include "crypto.hpp"
#include "db/unit_of_work.hpp"
#include "names.hpp"

namespace regie::audit {
namespace {

using db::Bytes;
using db::BytesOf;

// Columns: id, txid, occurred_at_us, actor_subject, actor_role, actor_organisation, rpc, resource,
// request_id, request_digest, change, starting at `first`.
EventRecord ReadEvent(const pqxx::row& row, int first) {
  EventRecord e;
  e.id = row[first].as<std::int64_t>();
  e.txid = row[first + 1].as<std::uint64_t>();
  e.occurred_at_us = row[first + 2].as<std::int64_t>();
  e.actor_subject = row[first + 3].as<std::string>();
  e.actor_role = row[first + 4].as<std::string>();
  e.actor_organisation = row[first + 5].as<std::string>();
  e.rpc = row[first + 6].as<std::string>();
  e.resource = row[first + 7].as<std::string>();
  e.request_id = row[first + 8].as<std::string>();
  e.request_digest = BytesOf(row[first + 9]);
  e.change_json = row[first + 10].as<std::string>();
  return e;
}

CheckpointRecord ReadCheckpoint(const pqxx::row& row) {
  CheckpointRecord c;
  c.seq = row[0].as<std::int64_t>();
  c.head_hash = BytesOf(row[1]);
  c.signed_at_us = row[2].as<std::int64_t>();
  c.key_id = BytesOf(row[3]);
  c.signature = BytesOf(row[4]);
  return c;
}

struct ChainHead {
  std::int64_t seq = 0;
  std::string hash = GenesisHash();
  std::string txid = "0";
  std::int64_t event_id = 0;
};

ChainHead ReadChainHead(pqxx::transaction_base& tx) {
  ChainHead head;
  const auto rows = tx.exec_prepared("audit/get_chain_head");
  if (!rows.empty()) {
    head.seq = rows[0][0].as<std::int64_t>();
    head.hash = BytesOf(rows[0][1]);
    head.txid = rows[0][2].as<std::string>();
    head.event_id = rows[0][3].as<std::int64_t>();
  }
  return head;
}

std::optional<CheckpointRecord> ReadLatestCheckpoint(pqxx::transaction_base& tx) {
  const auto rows = tx.exec_prepared("audit/get_latest_checkpoint");
  if (rows.empty()) {
    return std::nullopt;
  }
  return ReadCheckpoint(rows[0]);
}

}  // namespace

std::int64_t NowMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::int64_t AppendEvent(pqxx::transaction_base& tx, const AuditContext& context,
                         std::string_view resource, std::string_view change_json) {
  const auto row = tx.exec_prepared1("audit/insert_event", context.actor_subject,
                                     context.actor_role, context.actor_organisation, context.rpc,
                                     std::string(resource), context.request_id,
                                     Bytes(context.request_digest), std::string(change_json));
  return row[0].as<std::int64_t>();
}

void AppendEvents(pqxx::transaction_base& tx, const AuditContext& context,
                  const std::vector<ResourceChange>& changes) {
  if (changes.empty()) {
    return;
  }
  std::vector<std::string> resources, changes_json;
  for (const auto& change : changes) {
    resources.push_back(change.resource);
    changes_json.push_back(change.change_json);
  }
  tx.exec_prepared0("audit/insert_events", context.actor_subject, context.actor_role,
                    context.actor_organisation, context.rpc, context.request_id,
                    Bytes(context.request_digest), TextArrayLiteral(resources),
                    TextArrayLiteral(changes_json));
}

LogState ReadLogState(pqxx::transaction_base& tx) {
  LogState state;
  const auto head = ReadChainHead(tx);
  state.sealed_size = head.seq;
  state.pending_events =
      tx.exec_prepared1("audit/count_events_after", head.txid, head.event_id)[0].as<std::int64_t>();
  state.latest_checkpoint = ReadLatestCheckpoint(tx);
  return state;
}

std::vector<ChainEntry> ReadEntries(pqxx::transaction_base& tx, std::int64_t start_seq, int limit) {
  std::vector<ChainEntry> entries;
  for (const auto& row : tx.exec_prepared("audit/list_entries", start_seq, limit)) {
    ChainEntry entry;
    entry.seq = row[0].as<std::int64_t>();
    entry.entry_hash = BytesOf(row[1]);
    entry.event = ReadEvent(row, 2);
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::vector<ChainEntry> ReadResourceEvents(pqxx::transaction_base& tx, const std::string& resource,
                                           const std::string& since, std::int64_t after_id,
                                           int limit) {
  std::vector<ChainEntry> entries;
  for (const auto& row :
       tx.exec_prepared("audit/list_resource_events", resource, since, after_id, limit)) {
    ChainEntry entry;
    entry.seq = row[0].as<std::int64_t>();
    if (!row[1].is_null()) {
      entry.entry_hash = BytesOf(row[1]);
    }
    entry.event = ReadEvent(row, 2);
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::vector<CheckpointRecord> ReadCheckpoints(pqxx::transaction_base& tx, std::int64_t after_seq,
                                              int limit) {
  std::vector<CheckpointRecord> checkpoints;
  for (const auto& row : tx.exec_prepared("audit/list_checkpoints", after_seq, limit)) {
    checkpoints.push_back(ReadCheckpoint(row));
  }
  return checkpoints;
}

std::vector<StoredSigningKey> ReadSigningKeys(pqxx::transaction_base& tx) {
  std::vector<StoredSigningKey> keys;
  for (const auto& row : tx.exec_prepared("audit/list_signing_keys")) {
    keys.push_back(StoredSigningKey{SigningKeyRecord{BytesOf(row[0]), row[1].as<std::string>()},
                                    row[2].as<std::int64_t>()});
  }
  return keys;
}

Sealer::Sealer(db::ConnectionPool& pool, SealerOptions options)
    : pool_(pool), options_(std::move(options)) {
  key_id_ = Sha256(auth::ParseCertificate(options_.signing_certificate_pem).public_key_der);
}

void Sealer::RegisterSigningKey(db::Clock::time_point deadline, const AuditContext& context) {
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    const auto inserted = tx.exec_prepared("audit/insert_signing_key", Bytes(key_id_),
                                           options_.signing_certificate_pem);
    if (!inserted.empty()) {
      const nlohmann::json change = {{"key_id", ToHex(key_id_)},
                                     {"certificate_pem", options_.signing_certificate_pem}};
      AppendEvent(tx, context, "auditSigningKeys/" + ToHex(key_id_), change.dump());
    }
  });
}

SealResult Sealer::SealOnce(db::Clock::time_point deadline, bool force_checkpoint) {
  return Seal(deadline, WhenBusy::kGiveWay, force_checkpoint);
}

SealResult Sealer::SealAll(db::Clock::time_point deadline) {
  SealResult all{.ran = true};
  for (;;) {
    const auto batch = Seal(deadline, WhenBusy::kWait, /*force_checkpoint=*/true);
    all.sealed += batch.sealed;
    all.head_seq = batch.head_seq;
    all.checkpointed = all.checkpointed || batch.checkpointed;
    if (batch.sealed < static_cast<std::int64_t>(options_.batch_size)) {
      return all;
    }
  }
}

SealResult Sealer::Seal(db::Clock::time_point deadline, WhenBusy when_busy, bool force_checkpoint) {
  SealResult result;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    result = SealResult{};
    if (when_busy == WhenBusy::kWait) {
      tx.exec_prepared1("audit/lock_sealer");
    } else if (!tx.exec_prepared1("audit/try_lock_sealer")[0].as<bool>()) {
      return;
    }
    result.ran = true;
    auto head = ReadChainHead(tx);
    const auto events = tx.exec_prepared("audit/list_sealable_events", head.txid, head.event_id,
                                         options_.batch_size);
    std::vector<std::string> seqs, event_ids, hashes;  // written in one statement
    for (const auto& row : events) {
      const EventRecord event = ReadEvent(row, 0);
      ++head.seq;
      head.hash = ChainHash(head.hash, head.seq, event);
      seqs.push_back(std::to_string(head.seq));
      event_ids.push_back(std::to_string(event.id));
      hashes.push_back(ToHex(head.hash));
      ++result.sealed;
    }
    if (result.sealed > 0) {
      tx.exec_prepared0("audit/insert_chain_entries", TextArrayLiteral(seqs),
                        TextArrayLiteral(event_ids), TextArrayLiteral(hashes));
    }
    result.head_seq = head.seq;

    const auto latest = ReadLatestCheckpoint(tx);
    const std::int64_t now_us = NowMicros();
    const bool behind = head.seq > (latest ? latest->seq : 0);
    const bool due = !latest || now_us - latest->signed_at_us >=
                                    std::chrono::duration_cast<std::chrono::microseconds>(
                                        options_.checkpoint_interval)
                                        .count();
    if (behind && (due || force_checkpoint)) {
      const auto signature = auth::SignSha256(options_.signing_key_pem,
                                              CheckpointMessage(head.seq, head.hash, now_us));
      tx.exec_prepared0("audit/insert_checkpoint", head.seq, Bytes(head.hash), now_us,
                        Bytes(key_id_), Bytes(signature));
      result.checkpointed = true;
    }
  });
  return result;
}

}  // namespace regie::audit
