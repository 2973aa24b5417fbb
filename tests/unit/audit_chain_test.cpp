#include <boost/test/unit_test.hpp>

#include "audit/chain.hpp"
#include "auth/pki.hpp"
#include "crypto.hpp"

namespace regie::audit {
namespace {

// A log of `size` entries built the way the sealer builds it, with checkpoints at `checkpoint_at`.
struct Log {
  auth::KeyAndCertificate ca = auth::CreateCertificateAuthority("CA", 30);
  auth::IssuedCertificate server;
  std::vector<ChainEntry> entries;
  std::vector<CheckpointRecord> checkpoints;
  std::vector<SigningKeyRecord> keys;

  Log(int size, std::vector<std::int64_t> checkpoint_at) {
    auth::CertificateSpec spec;
    spec.common_name = "regie-server";
    spec.organisational_unit = "server";
    spec.organisation = "regie";
    spec.server = true;
    server = auth::IssueCertificate(ca, spec);
    const auto key_id =
        Sha256(auth::ParseCertificate(server.material.certificate_pem).public_key_der);
    keys.push_back({key_id, server.material.certificate_pem});
    std::string hash = GenesisHash();
    for (int i = 1; i <= size; ++i) {
      EventRecord e;
      e.id = 100 + i;
      e.txid = 1000 + static_cast<std::uint64_t>(i);
      e.occurred_at_us = 1700000000000000 + i;
      e.actor_subject = "CN=Beheerder,OU=admin,O=regie";
      e.actor_role = "admin";
      e.actor_organisation = "regie";
      e.rpc = "/regie.identity.v1.IdentityService/RevokeCertificate";
      e.resource = "revokedCertificates/" + std::to_string(i);
      e.request_id = "r" + std::to_string(i);
      e.request_digest = Sha256(e.request_id);
      e.change_json = R"({"serial": ")" + std::to_string(i) + R"("})";
      hash = ChainHash(hash, i, e);
      entries.push_back({i, e, hash});
      for (auto at : checkpoint_at) {
        if (at == i) {
          const std::int64_t signed_at = 1700000000000000 + 1000 * i;
          checkpoints.push_back(
              {i, hash, signed_at, key_id,
               auth::SignSha256(server.material.key_pem, CheckpointMessage(i, hash, signed_at))});
        }
      }
    }
  }

  // What someone with database access but without the signing key can do after changing an entry:
  // recompute every later hash so that the chain looks consistent again.
  void RecomputeHashesFrom(std::size_t index) {
    std::string hash = index == 0 ? GenesisHash() : entries[index - 1].entry_hash;
    for (std::size_t i = index; i < entries.size(); ++i) {
      hash = ChainHash(hash, entries[i].seq, entries[i].event);
      entries[i].entry_hash = hash;
    }
  }

