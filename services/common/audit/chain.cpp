#include "audit/chain.hpp"

#include <tuple>

#include "auth/pki.hpp"
#include "crypto.hpp"

namespace regie::audit {

std::string CanonicalEvent(const EventRecord& event) {
  std::string out;
  AppendUint64(out, static_cast<std::uint64_t>(event.id));
  AppendUint64(out, event.txid);
  AppendUint64(out, static_cast<std::uint64_t>(event.occurred_at_us));
  for (std::string_view field :
       {std::string_view(event.actor_subject), std::string_view(event.actor_role),
        std::string_view(event.actor_organisation), std::string_view(event.rpc),
        std::string_view(event.resource), std::string_view(event.request_id),
        std::string_view(event.request_digest), std::string_view(event.change_json)}) {
    AppendLengthPrefixed(out, field);
  }
  return out;
}

std::string GenesisHash() { return std::string(32, '\0'); }

std::string ChainHash(std::string_view previous_hash, std::int64_t seq, const EventRecord& event) {
  std::string input = "regie-audit-entry-v1";
  AppendLengthPrefixed(input, previous_hash);
  AppendUint64(input, static_cast<std::uint64_t>(seq));
  input += CanonicalEvent(event);
  return Sha256(input);
}

std::string CheckpointMessage(std::int64_t seq, std::string_view head_hash,
                              std::int64_t signed_at_us) {
  std::string message = "regie-audit-checkpoint-v1";
  AppendUint64(message, static_cast<std::uint64_t>(seq));
  AppendLengthPrefixed(message, head_hash);
  AppendUint64(message, static_cast<std::uint64_t>(signed_at_us));
  return message;
}

bool LogOrderBefore(const EventRecord& a, const EventRecord& b) {
  return std::tie(a.txid, a.id) < std::tie(b.txid, b.id);
}

Verifier::Verifier(std::string trusted_ca_pem, const std::vector<SigningKeyRecord>& keys,
                   std::vector<CheckpointRecord> checkpoints)
    : trusted_ca_pem_(std::move(trusted_ca_pem)), previous_hash_(GenesisHash()) {
  for (const auto& key : keys) {
    std::string why;
    try {
      const auto info = auth::ParseCertificate(key.certificate_pem);
      if (Sha256(info.public_key_der) != key.key_id) {
        key_problems_[key.key_id] = "its key id does not match its certificate";
      } else if (!auth::VerifyIssuedBy(key.certificate_pem, trusted_ca_pem_, why,
                                       /*ignore_validity_period=*/true)) {
        key_problems_[key.key_id] = "its certificate is not issued by the trusted CA: " + why;
      } else {
        key_certificates_[key.key_id] = key.certificate_pem;
      }
    } catch (const auth::PkiError& e) {
      key_problems_[key.key_id] = std::string("its certificate cannot be read: ") + e.what();
    }
  }
  for (auto& checkpoint : checkpoints) {
    const auto seq = checkpoint.seq;
    checkpoints_.emplace(seq, std::move(checkpoint));
  }
}

bool Verifier::Fail(std::int64_t seq, std::int64_t event_id, std::string failure) {
  result_.ok = false;
  result_.failed_seq = seq;
  result_.failed_event_id = event_id;
  result_.failure = std::move(failure);
  return false;
}

bool Verifier::CheckCheckpointAt(const ChainEntry& entry) {
  const auto it = checkpoints_.find(entry.seq);
  if (it == checkpoints_.end()) {
    return true;
  }
  const CheckpointRecord& checkpoint = it->second;
  const std::string where = "checkpoint at seq " + std::to_string(checkpoint.seq);
  if (checkpoint.head_hash != previous_hash_) {
    return Fail(entry.seq, entry.event.id,
                where +
                    ": its head hash differs from the recomputed log: entries up to here "
                    "were altered after the checkpoint was signed");
  }
  if (const auto problem = key_problems_.find(checkpoint.key_id); problem != key_problems_.end()) {
    return Fail(entry.seq, entry.event.id,
                where + ": signing key " + ToHex(checkpoint.key_id) +
                    " is not trusted: " + problem->second);
  }
  const auto key = key_certificates_.find(checkpoint.key_id);
  if (key == key_certificates_.end()) {
    return Fail(entry.seq, entry.event.id,
                where + ": signed by unknown key " + ToHex(checkpoint.key_id));
  }
  const auto message =
      CheckpointMessage(checkpoint.seq, checkpoint.head_hash, checkpoint.signed_at_us);
  if (!auth::VerifySha256(key->second, message, checkpoint.signature)) {
    return Fail(entry.seq, entry.event.id, where + ": the signature does not verify");
  }
  ++result_.checkpoints;
  result_.last_checkpoint_seq = checkpoint.seq;
  return true;
}

bool Verifier::Add(const ChainEntry& entry) {
  if (!result_.ok) {
    return false;
  }
  const std::int64_t expected_seq = result_.entries + 1;
  const std::string row =
      "seq " + std::to_string(entry.seq) + " (event id " + std::to_string(entry.event.id) + ")";
  if (entry.seq != expected_seq) {
    return Fail(entry.seq, entry.event.id,
                row + ": expected seq " + std::to_string(expected_seq) +
                    ": entries were deleted or renumbered");
  }
  if (previous_event_ && !LogOrderBefore(*previous_event_, entry.event)) {
    return Fail(entry.seq, entry.event.id,
                row + ": out of log order after event id " + std::to_string(previous_event_->id) +
                    ": entries were reordered or an event's transaction id was changed");
  }
  const auto recomputed = ChainHash(previous_hash_, entry.seq, entry.event);
  if (recomputed != entry.entry_hash) {
    return Fail(entry.seq, entry.event.id,
                row +
                    ": the stored entry hash differs from the recomputed one: the event or its "
                    "chain row was altered");
  }
  previous_hash_ = recomputed;
  previous_event_ = entry.event;
  ++result_.entries;
  return CheckCheckpointAt(entry);
}

VerifyResult Verifier::Finish(std::int64_t sealed_size) {
  if (!result_.ok) {
    return result_;
  }
  if (!checkpoints_.empty() && checkpoints_.rbegin()->first > result_.entries) {
    const auto seq = checkpoints_.rbegin()->first;
    Fail(seq, 0,
         "checkpoint at seq " + std::to_string(seq) + " covers more entries than the log has (" +
             std::to_string(result_.entries) + "): entries were removed");
    return result_;
  }
  if (result_.entries < sealed_size) {
    Fail(result_.entries + 1, 0,
         "the server reported " + std::to_string(sealed_size) + " sealed entries but only " +
             std::to_string(result_.entries) + " were delivered: entries were removed");
  }
  return result_;
}

}  // namespace regie::audit
