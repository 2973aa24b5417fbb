#include <google/protobuf/util/time_util.h>

#include <nlohmann/json.hpp>

#include "covenant_rules.hpp"
#include "crypto.hpp"
#include "db/unit_of_work.hpp"
#include "deadlines.hpp"
#include "names.hpp"
#include "outcome_rules.hpp"
#include "provider_rules.hpp"
#include "reference_rules.hpp"
#include "report_rules.hpp"
#include "reports_store.hpp"

namespace regie::reports {
namespace {

using db::Bytes;
using db::BytesOf;
using google::protobuf::util::TimeUtil;

// A report version from the columns of select_versions.sql, without its lines.
v1::Report ReadHeader(const pqxx::row& row) {
  v1::Report r;
  const auto covenant_id = row[0].as<std::string>();
  const auto report_id = row[1].as<std::string>();
  r.set_name(ReportName(covenant_id, report_id));
  r.set_version(row[2].as<int>());
  auto* content = r.mutable_content();
  content->set_covenant(covenants::CovenantName(covenant_id));
  content->set_provider(providers::ProviderName(row[3].as<std::string>()));
  const auto kind = KindFromText(row[4].as<std::string>()).value_or(v1::REPORT_KIND_UNSPECIFIED);
  content->set_kind(kind);
  const auto start = covenants::ToDays(*covenants::ParseIsoDate(row[5].as<std::string>()));
  content->set_period(PeriodText(kind, start));
  *r.mutable_period_start() = covenants::ToDate(start);
  *r.mutable_period_end() = *covenants::ParseIsoDate(row[6].as<std::string>());
  r.set_state(StateFromText(row[7].as<std::string>()));
  *r.mutable_submit_time() = TimeUtil::MicrosecondsToTimestamp(row[8].as<std::int64_t>());
  r.set_submitted_by(row[9].as<std::string>());
  if (const auto due = row[10].as<std::string>(); !due.empty()) {
    *r.mutable_due_date() = *covenants::ParseIsoDate(due);
  }
  r.set_late(row[11].as<bool>());
  content->mutable_signals()->set_financial_early_warning(row[12].as<bool>());
  content->mutable_signals()->set_waiting_list(row[13].as<bool>());
  content->mutable_signals()->set_note(row[14].as<std::string>());
  content->set_remarks(row[15].as<std::string>());
  if (!row[16].is_null()) {
    r.set_signature(BytesOf(row[16]));
  }
  r.set_signer_certificate(row[17].as<std::string>());
  if (!row[18].is_null()) {
    r.set_signer_fingerprint(BytesOf(row[18]));
  }
  r.set_review_reason(row[19].as<std::string>());
  r.set_reviewed_by(row[20].as<std::string>());
  if (const auto reviewed = row[21].as<std::int64_t>(); reviewed != 0) {
    *r.mutable_review_time() = TimeUtil::MicrosecondsToTimestamp(reviewed);
  }
  return r;
}

// The lines of `report`'s version, in canonical order.
void ReadLines(db::Work& tx, const std::string& covenant_id, const std::string& report_id,
               v1::Report& report) {
  std::map<std::pair<std::string, std::string>, v1::ReportLine*> lines;
  auto* content = report.mutable_content();
  for (const auto& row :
       tx.exec_prepared("reports/select_count_lines", covenant_id, report_id, report.version())) {
    auto* line = content->add_lines();
    line->set_municipality(covenants::MunicipalityName(row[0].as<std::string>()));
    line->set_lot_id(row[1].as<std::string>());
    line->set_clients_in_care(row[2].as<std::int64_t>());
    line->set_inflow(row[3].as<std::int64_t>());
    line->set_outflow(row[4].as<std::int64_t>());
    line->set_unilateral_endings(row[5].as<std::int64_t>());
    if (!row[6].is_null()) {
      line->set_median_waiting_days(row[6].as<int>());
    }
    line->set_complaints(row[7].as<std::int64_t>());
    line->set_serious_incidents(row[8].as<std::int64_t>());
    lines[{row[0].as<std::string>(), line->lot_id()}] = line;
  }
  // Amount and indicator rows always have their count line (written together); one without is
  // shown on a line of zeros so that nothing stored is hidden.
  auto line_for = [&](const pqxx::row& row) {
    auto& line = lines[{row[0].as<std::string>(), row[1].as<std::string>()}];
    if (line == nullptr) {
      line = content->add_lines();
      line->set_municipality(covenants::MunicipalityName(row[0].as<std::string>()));
      line->set_lot_id(row[1].as<std::string>());
    }
    return line;
  };
  for (const auto& row :
       tx.exec_prepared("reports/select_amount_lines", covenant_id, report_id, report.version())) {
    auto* amount = line_for(row)->add_amounts();
    amount->set_product_code(row[2].as<std::string>());
    amount->set_amount_eurocents(row[3].as<std::int64_t>());
  }
  for (const auto& row : tx.exec_prepared("reports/select_indicator_lines", covenant_id, report_id,
                                          report.version())) {
    auto* count = line_for(row)->add_indicators();
    count->set_indicator(outcomes::IndicatorName(row[2].as<std::string>()));
    count->set_numerator(row[3].as<std::int64_t>());
    count->set_denominator(row[4].as<std::int64_t>());
  }
}

// A string of stored JSON (`key` of an object, or the value itself); "" when absent or not a
// string.
std::string TextIn(const nlohmann::json& value, const char* key = nullptr) {
  const auto* found = &value;
  if (key != nullptr) {
    const auto at = value.find(key);
    if (at == value.end()) {
      return {};
    }
    found = &*at;
  }
  return found->is_string() ? found->get<std::string>() : std::string();
}

std::vector<v1::Report> SelectVersions(db::Work& tx, const std::string& covenant_id,
                                       const std::string& report_id) {
  std::vector<v1::Report> versions;
  for (const auto& row : tx.exec_prepared("reports/select_versions", covenant_id, report_id)) {
    versions.push_back(ReadHeader(row));
    ReadLines(tx, covenant_id, report_id, versions.back());
  }
  for (std::size_t i = 0; i + 1 < versions.size(); ++i) {
    versions[i].set_superseded(true);
  }
  return versions;
}

v1::Report SelectVersion(db::Work& tx, const std::string& covenant_id, const std::string& report_id,
                         int version) {
  const auto rows = tx.exec_prepared("reports/select_version", covenant_id, report_id, version);
  if (rows.empty()) {
    throw Error::NotFound(ReportName(covenant_id, report_id));
  }
  auto report = ReadHeader(rows[0]);
  report.set_superseded(rows[0]["superseded"].as<bool>());
  ReadLines(tx, covenant_id, report_id, report);
  return report;
}

// The lines of `next` as the array parameters of submit_version.sql ($19-$36), one element per
// line (counts), per amount and per indicator figure, built as literals directly: a report may
// have 10,000 lines and 50,000 indicator figures.
struct LineArrays {
  TextArrayBuilder municipalities, lots, in_care, inflow, outflow, endings, waiting, complaints,
      incidents;
  TextArrayBuilder a_municipalities, a_lots, a_codes, a_amounts;
  TextArrayBuilder i_municipalities, i_lots, i_ids, i_numerators, i_denominators;

