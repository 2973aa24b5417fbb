#include <algorithm>
#include <nlohmann/json.hpp>

#include "covenant_store.hpp"
#include "db/unit_of_work.hpp"
#include "names.hpp"
#include "reference_rules.hpp"

namespace regie::covenants {
namespace {

constexpr db::WorkOptions kRead{.read_only = true};
// Reads the newest version: every version has taken effect by then.
constexpr char kEndOfTime[] = "9999-12-31";

std::vector<std::string> SplitCodes(const std::string& codes) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start < codes.size();) {
    const auto comma = codes.find(',', start);
    out.push_back(codes.substr(start, comma - start));
    start = comma == std::string::npos ? codes.size() : comma + 1;
  }
  return out;
}

}  // namespace

CovenantRecord ReadCovenantRow(const pqxx::row& row, int first) {
  const auto at = [&](int column) { return row[first + column]; };
  CovenantRecord r;
  r.covenant_id = at(0).as<std::string>();
  r.state = ParseState(at(1).as<std::string>()).value();
  r.owner_municipality = at(2).as<std::string>();
  r.owner_region = at(3).as<std::string>();
  r.etag = at(4).as<std::int64_t>();
  r.created_at_us = at(5).as<std::int64_t>();
  r.updated_at_us = at(6).as<std::int64_t>();
  r.published_at_us = at(7).as<std::int64_t>();
  r.participants.municipalities = SplitCodes(at(8).as<std::string>());
  r.participants.region_id = at(9).as<std::string>();
  r.version = at(10).as<int>();
  r.effective_from = at(11).as<std::string>();
  r.terms_json = at(12).is_null() ? std::string() : at(12).as<std::string>();
  r.extensions_used = at(13).as<int>();
  r.terminated_on = at(14).as<std::string>();
  r.termination_reason = at(15).as<std::string>();
  r.terminated_by = at(16).as<std::string>();
  return r;
}

namespace {

// Columns of get_covenant.sql and list_covenants.sql.
CovenantRecord ReadCovenant(const pqxx::row& row) { return ReadCovenantRow(row, 0); }

// Municipalities must be registered, and members of the region when there is one: checked in the
// transaction that stores them, each violation named by its place in the terms.
void CheckReferences(db::Work& tx, const Participants& participants) {
  const auto& codes = participants.municipalities;
  Validation v;
  auto field_of = [&](const std::string& code) {
    const auto index = std::find(codes.begin(), codes.end(), code) - codes.begin();
    return "covenant.terms.municipalities[" + std::to_string(index) + "]";
  };
  for (const auto& row :
       tx.exec_prepared("covenants/list_unknown_municipalities", TextArrayLiteral(codes))) {
    const auto code = row[0].as<std::string>();
    v.Add(field_of(code), MunicipalityName(code) + " is not a registered municipality");
  }
  if (!participants.region_id.empty()) {
    std::vector<std::string> members;
    for (const auto& row :
         tx.exec_prepared("covenants/get_region_members", participants.region_id)) {
      members.push_back(row[0].as<std::string>());
    }
    if (members.empty()) {
      v.Add("covenant.terms.region",
            RegionName(participants.region_id) + " is not a registered region");
    } else {
      for (const auto& code : codes) {
        if (std::find(members.begin(), members.end(), code) == members.end()) {
          v.Add(field_of(code), MunicipalityName(code) + " is not a member of " +
                                    RegionName(participants.region_id));
        }
      }
    }
  }
  v.ThrowIfAny();
}

void StoreCopies(db::Work& tx, const std::string& covenant_id, const TermsRow& terms) {
  tx.exec_prepared0("covenants/set_covenant_copies", covenant_id,
                    TextArrayLiteral(terms.legal_bases),
                    TextArrayLiteral(terms.participants.municipalities),
                    terms.participants.region_id, terms.start_date, terms.end_date);
}

CovenantRecord ReadNewest(db::Work& tx, const std::string& covenant_id) {
  return ReadCovenant(tx.exec_prepared1("covenants/get_covenant", covenant_id, kEndOfTime));
}

// Appends `version` and marks the amendment adopted.
void Adopt(db::Work& tx, const std::string& covenant_id, const CovenantChange::Adoption& adoption,
           int version, const std::string& adopted_by) {
  CheckReferences(tx, adoption.terms.participants);
  tx.exec_prepared0("covenants/insert_covenant_version", covenant_id, version,
                    adoption.effective_from, adoption.terms.terms_json);
  StoreCopies(tx, covenant_id, adoption.terms);
  if (tx.exec_prepared("covenants/adopt_amendment", covenant_id, adoption.amendment_id,
                       adoption.meeting_id, version, adopted_by)
          .empty()) {
    throw Error::FailedPrecondition(
        "AMENDMENT_STATE",
        CovenantChildName(covenant_id, "amendments", std::to_string(adoption.amendment_id)) +
            " was adopted or withdrawn meanwhile");
  }
}

}  // namespace

CovenantChange CovenantChange::From(const CovenantRecord& current) {
  CovenantChange change;
  change.new_state = current.state;
  change.extensions_used = current.extensions_used;
  change.terminated_on = current.terminated_on;
  change.termination_reason = current.termination_reason;
  change.terminated_by = current.terminated_by;
  return change;
}

