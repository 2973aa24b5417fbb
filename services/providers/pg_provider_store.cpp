#include <google/protobuf/util/time_util.h>

#include <nlohmann/json.hpp>

#include "covenant_rules.hpp"
#include "db/unit_of_work.hpp"
#include "error.hpp"
#include "proto_json.hpp"
#include "provider_rules.hpp"
#include "providers_store.hpp"

namespace regie::providers {
namespace {

using google::protobuf::util::TimeUtil;

// The stored profile without the fields the server owns.
std::string ProfileJson(v1::Provider provider) {
  provider.set_name(ProviderName(provider.kvk_number()));
  provider.clear_etag();
  provider.clear_registered_by();
  provider.clear_register_time();
  provider.clear_update_time();
  return ToJson(provider);
}

// Columns of list_providers.sql.
v1::Provider ReadProvider(const pqxx::row& row) {
  auto p = FromJson<v1::Provider>(row[0].as<std::string>());
  p.set_etag(row[1].as<std::int64_t>());
  p.set_registered_by(row[2].as<std::string>());
  *p.mutable_register_time() = TimeUtil::MicrosecondsToTimestamp(row[3].as<std::int64_t>());
  *p.mutable_update_time() = TimeUtil::MicrosecondsToTimestamp(row[4].as<std::int64_t>());
  return p;
}

// Columns of list_evidence.sql.
v1::Evidence ReadEvidence(const pqxx::row& row) {
  v1::Evidence e;
  e.set_name(EvidenceName(row[0].as<std::string>(), row[1].as<std::string>()));
  e.set_revision(row[2].as<int>());
  covenants::v1::EvidenceKind kind = covenants::v1::EVIDENCE_KIND_UNSPECIFIED;
  covenants::v1::EvidenceKind_Parse(row[3].as<std::string>(), &kind);
  e.set_kind(kind);
  e.set_title(row[4].as<std::string>());
  *e.mutable_issue_date() = *covenants::ParseIsoDate(row[5].as<std::string>());
  if (const auto expiry = row[6].as<std::string>(); !expiry.empty()) {
    *e.mutable_expiry_date() = *covenants::ParseIsoDate(expiry);
  }
  e.set_sha256(row[7].as<std::string>());
  e.set_recorded_by(row[8].as<std::string>());
  *e.mutable_record_time() = TimeUtil::MicrosecondsToTimestamp(row[9].as<std::int64_t>());
  return e;
}

std::vector<v1::Provider> SelectProviders(db::Work& tx, const std::string& only_kvk,
                                          const std::string& after_kvk, int limit) {
  std::vector<v1::Provider> providers;
  for (const auto& row : tx.exec_prepared("providers/list_providers", only_kvk, after_kvk, limit)) {
    providers.push_back(ReadProvider(row));
  }
  return providers;
}

std::vector<v1::Evidence> SelectEvidence(db::Work& tx, const EvidenceQuery& q) {
  std::vector<v1::Evidence> evidence;
  for (const auto& row : tx.exec_prepared("providers/list_evidence", q.kvk, q.evidence_id,
                                          q.after_kvk, q.after_id, q.expiring_before, q.limit)) {
    evidence.push_back(ReadEvidence(row));
  }
  return evidence;
}

}  // namespace

std::vector<v1::Evidence> AllEvidence(ProviderStore& store, db::Clock::time_point deadline,
                                      const std::string& kvk) {
  constexpr int kPage = 500;
  std::vector<v1::Evidence> evidence;
  for (EvidenceQuery query{.kvk = kvk, .limit = kPage};;) {
    auto page = store.ListEvidence(deadline, query);
    evidence.insert(evidence.end(), page.begin(), page.end());
    if (page.size() < kPage) {
      return evidence;
    }
    query.after_kvk = kvk;
    query.after_id = page.back().name().substr(page.back().name().rfind('/') + 1);
  }
}

v1::Provider PgProviderStore::Register(db::Clock::time_point deadline,
                                       const audit::AuditContext& audit,
                                       const v1::Provider& provider) {
  v1::Provider stored;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    const auto profile = ProfileJson(provider);
    if (tx.exec_prepared("providers/insert_provider", provider.kvk_number(),
                         provider.display_name(), profile, audit.actor_subject)
            .empty()) {
      throw Error(ErrorCode::kAlreadyExists, "PROVIDER_EXISTS",
                  ProviderName(provider.kvk_number()) + " is registered already; update it");
    }
    stored = SelectProviders(tx, provider.kvk_number(), "", 1).at(0);
    audit::AppendEvent(tx, audit, stored.name(), profile);
  });
  return stored;
}

