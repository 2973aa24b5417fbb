#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "covenant_rules.hpp"
#include "db/unit_of_work.hpp"
#include "deadlines.hpp"
#include "names.hpp"
#include "outcomes_store.hpp"
#include "proto_json.hpp"
#include "provider_rules.hpp"

namespace regie::outcomes {
namespace {

using google::protobuf::util::TimeUtil;
using providers::FromJson;
using providers::ToJson;

// Columns of list_indicators.sql.
v1::Indicator ReadIndicator(const pqxx::row& row) {
  v1::Indicator i;
  i.set_name(IndicatorName(row[0].as<std::string>()));
  i.set_title(row[1].as<std::string>());
  i.set_reference(row[2].as<std::string>());
  i.set_law(row[3].as<std::string>());
  i.set_numerator(row[4].as<std::string>());
  i.set_denominator(row[5].as<std::string>());
  auto direction = v1::Indicator::DIRECTION_UNSPECIFIED;
  v1::Indicator::Direction_Parse(row[6].as<std::string>(), &direction);
  i.set_direction(direction);
  i.set_window_months(row[7].as<int>());
  i.set_lag_months(row[8].as<int>());
  i.set_minimum_n(row[9].as<int>());
  return i;
}

// A stored message from its columns: `content_pb` (binary protobuf, docs/adr/0020), or the JSON
// `content` of a row stored before V0019 when that is NULL.
template <typename Message>
Message StoredContent(const pqxx::field& binary, const pqxx::field& json) {
  if (binary.is_null()) {
    return FromJson<Message>(json.as<std::string>());
  }
  Message message;
  if (!message.ParseFromString(db::BytesOf(binary))) {
    throw std::runtime_error("stored binary content is not a " + message.GetTypeName());
  }
  return message;
}

struct AgreementQuery {
  std::string lot_id{};
  std::string agreement_id{};
  std::string kvk{};
  std::string as_of{};
  int version = 0;
  std::string after_lot{};
  std::string after_agreement{};
  int limit = 1;
  bool every_version = false;
};

std::vector<v1::Agreement> SelectAgreements(db::Work& tx, const std::string& covenant_id,
                                            const AgreementQuery& q) {
  std::vector<v1::Agreement> agreements;
  const auto as_of = q.as_of.empty() ? std::string("infinity") : q.as_of;
  for (const auto& row : tx.exec_prepared("outcomes/select_agreements", covenant_id, q.lot_id,
                                          q.agreement_id, q.kvk, as_of, q.version, q.after_lot,
                                          q.after_agreement, q.limit, q.every_version)) {
    auto a = StoredContent<v1::Agreement>(row[0], row[1]);
    *a.mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(row[2].as<std::int64_t>());
    agreements.push_back(std::move(a));
  }
  return agreements;
}

v1::Agreement InsertVersion(db::Work& tx, const audit::AuditContext& audit,
                            const covenants::AgreementRef& ref, int amendment_id,
                            v1::Agreement version) {
  version.set_name(covenants::AgreementName(ref));
  version.set_created_by(audit.actor_subject);
  version.clear_create_time();  // the row keeps it
  const auto json = ToJson(version);
  if (tx.exec_prepared("outcomes/insert_agreement_version", ref.covenant_id, ref.lot_id,
                       ref.agreement_id, version.version(),
                       covenants::IsoDate(version.effective_date()), amendment_id, json,
                       audit.actor_subject, db::Bytes(version.SerializeAsString()))
          .empty()) {
    throw Error::FailedPrecondition("AMENDMENT_USED", version.amendment() + " has given " +
                                                          version.name() + " a version already");
  }
  audit::AppendEvent(tx, audit, version.name(), json);
  return SelectAgreements(
             tx, ref.covenant_id,
             {.lot_id = ref.lot_id, .agreement_id = ref.agreement_id, .version = version.version()})
      .at(0);
}

// Columns of select_settlements.sql.
v1::Settlement ReadSettlement(const pqxx::row& row) {
  auto s = StoredContent<v1::Settlement>(row[0], row[1]);
  *s.mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(row[2].as<std::int64_t>());
  s.set_state(row[3].as<bool>() ? v1::Settlement::SUPERSEDED : v1::Settlement::CURRENT);
  return s;
}

std::vector<v1::Settlement> SelectSettlements(db::Work& tx, const SettlementFilter& f,
                                              const std::string& settlement_id, int version,
                                              int limit) {
  std::vector<v1::Settlement> settlements;
  for (const auto& row :
       tx.exec_prepared("outcomes/select_settlements", f.covenant_id, settlement_id, version,
                        f.period, f.kvk, f.lot_id, f.after_id, limit)) {
    settlements.push_back(ReadSettlement(row));
  }
  return settlements;
}

}  // namespace

std::string SettlementName(const std::string& covenant_id, const std::string& settlement_id) {
  return covenants::CovenantChildName(covenant_id, "settlements", settlement_id);
}

std::string ReportName(const std::string& covenant_id, const std::string& report_id) {
  return covenants::CovenantChildName(covenant_id, "reports", report_id);
}

std::optional<v1::Indicator> PgIndicatorStore::Get(db::Clock::time_point deadline,
                                                   const std::string& indicator_id) {
  std::optional<v1::Indicator> found;
  db::RunTransaction(pool_, deadline, {.read_only = true}, [&](db::Work& tx) {
    for (const auto& row : tx.exec_prepared("outcomes/list_indicators", indicator_id, "", 1)) {
      found = ReadIndicator(row);
    }
  });
  return found;
}

std::vector<v1::Indicator> PgIndicatorStore::List(db::Clock::time_point deadline,
                                                  const std::string& after_id, int limit) {
  std::vector<v1::Indicator> indicators;
  db::RunTransaction(pool_, deadline, {.read_only = true}, [&](db::Work& tx) {
    for (const auto& row : tx.exec_prepared("outcomes/list_indicators", "", after_id, limit)) {
      indicators.push_back(ReadIndicator(row));
    }
  });
  return indicators;
}

v1::Agreement PgAgreementStore::Create(db::Clock::time_point deadline,
                                       const audit::AuditContext& audit,
                                       const covenants::AgreementRef& ref,
                                       const v1::Agreement& first) {
  v1::Agreement stored;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    const auto kvk = first.provider().empty() ? std::string() : providers::KvkOf(first.provider());
    if (tx.exec_prepared("outcomes/insert_agreement", ref.covenant_id, ref.lot_id, ref.agreement_id,
                         kvk, audit.actor_subject)
            .empty()) {
      throw Error(ErrorCode::kAlreadyExists, "AGREEMENT_EXISTS",
                  covenants::AgreementName(ref) + " exists already");
    }
    stored = InsertVersion(tx, audit, ref, 0, first);
  });
  return stored;
}