  VerifyResult Verify() const {
    Verifier verifier(ca.certificate_pem, keys, checkpoints);
    for (const auto& entry : entries) {
      if (!verifier.Add(entry)) {
        break;
      }
    }
    return verifier.Finish(static_cast<std::int64_t>(entries.size()));
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_chain)

BOOST_AUTO_TEST_CASE(an_intact_log_verifies) {
  const Log log(10, {4, 10});
  const auto result = log.Verify();
  BOOST_TEST(result.ok, result.failure);
  BOOST_TEST(result.entries == 10);
  BOOST_TEST(result.checkpoints == 2);
  BOOST_TEST(result.last_checkpoint_seq == 10);
}

BOOST_AUTO_TEST_CASE(an_empty_log_verifies) {
  const Log log(0, {});
  BOOST_TEST(log.Verify().ok);
}

BOOST_AUTO_TEST_CASE(a_changed_event_field_is_found_at_its_row) {
  const auto fields = std::vector<std::function<void(EventRecord&)>>{
      [](EventRecord& e) { e.actor_subject = "CN=Someone else"; },
      [](EventRecord& e) { e.change_json = R"({"serial": "X"})"; },
      [](EventRecord& e) { e.occurred_at_us += 1; },
      [](EventRecord& e) { e.resource = "revokedCertificates/other"; },
      [](EventRecord& e) { e.request_digest[0] ^= 1; },
  };
  for (const auto& change : fields) {
    Log log(6, {6});
    change(log.entries[2].event);
    const auto result = log.Verify();
    BOOST_TEST(!result.ok);
    BOOST_TEST(result.failed_seq == 3);
    BOOST_TEST(result.failed_event_id == 103);
    BOOST_TEST(result.failure.find("seq 3 (event id 103)") != std::string::npos, result.failure);
  }
}

BOOST_AUTO_TEST_CASE(a_changed_stored_hash_is_found) {
  Log log(5, {});
  log.entries[3].entry_hash[0] ^= 1;
  const auto result = log.Verify();
  BOOST_TEST(!result.ok);
  BOOST_TEST(result.failed_seq == 4);
}

BOOST_AUTO_TEST_CASE(a_deleted_entry_is_found) {
  Log log(5, {});
  log.entries.erase(log.entries.begin() + 2);
  const auto result = log.Verify();
  BOOST_TEST(!result.ok);
  BOOST_TEST(result.failed_seq == 4);
  BOOST_TEST(result.failure.find("deleted") != std::string::npos, result.failure);
}

BOOST_AUTO_TEST_CASE(reordered_entries_are_found) {
  Log log(5, {});
  std::swap(log.entries[1].event, log.entries[2].event);
  const auto result = log.Verify();
  BOOST_TEST(!result.ok);
  BOOST_TEST(result.failed_seq == 2);  // the first place that breaks
}

BOOST_AUTO_TEST_CASE(reordering_with_recomputed_hashes_breaks_the_log_order) {
  Log log(5, {});
  std::swap(log.entries[1].event, log.entries[2].event);
  log.RecomputeHashesFrom(1);
  const auto result = log.Verify();
  BOOST_TEST(!result.ok);
  BOOST_TEST(result.failed_seq == 3);
  BOOST_TEST(result.failure.find("out of log order") != std::string::npos, result.failure);
}

BOOST_AUTO_TEST_CASE(a_consistently_rewritten_chain_is_caught_by_the_checkpoint) {
  Log log(6, {5});
  // Change an event and recompute every hash after it, as someone without the key would.
  log.entries[1].event.change_json = R"({"serial": "forged"})";
  log.RecomputeHashesFrom(1);
  const auto result = log.Verify();
  BOOST_TEST(!result.ok);
  BOOST_TEST(result.failed_seq == 5);
  BOOST_TEST(result.failure.find("checkpoint at seq 5") != std::string::npos, result.failure);
}

BOOST_AUTO_TEST_CASE(a_truncated_tail_is_caught_by_the_checkpoint) {
  Log log(6, {6});
  log.entries.pop_back();
  Verifier verifier(log.ca.certificate_pem, log.keys, log.checkpoints);
  for (const auto& entry : log.entries) {
    verifier.Add(entry);
  }
  const auto result = verifier.Finish(5);
  BOOST_TEST(!result.ok);
  BOOST_TEST(result.failure.find("covers more entries") != std::string::npos, result.failure);
}

BOOST_AUTO_TEST_CASE(fewer_entries_than_the_reported_size_fail) {
  Log log(3, {});
  Verifier verifier(log.ca.certificate_pem, log.keys, log.checkpoints);
  for (const auto& entry : log.entries) {
    verifier.Add(entry);
  }
  BOOST_TEST(!verifier.Finish(4).ok);
}

BOOST_AUTO_TEST_CASE(a_forged_or_foreign_signature_fails) {
  {
    Log log(4, {4});
    log.checkpoints[0].signature[5] ^= 1;
    const auto result = log.Verify();
    BOOST_TEST(!result.ok);
    BOOST_TEST(result.failure.find("signature does not verify") != std::string::npos,
               result.failure);
  }
  {
    // A key certified by another CA signs a checkpoint: not trusted.
    Log log(4, {4});
    const Log other(1, {});
    log.keys = other.keys;
    log.checkpoints[0].key_id = other.keys[0].key_id;
    log.checkpoints[0].signature = auth::SignSha256(
        other.server.material.key_pem,
        CheckpointMessage(4, log.checkpoints[0].head_hash, log.checkpoints[0].signed_at_us));
    const auto result = log.Verify();
    BOOST_TEST(!result.ok);
    BOOST_TEST(result.failure.find("not trusted") != std::string::npos, result.failure);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::audit