  explicit LineArrays(const v1::ReportContent& content) {
    for (const auto& line : content.lines()) {
      Validation unused;
      const auto code = covenants::ParseMunicipalityName(line.municipality(), unused, "");
      municipalities.Add(code);
      lots.Add(line.lot_id());
      in_care.Add(std::to_string(line.clients_in_care()));
      inflow.Add(std::to_string(line.inflow()));
      outflow.Add(std::to_string(line.outflow()));
      endings.Add(std::to_string(line.unilateral_endings()));
      waiting.Add(line.has_median_waiting_days() ? std::to_string(line.median_waiting_days()) : "");
      complaints.Add(std::to_string(line.complaints()));
      incidents.Add(std::to_string(line.serious_incidents()));
      for (const auto& amount : line.amounts()) {
        a_municipalities.Add(code);
        a_lots.Add(line.lot_id());
        a_codes.Add(amount.product_code());
        a_amounts.Add(std::to_string(amount.amount_eurocents()));
      }
      for (const auto& count : line.indicators()) {
        i_municipalities.Add(code);
        i_lots.Add(line.lot_id());
        i_ids.Add(outcomes::ParseIndicatorName(count.indicator(), unused, ""));
        i_numerators.Add(std::to_string(count.numerator()));
        i_denominators.Add(std::to_string(count.denominator()));
      }
    }
  }
};

// The version an earlier request stored, or nullopt.
std::optional<StoredRequest> FindRequestIn(db::Work& tx, const std::string& kvk,
                                           const std::string& request_id) {
  const auto found = tx.exec_prepared("reports/find_request", kvk, request_id);
  if (found.empty()) {
    return std::nullopt;
  }
  const auto& row = found[0];
  return StoredRequest{
      SelectVersion(tx, row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<int>()),
      row[3].is_null() ? std::string() : BytesOf(row[3])};
}

}  // namespace

v1::Report RetryAnswer(const StoredRequest& earlier, const std::string& content_digest,
                       const std::string& request_id) {
  if (earlier.content_digest != content_digest) {
    throw Error(ErrorCode::kAlreadyExists, "REQUEST_ID_REUSED",
                "request id " + request_id + " was used for other content (" +
                    earlier.report.name() + " version " + std::to_string(earlier.report.version()) +
                    "); use a fresh request id for a new submission");
  }
  return earlier.report;
}

// One statement reads the facts (submission_facts.sql); a retry, which is rare, reads the
// version it stored then.
SubmissionFacts PgReportStore::ReadSubmissionFacts(db::Clock::time_point deadline,
                                                   const std::string& kvk,
                                                   const std::string& request_id,
                                                   const std::string& covenant_id,
                                                   const std::string& period_start,
                                                   const std::string& period_end) {
  SubmissionFacts facts;
  bool retry = false;
  db::RunTransaction(
      pool_, deadline, {.read_only = true, .single_statement = true}, [&](db::Work& tx) {
        facts = {};
        const auto row = tx.exec_prepared1("reports/submission_facts", kvk, request_id, covenant_id,
                                           period_start, period_end);
        retry = !row[0].is_null();
        if (retry) {
          return;
        }
        facts.today = row[4].as<std::string>();
        for (auto& lot : db::TextsOf(row[5])) {
          facts.lots.insert(std::move(lot));
        }
        if (!row[6].is_null()) {
          facts.covenant = covenants::ReadCovenantRow(row, 6);
        }
      });
  if (retry) {
    db::RunTransaction(pool_, deadline,
                       {.isolation = db::Isolation::kRepeatableRead, .read_only = true},
                       [&](db::Work& tx) { facts.earlier = FindRequestIn(tx, kvk, request_id); });
  }
  return facts;
}

// The version, its lines and its audit event are stored by one statement (submit_version.sql),
// which numbers the version under the report's lock. A request id used before (also by a
// submission that committed after the caller's first look) makes it store nothing: the version
// that request stored is then read, and the answer is a retry's. The stored version is built from
// what was inserted rather than read back: its lines are `next.content`'s, already canonical.
v1::Report PgReportStore::Submit(db::Clock::time_point deadline, const audit::AuditContext& audit,
                                 const NewVersion& next) {
  const LineArrays l(next.content);
  const auto change = nlohmann::json{{"state", "SUBMITTED"},
                                     {"provider", next.content.provider()},
                                     {"kind", KindText(next.kind)},
                                     {"period", next.content.period()},
                                     {"lines", next.content.lines_size()},
                                     {"late", next.late},
                                     {"content_sha256", ToHex(next.content_digest)},
                                     {"signer_fingerprint", ToHex(next.signer_fingerprint)}}
                          .dump();
  std::optional<v1::Report> stored;
  // Safe to run twice, as single_statement asks: a second run finds the request id used.
  db::RunTransaction(pool_, deadline, {.single_statement = true}, [&](db::Work& tx) {
    const auto rows = tx.exec_prepared(
        "reports/submit_version", next.covenant_id, next.report_id, next.kvk, KindText(next.kind),
        next.period_start, next.period_end, next.request_id, next.submitted_by, next.due_date,
        next.late, next.content.signals().financial_early_warning(),
        next.content.signals().waiting_list(), next.content.signals().note(),
        next.content.remarks(), Bytes(next.content_digest), Bytes(next.signature),
        next.signer_certificate, Bytes(next.signer_fingerprint), l.municipalities.Literal(),
        l.lots.Literal(), l.in_care.Literal(), l.inflow.Literal(), l.outflow.Literal(),
        l.endings.Literal(), l.waiting.Literal(), l.complaints.Literal(), l.incidents.Literal(),
        l.a_municipalities.Literal(), l.a_lots.Literal(), l.a_codes.Literal(),
        l.a_amounts.Literal(), l.i_municipalities.Literal(), l.i_lots.Literal(), l.i_ids.Literal(),
        l.i_numerators.Literal(), l.i_denominators.Literal(), audit.actor_subject, audit.actor_role,
        audit.actor_organisation, audit.rpc, ReportName(next.covenant_id, next.report_id),
        audit.request_id, Bytes(audit.request_digest), change);
    stored.reset();
    if (!rows.empty()) {
      stored = ReadHeader(rows[0]);
    }
  });
  if (!stored) {
    // The request id was used before: that version has committed (an insert that conflicts waits
    // for the other), so the primary's next snapshot holds it.
    std::optional<StoredRequest> earlier;
    db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
      earlier = FindRequestIn(tx, next.kvk, next.request_id);
    });
    return RetryAnswer(earlier.value(), next.content_digest, next.request_id);
  }
  *stored->mutable_content()->mutable_lines() = next.content.lines();
  return *std::move(stored);
}