std::optional<v1::Agreement> PgAgreementStore::Get(db::Clock::time_point deadline,
                                                   const covenants::AgreementRef& ref,
                                                   const std::string& as_of, int version) {
  std::optional<v1::Agreement> found;
  db::RunTransaction(pool_, deadline, {.read_only = true}, [&](db::Work& tx) {
    auto rows = SelectAgreements(tx, ref.covenant_id,
                                 {.lot_id = ref.lot_id,
                                  .agreement_id = ref.agreement_id,
                                  .as_of = as_of,
                                  .version = version});
    if (!rows.empty()) {
      found = std::move(rows[0]);
    }
  });
  return found;
}

std::vector<v1::Agreement> PgAgreementStore::Versions(db::Clock::time_point deadline,
                                                      const covenants::AgreementRef& ref) {
  std::vector<v1::Agreement> versions;
  db::RunTransaction(pool_, deadline, {.read_only = true}, [&](db::Work& tx) {
    versions = SelectAgreements(tx, ref.covenant_id,
                                {.lot_id = ref.lot_id,
                                 .agreement_id = ref.agreement_id,
                                 .limit = 10000,
                                 .every_version = true});
  });
  return versions;
}

std::vector<v1::Agreement> PgAgreementStore::List(db::Clock::time_point deadline,
                                                  const AgreementFilter& filter, int limit) {
  std::vector<v1::Agreement> agreements;
  db::RunTransaction(pool_, deadline, {.read_only = true}, [&](db::Work& tx) {
    agreements = SelectAgreements(tx, filter.covenant_id,
                                  {.lot_id = filter.lot_id,
                                   .kvk = filter.kvk,
                                   .as_of = filter.as_of,
                                   .after_lot = filter.after_lot,
                                   .after_agreement = filter.after_agreement,
                                   .limit = limit});
  });
  return agreements;
}

