#include <google/protobuf/util/time_util.h>

#include <map>
#include <nlohmann/json.hpp>

#include "covenant_rules.hpp"
#include "db/unit_of_work.hpp"
#include "error.hpp"
#include "names.hpp"
#include "provider_rules.hpp"
#include "providers_store.hpp"

namespace regie::providers {
namespace {

using google::protobuf::util::TimeUtil;

google::protobuf::Timestamp Micros(const pqxx::field& field) {
  return TimeUtil::MicrosecondsToTimestamp(field.as<std::int64_t>());
}

std::string IntArrayLiteral(const std::vector<int>& values) {
  std::string text = "{";
  for (std::size_t i = 0; i < values.size(); ++i) {
    text += (i ? "," : "") + std::to_string(values[i]);
  }
  return text + "}";
}

// The applications of `covenant_id` the filter selects, with their lots, assessments and
// objections.
std::vector<v1::Application> Select(db::Work& tx, const std::string& covenant_id,
                                    const ApplicationFilter& f, int limit) {
  std::vector<v1::Application> applications;
  std::map<int, std::size_t> index;
  for (const auto& row : tx.exec_prepared("providers/list_applications", covenant_id, f.kvk,
                                          f.window_date, f.after_id, limit, f.only_id)) {
    v1::Application a;
    const int id = row[1].as<int>();
    a.set_name(ApplicationName(covenant_id, id));
    a.set_provider(ProviderName(row[2].as<std::string>()));
    *a.mutable_window_date() = *covenants::ParseIsoDate(row[3].as<std::string>());
    a.set_note(row[4].as<std::string>());
    v1::Application::State state = v1::Application::STATE_UNSPECIFIED;
    v1::Application::State_Parse(row[5].as<std::string>(), &state);
    a.set_state(state);
    a.set_terms_version(row[6].as<int>());
    a.set_submitted_by(row[7].as<std::string>());
    *a.mutable_submit_time() = Micros(row[8]);
    *a.mutable_update_time() = Micros(row[9]);
    a.set_earlier_decision(row[10].as<std::string>());
    index[id] = applications.size();
    applications.push_back(std::move(a));
  }
  if (applications.empty()) {
    return applications;
  }
  std::vector<int> ids;
  for (const auto& [id, at] : index) {
    ids.push_back(id);
  }
  const auto id_list = IntArrayLiteral(ids);
  for (const auto& row : tx.exec_prepared("providers/list_lot_decisions", covenant_id, id_list)) {
    auto& application = applications[index.at(row[0].as<int>())];
    application.add_lot_ids(row[1].as<std::string>());
    auto* lot = application.add_lots();
    lot->set_lot_id(row[1].as<std::string>());
    v1::LotDecision::Outcome outcome = v1::LotDecision::OUTCOME_UNSPECIFIED;
    v1::LotDecision::Outcome_Parse(row[2].as<std::string>(), &outcome);
    lot->set_outcome(outcome);
    lot->set_letter(row[3].as<std::string>());
    lot->set_decided_by(row[4].as<std::string>());
    if (row[5].as<std::int64_t>() != 0) {
      *lot->mutable_decide_time() = Micros(row[5]);
    }
    if (row[6].as<std::int64_t>() != 0) {
      *lot->mutable_notify_time() = Micros(row[6]);
    }
    if (const auto from = row[7].as<std::string>(); !from.empty()) {
      *lot->mutable_in_force_from() = *covenants::ParseIsoDate(from);
    }
  }
  for (const auto& row : tx.exec_prepared("providers/list_assessments", covenant_id, id_list)) {
    auto* a = applications[index.at(row[0].as<int>())].add_assessments();
    a->set_requirement_id(row[1].as<std::string>());
    a->set_requirement_revision(row[2].as<int>());
    v1::Assessment::Result result = v1::Assessment::RESULT_UNSPECIFIED;
    v1::Assessment::Result_Parse(row[3].as<std::string>(), &result);
    a->set_result(result);
    a->set_motivation(row[4].as<std::string>());
    for (const auto& ref : nlohmann::json::parse(row[5].as<std::string>())) {
      auto* e = a->add_evidence();
      e->set_evidence(ref.at("evidence").get<std::string>());
      e->set_revision(ref.at("revision").get<int>());
    }
    a->set_assessor(row[6].as<std::string>());
    *a->mutable_assess_time() = Micros(row[7]);
  }
  for (const auto& row : tx.exec_prepared("providers/list_objections", covenant_id, id_list)) {
    auto& application = applications[index.at(row[0].as<int>())];
    for (auto& lot : *application.mutable_lots()) {
      if (lot.lot_id() != row[1].as<std::string>()) {
        continue;
      }
      auto* o = lot.add_objections();
      v1::Objection::Kind kind = v1::Objection::KIND_UNSPECIFIED;
      v1::Objection::Kind_Parse(row[2].as<std::string>(), &kind);
      o->set_kind(kind);
      *o->mutable_filed_date() = *covenants::ParseIsoDate(row[3].as<std::string>());
      o->set_summary(row[4].as<std::string>());
      o->set_registered_by(row[5].as<std::string>());
      *o->mutable_register_time() = Micros(row[6]);
    }
  }
  return applications;
}

v1::Application SelectOne(db::Work& tx, const std::string& covenant_id, int id) {
  auto found = Select(tx, covenant_id, {.only_id = id}, 1);
  if (found.empty()) {
    throw Error::NotFound(ApplicationName(covenant_id, id));
  }
  return std::move(found[0]);
}

// Writes what `next` adds to `current`: the rules only add assessments (or replace one),
// decisions and objections.
void Persist(db::Work& tx, const audit::AuditContext& audit, const std::string& covenant_id, int id,
             const std::string& kvk, const v1::Application& current, const v1::Application& next) {
  if (next.state() != current.state()) {
    tx.exec_prepared("providers/set_application_state", covenant_id, id,
                     v1::Application::State_Name(next.state()));
  }
  for (const auto& a : next.assessments()) {
    if (a.has_assess_time()) {
      continue;  // stored already
    }
    auto evidence = nlohmann::json::array();
    for (const auto& e : a.evidence()) {
      evidence.push_back({{"evidence", e.evidence()}, {"revision", e.revision()}});
    }
    tx.exec_prepared("providers/upsert_assessment", covenant_id, id, a.requirement_id(),
                     a.requirement_revision(), v1::Assessment::Result_Name(a.result()),
                     a.motivation(), evidence.dump(), audit.actor_subject);
  }
  for (int i = 0; i < next.lots_size(); ++i) {
    const auto& lot = next.lots(i);
    const auto& before = current.lots(i);
    if (lot.outcome() != before.outcome()) {
      const auto from =
          lot.has_in_force_from() ? covenants::IsoDate(lot.in_force_from()) : std::string();
      tx.exec_prepared("providers/decide_lot", covenant_id, id, lot.lot_id(),
                       v1::LotDecision::Outcome_Name(lot.outcome()), lot.letter(),
                       audit.actor_subject, from);
      if (lot.outcome() == v1::LotDecision::ADMITTED &&
          tx.exec_prepared("providers/admit_participation", covenant_id, kvk, lot.lot_id(), from,
                           id)
              .empty()) {
        throw Error::FailedPrecondition(
            "ALREADY_PARTICIPATING",
            ParticipationName(covenant_id, kvk, lot.lot_id()) + " is running already");
      }
    }
    for (const auto& o : lot.objections()) {
      if (!o.has_register_time()) {
        tx.exec_prepared("providers/insert_objection", covenant_id, id, lot.lot_id(),
                         v1::Objection::Kind_Name(o.kind()), covenants::IsoDate(o.filed_date()),
                         o.summary(), audit.actor_subject);
      }
    }
  }
}

}  // namespace

std::string ApplicationName(const std::string& covenant_id, int application_id) {
  return covenants::CovenantChildName(covenant_id, "applications", std::to_string(application_id));
}

std::string ParticipationName(const std::string& covenant_id, const std::string& kvk,
                              const std::string& lot_id) {
  return covenants::CovenantChildName(covenant_id, "participations", kvk + "-" + lot_id);
}

namespace {

// Inserts application `n` in `state` with one undecided row per lot, after the checks every new
// application gets; returns its id.
int InsertApplication(db::Work& tx, const audit::AuditContext& audit, const NewApplication& n,
                      const std::string& state, const std::string& earlier_decision) {
  if (tx.exec_prepared("covenants/lock_covenant", n.covenant_id).empty()) {
    throw Error::NotFound(covenants::CovenantName(n.covenant_id));
  }
  if (tx.exec_prepared("providers/lock_provider", n.kvk).empty()) {
    throw Error::FailedPrecondition(
        "PROVIDER_NOT_REGISTERED",
        ProviderName(n.kvk) + " is not registered: run `regie provider register` first");
  }
  const auto lots = TextArrayLiteral(n.lot_ids);
  const auto busy = tx.exec_prepared("providers/list_busy_lots", n.covenant_id, n.kvk, lots);
  if (!busy.empty()) {
    throw Error::FailedPrecondition("ALREADY_APPLIED", "lot " + busy[0][0].as<std::string>() +
                                                           ": " + ProviderName(n.kvk) + " has " +
                                                           busy[0][1].as<std::string>());
  }
  const int id =
      tx.exec_prepared1("providers/insert_application", n.covenant_id, n.kvk, n.window_date, n.note,
                        n.terms_version, audit.actor_subject, state, earlier_decision)[0]
          .as<int>();
  tx.exec_prepared("providers/insert_lot_decisions", n.covenant_id, id, lots, n.kvk);
  return id;
}

}  // namespace

v1::Application PgAdmissionStore::Submit(db::Clock::time_point deadline,
                                         const audit::AuditContext& audit,
                                         const NewApplication& n) {
  v1::Application stored;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    const int id = InsertApplication(tx, audit, n, "SUBMITTED", "");
    stored = SelectOne(tx, n.covenant_id, id);
    audit::AppendEvent(tx, audit, stored.name(),
                       nlohmann::json{{"state", "SUBMITTED"},
                                      {"provider", stored.provider()},
                                      {"lot_ids", n.lot_ids},
                                      {"window_date", n.window_date},
                                      {"terms_version", n.terms_version}}
                           .dump());
  });
  return stored;
}