std::vector<v1::Report> PgReportStore::Versions(db::Clock::time_point deadline,
                                                const std::string& covenant_id,
                                                const std::string& report_id) {
  std::vector<v1::Report> versions;
  db::RunTransaction(pool_, deadline,
                     {.isolation = db::Isolation::kRepeatableRead, .read_only = true},
                     [&](db::Work& tx) { versions = SelectVersions(tx, covenant_id, report_id); });
  return versions;
}

std::vector<v1::Report> PgReportStore::List(db::Clock::time_point deadline,
                                            const std::string& covenant_id,
                                            const ReportFilter& filter, const std::string& after_id,
                                            int limit) {
  std::vector<v1::Report> reports;
  db::RunTransaction(pool_, deadline, {.read_only = true}, [&](db::Work& tx) {
    for (const auto& row :
         tx.exec_prepared("reports/list_reports", covenant_id, after_id, filter.kvk, filter.lot_id,
                          filter.municipality_code, filter.period_start, filter.period_end,
                          filter.kind, filter.state, limit)) {
      reports.push_back(ReadHeader(row));
    }
  });
  return reports;
}

v1::Report PgReportStore::Review(
    db::Clock::time_point deadline, const audit::AuditContext& audit,
    const std::string& covenant_id, const std::string& report_id, int version,
    const std::string& reason,
    const std::function<v1::Report::State(const std::vector<v1::Report>& versions)>& decide) {
  v1::Report reviewed;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    tx.exec_prepared("reports/lock_report", covenant_id, report_id);
    const auto versions = SelectVersions(tx, covenant_id, report_id);
    if (versions.empty()) {
      throw Error::NotFound(ReportName(covenant_id, report_id));
    }
    const auto state = decide(versions);
    tx.exec_prepared("reports/set_review", covenant_id, report_id, version, StateText(state),
                     reason, audit.actor_subject);
    tx.exec_prepared("reports/refresh_accepted_version", covenant_id, report_id);
    reviewed = SelectVersion(tx, covenant_id, report_id, version);
    audit::AppendEvent(
        tx, audit, reviewed.name(),
        nlohmann::json{{"version", version}, {"state", StateText(state)}, {"reason", reason}}
            .dump());
  });
  return reviewed;
}