v1::Agreement PgAgreementStore::Amend(db::Clock::time_point deadline,
                                      const audit::AuditContext& audit,
                                      const covenants::AgreementRef& ref, int amendment_id,
                                      const v1::Agreement& next) {
  v1::Agreement stored;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    if (tx.exec_prepared("outcomes/lock_agreement", ref.covenant_id, ref.lot_id, ref.agreement_id)
            .empty()) {
      throw Error::NotFound(covenants::AgreementName(ref));
    }
    const auto newest = SelectAgreements(tx, ref.covenant_id,
                                         {.lot_id = ref.lot_id,
                                          .agreement_id = ref.agreement_id,
                                          .limit = 10000,
                                          .every_version = true})
                            .back();
    const auto from = covenants::IsoDate(next.effective_date());
    if (from < covenants::IsoDate(newest.effective_date())) {
      throw Error::FailedPrecondition(
          "EFFECTIVE_DATE", "the amendment takes effect on " + from + ", before version " +
                                std::to_string(newest.version()) + " of " + newest.name() + " (" +
                                covenants::IsoDate(newest.effective_date()) + ")");
    }
    auto version = next;
    version.set_version(newest.version() + 1);
    stored = InsertVersion(tx, audit, ref, amendment_id, version);
  });
  return stored;
}

std::vector<std::pair<v1::Settlement, Recorded>> PgSettlementStore::Record(
    db::Clock::time_point deadline, const audit::AuditContext& audit,
    const std::string& covenant_id, const std::vector<ComputedSettlement>& batch) {
  std::vector<std::string> ids;
  for (const auto& item : batch) {
    ids.push_back(item.settlement_id);
  }
  std::sort(ids.begin(), ids.end());
  std::vector<std::pair<v1::Settlement, Recorded>> results;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    results.clear();
    tx.exec_prepared("outcomes/lock_settlements", covenant_id, TextArrayLiteral(ids));
    std::map<std::string, v1::Settlement> before;  // the newest version of each, by id
    for (const auto& row :
         tx.exec_prepared("outcomes/newest_settlements", covenant_id, TextArrayLiteral(ids))) {
      before[row[4].as<std::string>()] = ReadSettlement(row);
    }
    std::vector<std::string> stored_ids, versions, periods, kvks, lots, agreement_ids,
        agreement_versions, digests, totals, contents;
    std::vector<audit::ResourceChange> events;
    std::map<std::string, v1::Settlement> created;  // by settlement id
    for (const auto& [settlement_id, computed] : batch) {
      const auto previous = before.find(settlement_id);
      if (previous != before.end() &&
          previous->second.inputs_digest() == computed.inputs_digest()) {
        results.emplace_back(previous->second, Recorded::kUnchanged);
        continue;
      }
      auto next = computed;
      next.set_name(SettlementName(covenant_id, settlement_id));
      next.set_version(previous == before.end() ? 1 : previous->second.version() + 1);
      next.set_difference_eurocents(
          previous == before.end() ? 0
                                   : next.total_eurocents() - previous->second.total_eurocents());
      next.set_run_by(audit.actor_subject);
      next.clear_state();
      next.clear_create_time();
      stored_ids.push_back(settlement_id);
      versions.push_back(std::to_string(next.version()));
      periods.push_back(next.period());
      kvks.push_back(providers::KvkOf(next.provider()));
      lots.push_back(next.lot_id());
      agreement_ids.push_back(next.agreement().substr(next.agreement().rfind('/') + 1));
      agreement_versions.push_back(std::to_string(next.agreement_version()));
      digests.push_back(next.inputs_digest());
      totals.push_back(std::to_string(next.total_eurocents()));
      contents.push_back(next.SerializeAsString());
      events.push_back(
          {next.name(), nlohmann::json{{"version", next.version()},
                                       {"period", next.period()},
                                       {"agreement", next.agreement()},
                                       {"agreement_version", next.agreement_version()},
                                       {"total_eurocents", next.total_eurocents()},
                                       {"difference_eurocents", next.difference_eurocents()},
                                       {"inputs_digest", next.inputs_digest()}}
                            .dump()});
      results.emplace_back(v1::Settlement{},
                           previous == before.end() ? Recorded::kCreated : Recorded::kSuperseded);
      created[settlement_id] = std::move(next);
    }
    if (stored_ids.empty()) {
      return;
    }
    // Every new version in one statement, their events in another. What was stored is `created`
    // with the database's creation time: nothing is read back.
    for (const auto& row : tx.exec_prepared(
             "outcomes/insert_settlements", covenant_id, TextArrayLiteral(stored_ids),
             TextArrayLiteral(versions), TextArrayLiteral(periods), TextArrayLiteral(kvks),
             TextArrayLiteral(lots), TextArrayLiteral(agreement_ids),
             TextArrayLiteral(agreement_versions), TextArrayLiteral(digests),
             TextArrayLiteral(totals), db::ByteaArray(contents), audit.actor_subject)) {
      auto& stored = created.at(row[0].as<std::string>());
      *stored.mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(row[1].as<std::int64_t>());
      stored.set_state(v1::Settlement::CURRENT);
    }
    audit::AppendEvents(tx, audit, events);
    for (std::size_t i = 0; i < batch.size(); ++i) {
      if (results[i].second != Recorded::kUnchanged) {
        results[i].first = created.at(batch[i].settlement_id);
      }
    }
  });
  return results;
}