v1::Application PgAdmissionStore::RecordEarlier(db::Clock::time_point deadline,
                                                const audit::AuditContext& audit,
                                                const NewApplication& n,
                                                const std::string& decision) {
  v1::Application stored;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    const int id = InsertApplication(tx, audit, n, "DECIDED", decision);
    for (const auto& lot : n.lot_ids) {
      tx.exec_prepared("providers/decide_lot", n.covenant_id, id, lot, "ADMITTED", decision,
                       audit.actor_subject, n.window_date);
      if (tx.exec_prepared("providers/admit_participation", n.covenant_id, n.kvk, lot,
                           n.window_date, id)
              .empty()) {
        throw Error::FailedPrecondition(
            "ALREADY_PARTICIPATING",
            ParticipationName(n.covenant_id, n.kvk, lot) + " is running already");
      }
    }
    stored = SelectOne(tx, n.covenant_id, id);
    audit::AppendEvent(tx, audit, stored.name(),
                       nlohmann::json{{"state", "DECIDED"},
                                      {"provider", stored.provider()},
                                      {"lot_ids", n.lot_ids},
                                      {"in_force_from", n.window_date},
                                      {"earlier_decision", decision},
                                      {"terms_version", n.terms_version}}
                           .dump());
  });
  return stored;
}

std::vector<v1::Application> PgAdmissionStore::List(db::Clock::time_point deadline,
                                                    const std::string& covenant_id,
                                                    const ApplicationFilter& filter, int limit) {
  std::vector<v1::Application> applications;
  db::RunTransaction(pool_, deadline, {.read_only = true},
                     [&](db::Work& tx) { applications = Select(tx, covenant_id, filter, limit); });
  return applications;
}

v1::Application PgAdmissionStore::Change(
    db::Clock::time_point deadline, const audit::AuditContext& audit,
    const std::string& covenant_id, int application_id,
    const std::function<ApplicationUpdate(const v1::Application& current)>& decide) {
  v1::Application stored;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    if (tx.exec_prepared("providers/lock_application", covenant_id, application_id).empty()) {
      throw Error::NotFound(ApplicationName(covenant_id, application_id));
    }
    const auto current = SelectOne(tx, covenant_id, application_id);
    const auto update = decide(current);
    const auto kvk = KvkOf(current.provider());
    Persist(tx, audit, covenant_id, application_id, kvk, current, update.next);
    stored = SelectOne(tx, covenant_id, application_id);
    audit::AppendEvent(tx, audit, stored.name(), update.audit_json);
  });
  return stored;
}

}  // namespace regie::providers