std::vector<PeerFigures> PgReportStore::PeerFiguresOf(
    db::Clock::time_point deadline, const std::string& covenant_id, const std::string& indicator_id,
    const std::string& start, const std::string& end, const std::string& lot_id, int& minimum_n,
    std::string& direction) {
  std::vector<PeerFigures> figures;
  db::RunTransaction(pool_, deadline, {.read_only = true}, [&](db::Work& tx) {
    for (const auto& row :
         tx.exec_prepared("reports/peer_figures", covenant_id, indicator_id, start, end, lot_id)) {
      figures.push_back(
          {row[0].as<std::string>(), row[1].as<std::int64_t>(), row[2].as<std::int64_t>()});
      minimum_n = row[3].as<int>();
      direction = row[4].as<std::string>();
    }
  });
  return figures;
}

std::vector<v1::ProductionLine> PgReportStore::ProductionLines(db::Clock::time_point deadline,
                                                               const std::string& municipality_code,
                                                               const std::string& start,
                                                               const std::string& end) {
  std::vector<v1::ProductionLine> lines;
  db::RunTransaction(pool_, deadline, {.read_only = true}, [&](db::Work& tx) {
    for (const auto& row :
         tx.exec_prepared("reports/production_lines", municipality_code, start, end)) {
      v1::ProductionLine line;
      line.set_covenant(row[0].as<std::string>());
      line.set_provider_kvk(row[1].as<std::string>());
      line.set_provider_name(row[2].as<std::string>());
      line.set_lot_id(row[3].as<std::string>());
      line.set_product_code(row[4].as<std::string>());
      line.set_amount_eurocents(row[5].as<std::int64_t>());
      lines.push_back(std::move(line));
    }
  });
  return lines;
}

