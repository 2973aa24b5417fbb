#include <google/protobuf/util/time_util.h>

#include "covenant_rules.hpp"
#include "db/unit_of_work.hpp"
#include "error.hpp"
#include "proto_json.hpp"
#include "provider_rules.hpp"
#include "providers_store.hpp"

namespace regie::providers {
namespace {

using google::protobuf::util::TimeUtil;

std::string DateText(const google::type::Date& date, bool set) {
  return set ? covenants::IsoDate(date) : std::string();
}

// Columns of list_participations.sql.
v1::Participation ReadParticipation(const pqxx::row& row) {
  v1::Participation p;
  const auto covenant_id = row[0].as<std::string>();
  const auto kvk = row[1].as<std::string>();
  p.set_lot_id(row[2].as<std::string>());
  p.set_name(ParticipationName(covenant_id, kvk, p.lot_id()));
  p.set_provider(ProviderName(kvk));
  v1::Participation::State state = v1::Participation::STATE_UNSPECIFIED;
  v1::Participation::State_Parse(row[3].as<std::string>(), &state);
  p.set_state(state);
  *p.mutable_in_force_from() = *covenants::ParseIsoDate(row[4].as<std::string>());
  p.set_application(ApplicationName(covenant_id, row[5].as<int>()));
  if (const auto reason = row[6].as<std::string>(); !reason.empty()) {
    auto* s = p.mutable_suspension();
    s->set_reason(reason);
    if (const auto until = row[7].as<std::string>(); !until.empty()) {
      *s->mutable_until_date() = *covenants::ParseIsoDate(until);
    }
    s->set_automatic(row[8].as<bool>());
    s->set_suspended_by(row[9].as<std::string>());
    *s->mutable_suspend_time() = TimeUtil::MicrosecondsToTimestamp(row[10].as<std::int64_t>());
  }
  if (const auto kind_name = row[11].as<std::string>(); !kind_name.empty()) {
    auto* e = p.mutable_ending();
    v1::Ending::Kind kind = v1::Ending::KIND_UNSPECIFIED;
    v1::Ending::Kind_Parse(kind_name, &kind);
    e->set_kind(kind);
    *e->mutable_end_date() = *covenants::ParseIsoDate(row[12].as<std::string>());
    e->set_reason(row[13].as<std::string>());
    e->set_ended_by(row[14].as<std::string>());
    *e->mutable_end_time() = TimeUtil::MicrosecondsToTimestamp(row[15].as<std::int64_t>());
  }
  p.set_etag(row[16].as<std::int64_t>());
  *p.mutable_update_time() = TimeUtil::MicrosecondsToTimestamp(row[17].as<std::int64_t>());
  return p;
}

std::vector<v1::Participation> Select(db::Work& tx, const ParticipationFilter& f, int limit) {
  std::vector<v1::Participation> found;
  for (const auto& row :
       tx.exec_prepared("providers/list_participations", f.covenant_id, f.kvk, f.lot_id, f.state,
                        f.after_kvk, f.after_lot, limit, f.after_covenant)) {
    found.push_back(ReadParticipation(row));
  }
  return found;
}

}  // namespace

std::vector<v1::Participation> PgParticipationStore::List(db::Clock::time_point deadline,
                                                          const ParticipationFilter& filter,
                                                          int limit) {
  std::vector<v1::Participation> found;
  db::RunTransaction(pool_, deadline, {.read_only = true},
                     [&](db::Work& tx) { found = Select(tx, filter, limit); });
  return found;
}

v1::Participation PgParticipationStore::Change(
    db::Clock::time_point deadline, const audit::AuditContext& audit,
    const std::string& covenant_id, const std::string& kvk, const std::string& lot_id,
    const std::function<std::optional<v1::Participation>(const v1::Participation& current)>&
        decide) {
  v1::Participation stored;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    const auto name = ParticipationName(covenant_id, kvk, lot_id);
    if (tx.exec_prepared("providers/lock_participation", covenant_id, kvk, lot_id).empty()) {
      throw Error::NotFound(name);
    }
    const ParticipationFilter only{.covenant_id = covenant_id, .kvk = kvk, .lot_id = lot_id};
    const auto current = Select(tx, only, 1).at(0);
    const auto next = decide(current);
    if (!next) {
      stored = current;
      return;
    }
    const auto& s = next->suspension();
    const auto& e = next->ending();
    tx.exec_prepared("providers/update_participation", covenant_id, kvk, lot_id,
                     v1::Participation::State_Name(next->state()), s.reason(),
                     DateText(s.until_date(), s.has_until_date()), s.automatic(),
                     next->has_ending() ? v1::Ending::Kind_Name(e.kind()) : "",
                     DateText(e.end_date(), next->has_ending()), audit.actor_subject, e.reason());
    stored = Select(tx, only, 1).at(0);
    auto change = stored;
    change.clear_etag();
    change.clear_update_time();
    audit::AppendEvent(tx, audit, name, ToJson(change));
  });
  return stored;
}

}  // namespace regie::providers