CovenantRecord PgCovenantStore::Create(db::Clock::time_point deadline,
                                       const audit::AuditContext& audit,
                                       const NewCovenant& covenant) {
  CovenantRecord record;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    CheckReferences(tx, covenant.terms.participants);
    const auto& t = covenant.terms;
    if (tx.exec_prepared("covenants/insert_covenant", covenant.covenant_id,
                         covenant.owner_municipality, covenant.owner_region,
                         TextArrayLiteral(t.legal_bases),
                         TextArrayLiteral(t.participants.municipalities), t.participants.region_id,
                         t.start_date, t.end_date)
            .empty()) {
      throw Error(ErrorCode::kAlreadyExists, "COVENANT_EXISTS",
                  CovenantName(covenant.covenant_id) + " already exists");
    }
    tx.exec_prepared0("covenants/insert_covenant_version", covenant.covenant_id, 1, t.start_date,
                      t.terms_json);
    record = ReadNewest(tx, covenant.covenant_id);
    const nlohmann::json change = {
        {"state", "draft"}, {"version", 1}, {"terms", nlohmann::json::parse(t.terms_json)}};
    audit::AppendEvent(tx, audit, CovenantName(covenant.covenant_id), change.dump());
  });
  return record;
}

namespace {

std::optional<CovenantRecord> ReadCovenantIn(db::Work& tx, const std::string& covenant_id,
                                             const std::string& as_of) {
  const auto rows = tx.exec_prepared("covenants/get_covenant", covenant_id, as_of);
  return rows.empty() ? std::nullopt : std::optional(ReadCovenant(rows[0]));
}

std::string ReadTodayIn(db::Work& tx) {
  return tx.exec_prepared1("covenants/today_in_the_netherlands")[0].as<std::string>();
}

}  // namespace

std::optional<CovenantRecord> PgCovenantStore::Get(db::Clock::time_point deadline,
                                                   const std::string& covenant_id,
                                                   const std::string& as_of) {
  std::optional<CovenantRecord> record;
  db::RunTransaction(pool_, deadline, kRead,
                     [&](db::Work& tx) { record = ReadCovenantIn(tx, covenant_id, as_of); });
  return record;
}

std::vector<CovenantRecord> PgCovenantStore::List(db::Clock::time_point deadline,
                                                  const Participants& draft_visibility,
                                                  const CovenantFilter& filter,
                                                  const std::string& after_id, int limit) {
  std::vector<CovenantRecord> records;
  db::RunTransaction(pool_, deadline, kRead, [&](db::Work& tx) {
    records.clear();
    for (const auto& row : tx.exec_prepared("covenants/list_covenants", after_id,
                                            TextArrayLiteral(draft_visibility.municipalities),
                                            draft_visibility.region_id, filter.state,
                                            filter.municipality, filter.legal_basis, limit)) {
      records.push_back(ReadCovenant(row));
    }
  });
  return records;
}

std::string PgCovenantStore::Today(db::Clock::time_point deadline) {
  std::string today;
  db::RunTransaction(pool_, deadline, kRead, [&](db::Work& tx) { today = ReadTodayIn(tx); });
  return today;
}

std::vector<VersionRecord> PgCovenantStore::ListVersions(db::Clock::time_point deadline,
                                                         const std::string& covenant_id) {
  std::vector<VersionRecord> versions;
  db::RunTransaction(pool_, deadline, kRead, [&](db::Work& tx) {
    versions.clear();
    for (const auto& row : tx.exec_prepared("covenants/list_covenant_versions", covenant_id)) {
      versions.push_back({row[0].as<int>(), row[1].as<std::string>(), row[2].as<std::int64_t>(),
                          row[3].as<int>(), row[4].as<int>(), row[5].as<std::string>()});
    }
  });
  return versions;
}

std::optional<std::string> PgCovenantStore::GetVersionTerms(db::Clock::time_point deadline,
                                                            const std::string& covenant_id,
                                                            int version) {
  std::optional<std::string> terms;
  db::RunTransaction(pool_, deadline, kRead, [&](db::Work& tx) {
    const auto rows =
        tx.exec_prepared("covenants/get_covenant_version_terms", covenant_id, version);
    terms = rows.empty() ? std::nullopt : std::optional(rows[0][0].as<std::string>());
  });
  return terms;
}

CovenantRecord PgCovenantStore::Change(
    db::Clock::time_point deadline, const audit::AuditContext& audit,
    const std::string& covenant_id,
    const std::function<CovenantChange(const CovenantRecord& current)>& decide) {
  CovenantRecord record;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    if (tx.exec_prepared("covenants/lock_covenant", covenant_id).empty()) {
      throw Error::NotFound(CovenantName(covenant_id));
    }
    const auto current = ReadNewest(tx, covenant_id);
    const CovenantChange change = decide(current);
    if (change.new_draft_terms) {
      const auto& terms = *change.new_draft_terms;
      CheckReferences(tx, terms.participants);
      tx.exec_prepared0("covenants/update_draft_terms", covenant_id, terms.terms_json,
                        terms.start_date);
      StoreCopies(tx, covenant_id, terms);
    }
    if (change.adoption) {
      Adopt(tx, covenant_id, *change.adoption, current.version + 1, audit.actor_subject);
    }
    tx.exec_prepared0("covenants/set_covenant_state", covenant_id,
                      std::string(StateName(change.new_state)), change.publish,
                      change.extensions_used, change.terminated_on, change.termination_reason,
                      change.terminated_by);
    record = ReadNewest(tx, covenant_id);
    audit::AppendEvent(tx, audit, CovenantName(covenant_id), change.audit_change_json);
  });
  return record;
}

}  // namespace regie::covenants