std::int64_t PgReportStore::EndOfDayMicros(db::Clock::time_point deadline, const std::string& day) {
  std::int64_t micros = 0;
  db::RunTransaction(pool_, deadline, {.read_only = true}, [&](db::Work& tx) {
    micros = tx.exec_prepared1("reports/end_of_day", day)[0].as<std::int64_t>();
  });
  return micros;
}

std::set<std::string> PgReportStore::IndicatorIds(db::Clock::time_point deadline) {
  std::lock_guard lock(indicator_ids_mutex_);
  if (!indicator_ids_) {
    std::set<std::string> ids;
    db::RunTransaction(pool_, deadline, {.read_only = true}, [&](db::Work& tx) {
      for (const auto& row : tx.exec_prepared("reports/indicator_ids")) {
        ids.insert(row[0].as<std::string>());
      }
    });
    indicator_ids_ = std::move(ids);
  }
  return *indicator_ids_;
}

GroupedSums PgReportStore::AggregateSums(db::Clock::time_point deadline,
                                         const std::string& covenant_id, const ReportFilter& filter,
                                         const std::vector<v1::Dimension>& dimensions,
                                         const std::optional<std::vector<std::string>>& scope) {
  const auto kind = KindFromText(filter.kind).value_or(v1::QUARTERLY);
  std::array<std::string, 2> names;
  for (std::size_t i = 0; i < dimensions.size() && i < 2; ++i) {
    names[i] = v1::Dimension_Name(dimensions[i]);
  }
  // A dimension's value as the API shows it.
  const auto shown = [&](std::size_t i, const std::string& value) {
    switch (dimensions[i]) {
      case v1::MUNICIPALITY:
        return covenants::MunicipalityName(value);
      case v1::PERIOD:
        return PeriodText(kind, covenants::ToDays(*covenants::ParseIsoDate(value)));
      default:
        return value;
    }
  };
  const auto scope_codes = scope ? TextArrayLiteral(*scope) : std::string();
  GroupedSums sums;
  db::RunTransaction(pool_, deadline, {.read_only = true}, [&](db::Work& tx) {
    sums = {};
    // One provider's figures are few lines; everyone's are read from the sums kept on write
    // (docs/adr/0016). Both queries answer with the same columns.
    const auto rows =
        filter.kvk.empty()
            ? tx.exec_prepared("reports/aggregate_sums", covenant_id, filter.lot_id,
                               filter.municipality_code, filter.period_start, filter.period_end,
                               KindText(kind), names[0], names[1], scope_codes)
            : tx.exec_prepared("reports/aggregate_line_sums", covenant_id, filter.kvk,
                               filter.lot_id, filter.municipality_code, filter.period_start,
                               filter.period_end, KindText(kind), names[0], names[1], scope_codes);
    for (const auto& row : rows) {
      const bool total_1 = row[2].as<int>() == 1;
      const bool total_2 = row[3].as<int>() == 1;
      AggregateSum sum;
      sum.providers = row[4].as<int>();
      for (std::size_t m = 0; m < kCountMeasures; ++m) {
        sum.counts[m] = row[static_cast<int>(5 + m)].as<std::int64_t>(0);
      }
      sum.declared_eurocents = row[11].as<std::int64_t>(0);
      // Of the four grouping sets, the ones that mean something for this many dimensions.
      AggregateKey key;
      if (!total_1 && dimensions.size() >= 1) {
        key[0] = shown(0, row[0].as<std::string>());
      }
      if (!total_2 && dimensions.size() == 2) {
        key[1] = shown(1, row[1].as<std::string>());
      }
      if (total_1 && total_2) {
        sums.grand = sum;
      } else if (dimensions.size() == 1 && !total_1 && total_2) {
        sums.cells[key] = sum;
      } else if (dimensions.size() == 2 && !total_1 && !total_2) {
        sums.cells[key] = sum;
      } else if (dimensions.size() == 2) {
        sums.subtotals[key] = sum;
      }
    }
  });
  return sums;
}

