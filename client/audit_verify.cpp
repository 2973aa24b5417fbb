#include "audit_verify.hpp"

#include "audit_convert.hpp"

namespace regie::client {

AuditVerification VerifyAuditLog(
    RegieClient& client, const std::string& trusted_ca_pem,
    const std::function<void(std::int64_t seq, std::int64_t size)>& progress) {
  // Order matters: the size first, then checkpoints, then entries, so that every entry a
  // checkpoint covers is delivered even while the log grows.
  const auto state = client.GetAuditLogState();
  std::vector<audit::SigningKeyRecord> keys;
  for (const auto& key : client.ListAuditSigningKeys()) {
    keys.push_back({key.key_id(), key.certificate_pem()});
  }
  std::vector<audit::CheckpointRecord> checkpoints;
  for (const auto& checkpoint : client.ListAuditCheckpoints()) {
    checkpoints.push_back(audit::FromProto(checkpoint));
  }
  audit::Verifier verifier(trusted_ca_pem, keys, std::move(checkpoints));
  client.ForEachAuditEntry(1, [&](const audit::v1::Entry& entry) {
    verifier.Add({entry.seq(), audit::FromProto(entry.event()), entry.entry_hash()});
    if (progress) {
      progress(entry.seq(), state.sealed_size());
    }
  });
  return {verifier.Finish(state.sealed_size()), state.pending_events()};
}

}  // namespace regie::client