v1::Provider PgProviderStore::Update(db::Clock::time_point deadline,
                                     const audit::AuditContext& audit, const v1::Provider& provider,
                                     std::int64_t etag) {
  v1::Provider stored;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    const auto& kvk = provider.kvk_number();
    if (tx.exec_prepared("providers/lock_provider", kvk).empty()) {
      throw Error::NotFound(ProviderName(kvk));
    }
    const auto profile = ProfileJson(provider);
    if (tx.exec_prepared("providers/update_provider", kvk, etag, provider.display_name(), profile)
            .empty()) {
      throw Error::FailedPrecondition(
          "ETAG_MISMATCH",
          ProviderName(kvk) + " changed since etag " + std::to_string(etag) + "; read it again");
    }
    stored = SelectProviders(tx, kvk, "", 1).at(0);
    audit::AppendEvent(tx, audit, stored.name(), profile);
  });
  return stored;
}

std::vector<v1::Provider> PgProviderStore::List(db::Clock::time_point deadline,
                                                const std::string& only_kvk,
                                                const std::string& after_kvk, int limit) {
  std::vector<v1::Provider> providers;
  db::RunTransaction(pool_, deadline, {.read_only = true}, [&](db::Work& tx) {
    providers = SelectProviders(tx, only_kvk, after_kvk, limit);
  });
  return providers;
}

v1::Evidence PgProviderStore::AddEvidence(db::Clock::time_point deadline,
                                          const audit::AuditContext& audit, const std::string& kvk,
                                          const std::string& evidence_id, const v1::Evidence& e) {
  v1::Evidence stored;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    if (tx.exec_prepared("providers/lock_provider", kvk).empty()) {
      throw Error::NotFound(ProviderName(kvk));
    }
    const auto name = EvidenceName(kvk, evidence_id);
    const auto newest = SelectEvidence(tx, {.kvk = kvk, .evidence_id = evidence_id, .limit = 1});
    if (!newest.empty() && newest[0].sha256() == e.sha256()) {
      throw Error::FailedPrecondition(
          "EVIDENCE_UNCHANGED",
          name + " revision " + std::to_string(newest[0].revision()) + " has this content already");
    }
    const auto kind = covenants::v1::EvidenceKind_Name(e.kind());
    if (!newest.empty() && newest[0].kind() != e.kind()) {
      throw Error::InvalidField(
          "evidence.kind",
          "cannot change: " + name + " is " + covenants::v1::EvidenceKind_Name(newest[0].kind()));
    }
    const auto expiry = e.has_expiry_date() ? covenants::IsoDate(e.expiry_date()) : "";
    tx.exec_prepared("providers/insert_evidence", kvk, evidence_id, kind, e.title(),
                     covenants::IsoDate(e.issue_date()), expiry, e.sha256(), audit.actor_subject);
    stored = SelectEvidence(tx, {.kvk = kvk, .evidence_id = evidence_id, .limit = 1}).at(0);
    audit::AppendEvent(tx, audit, name,
                       nlohmann::json{{"revision", stored.revision()},
                                      {"kind", kind},
                                      {"title", e.title()},
                                      {"issue_date", covenants::IsoDate(e.issue_date())},
                                      {"expiry_date", expiry},
                                      {"sha256", e.sha256()}}
                           .dump());
  });
  return stored;
}

std::vector<v1::Evidence> PgProviderStore::ListEvidence(db::Clock::time_point deadline,
                                                        const EvidenceQuery& query) {
  std::vector<v1::Evidence> evidence;
  db::RunTransaction(pool_, deadline, {.read_only = true},
                     [&](db::Work& tx) { evidence = SelectEvidence(tx, query); });
  return evidence;
}

}  // namespace regie::providers