std::vector<AcceptedLine> PgReportStore::AcceptedLines(db::Clock::time_point deadline,
                                                       const std::string& covenant_id,
                                                       const ReportFilter& filter) {
  std::vector<AcceptedLine> lines;
  const auto kind = KindFromText(filter.kind).value_or(v1::QUARTERLY);
  db::RunTransaction(pool_, deadline, {.read_only = true}, [&](db::Work& tx) {
    for (const auto& row : tx.exec_prepared(
             "reports/accepted_lines", covenant_id, filter.kvk, filter.lot_id,
             filter.municipality_code, filter.period_start, filter.period_end, KindText(kind))) {
      AcceptedLine line;
      line.lot_id = row[0].as<std::string>();
      line.municipality = covenants::MunicipalityName(row[1].as<std::string>());
      line.period =
          PeriodText(kind, covenants::ToDays(*covenants::ParseIsoDate(row[2].as<std::string>())));
      line.kvk = row[3].as<std::string>();
      for (std::size_t m = 0; m < kCountMeasures; ++m) {
        line.counts[m] = row[static_cast<int>(4 + m)].as<std::int64_t>();
      }
      line.declared_eurocents = row[10].as<std::int64_t>();
      lines.push_back(std::move(line));
    }
  });
  return lines;
}

void PgReportStore::LoadOcdsFacts(db::Clock::time_point deadline,
                                  const std::string& owner_municipality,
                                  const std::string& owner_region, OcdsFacts& facts) {
  const auto& c = facts.covenant_id;
  db::RunTransaction(
      pool_, deadline, {.isolation = db::Isolation::kRepeatableRead, .read_only = true},
      [&](db::Work& tx) {
        const auto names =
            tx.exec_prepared1("reports/ocds_names", owner_municipality, owner_region);
        facts.owner_name = names[0].as<std::string>();
        const auto titles = nlohmann::json::parse(names[1].as<std::string>());
        for (auto item = titles.begin(); item != titles.end(); ++item) {
          facts.indicator_titles[item.key()] = TextIn(item.value());
        }
        facts.generated_at = names[2].as<std::string>();
        for (const auto& row : tx.exec_prepared("reports/ocds_awards", c)) {
          facts.awards.push_back({row[0].as<std::string>(), row[1].as<std::string>(),
                                  row[2].as<std::string>(), row[3].as<std::string>(),
                                  row[4].as<std::string>()});
        }
        for (const auto& row : tx.exec_prepared("reports/ocds_agreements", c)) {
          OcdsFacts::Agreement a{row[0].as<std::string>(),
                                 row[1].as<std::string>(),
                                 row[2].as<std::string>(),
                                 row[3].as<int>(),
                                 {}};
          for (const auto& level : nlohmann::json::parse(row[4].as<std::string>())) {
            Validation unused;
            a.levels.push_back(
                {outcomes::ParseIndicatorName(TextIn(level, "indicator"), unused, ""),
                 TextIn(level, "floor"), TextIn(level, "target")});
          }
          facts.agreements.push_back(std::move(a));
        }
        for (const auto& row : tx.exec_prepared("reports/ocds_observations", c)) {
          facts.observations.push_back({row[0].as<std::string>(), row[1].as<int>(),
                                        row[2].as<std::string>(), row[3].as<std::string>(),
                                        row[4].as<std::string>(), row[5].as<std::string>(),
                                        row[6].as<std::string>(), row[7].as<std::int64_t>(),
                                        row[8].as<std::int64_t>(), row[9].as<std::string>()});
        }
      });
}

}  // namespace regie::reports