std::optional<v1::Settlement> PgSettlementStore::Get(db::Clock::time_point deadline,
                                                     const std::string& covenant_id,
                                                     const std::string& settlement_id,
                                                     int version) {
  std::optional<v1::Settlement> found;
  db::RunTransaction(pool_, deadline, {.read_only = true}, [&](db::Work& tx) {
    auto rows = SelectSettlements(tx, {.covenant_id = covenant_id}, settlement_id, version, 1);
    if (!rows.empty()) {
      found = std::move(rows[0]);
    }
  });
  return found;
}

std::vector<v1::Settlement> PgSettlementStore::List(db::Clock::time_point deadline,
                                                    const SettlementFilter& filter, int limit) {
  std::vector<v1::Settlement> settlements;
  db::RunTransaction(pool_, deadline, {.read_only = true}, [&](db::Work& tx) {
    settlements = SelectSettlements(tx, filter, "", 0, limit);
  });
  return settlements;
}

std::map<std::string, AcceptedResults> PgResultsReader::Read(db::Clock::time_point deadline,
                                                             const std::string& covenant_id,
                                                             const std::string& lot_id,
                                                             const Period& period) {
  std::map<std::string, AcceptedResults> by_kvk;
  const auto first = covenants::IsoDay(period.first);
  const auto last = covenants::IsoDay(period.last);
  // One snapshot for the three reads, so that a review in between cannot mix versions.
  db::RunTransaction(
      pool_, deadline, {.isolation = db::Isolation::kRepeatableRead, .read_only = true},
      [&](db::Work& tx) {
        by_kvk.clear();
        for (const auto& row :
             tx.exec_prepared("reports/accepted_inputs", covenant_id, first, last, lot_id)) {
          v1::SettlementInput input;
          input.set_report(ReportName(covenant_id, row[1].as<std::string>()));
          input.set_version(row[2].as<int>());
          by_kvk[row[0].as<std::string>()].reports.push_back(std::move(input));
        }
        for (const auto& row : tx.exec_prepared("reports/accepted_indicator_sums", covenant_id,
                                                first, last, lot_id)) {
          by_kvk[row[0].as<std::string>()].sums[IndicatorName(row[1].as<std::string>())] = {
              row[2].as<std::int64_t>(), row[3].as<std::int64_t>()};
        }
        for (const auto& row : tx.exec_prepared("reports/accepted_declared_amount", covenant_id,
                                                first, last, lot_id)) {
          by_kvk[row[0].as<std::string>()].declared_eurocents = row[1].as<std::int64_t>();
        }
      });
  return by_kvk;
}

}  // namespace regie::outcomes
