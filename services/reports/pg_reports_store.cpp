#include <algorithm>
#include <chrono>
#include <iterator>
#include <numeric>
#include <tuple>

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

// The array parameters of submit_versions.sql for a batch of submissions: one element per
// submission ($1-$18, $40-$49), and one per line (counts), per amount and per indicator figure,
// each line naming its submission by position. Built as literals directly: a report may have
// 10,000 lines and 50,000 indicator figures.
struct SubmissionArrays {
  TextArrayBuilder covenants, reports, kvks, kinds, starts, ends, request_ids, submitters, dues,
      late, early_warnings, waiting_lists, notes, remarks, digests, signatures, certificates,
      fingerprints;
  TextArrayBuilder subjects, roles, organisations, rpcs, resources, event_request_ids,
      request_digests, changes;
  TextArrayBuilder checked_todays, covenant_etags;
  TextArrayBuilder c_numbers, municipalities, lots, in_care, inflow, outflow, endings, waiting,
      complaints, incidents;
  TextArrayBuilder a_numbers, a_municipalities, a_lots, a_codes, a_amounts;
  TextArrayBuilder i_numbers, i_municipalities, i_lots, i_ids, i_numerators, i_denominators;

  void Add(const NewVersion& next, const audit::AuditContext& audit, std::size_t number) {
    covenants.Add(next.covenant_id);
    reports.Add(next.report_id);
    kvks.Add(next.kvk);
    kinds.Add(KindText(next.kind));
    starts.Add(next.period_start);
    ends.Add(next.period_end);
    request_ids.Add(next.request_id);
    submitters.Add(next.submitted_by);
    dues.Add(next.due_date);
    late.Add(Boolean(next.late));
    early_warnings.Add(Boolean(next.content.signals().financial_early_warning()));
    waiting_lists.Add(Boolean(next.content.signals().waiting_list()));
    notes.Add(next.content.signals().note());
    remarks.Add(next.content.remarks());
    digests.Add(Hex(next.content_digest));
    signatures.Add(Hex(next.signature));
    certificates.Add(next.signer_certificate);
    fingerprints.Add(Hex(next.signer_fingerprint));
    subjects.Add(audit.actor_subject);
    roles.Add(audit.actor_role);
    organisations.Add(audit.actor_organisation);
    rpcs.Add(audit.rpc);
    resources.Add(ReportName(next.covenant_id, next.report_id));
    event_request_ids.Add(audit.request_id);
    request_digests.Add(Hex(audit.request_digest));
    changes.Add(nlohmann::json{{"state", "SUBMITTED"},
                               {"provider", next.content.provider()},
                               {"kind", KindText(next.kind)},
                               {"period", next.content.period()},
                               {"lines", next.content.lines_size()},
                               {"late", next.late},
                               {"content_sha256", ToHex(next.content_digest)},
                               {"signer_fingerprint", ToHex(next.signer_fingerprint)}}
                    .dump());
    checked_todays.Add(next.checked_today);
    covenant_etags.Add(std::to_string(next.covenant_etag));
    const auto n = std::to_string(number);
    for (const auto& line : next.content.lines()) {
      Validation unused;
      const auto code = covenants::ParseMunicipalityName(line.municipality(), unused, "");
      c_numbers.Add(n);
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
        a_numbers.Add(n);
        a_municipalities.Add(code);
        a_lots.Add(line.lot_id());
        a_codes.Add(amount.product_code());
        a_amounts.Add(std::to_string(amount.amount_eurocents()));
      }
      for (const auto& count : line.indicators()) {
        i_numbers.Add(n);
        i_municipalities.Add(code);
        i_lots.Add(line.lot_id());
        i_ids.Add(outcomes::ParseIndicatorName(count.indicator(), unused, ""));
        i_numerators.Add(std::to_string(count.numerator()));
        i_denominators.Add(std::to_string(count.denominator()));
      }
    }
  }

 private:
  static std::string Boolean(bool value) { return value ? "true" : "false"; }
  // A bytea element in the text form of its array.
  static std::string Hex(std::string_view bytes) { return "\\x" + ToHex(bytes); }
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
  const auto held = TermsHeld(covenant_id);
  TextArrayBuilder versions;
  for (const auto& [version, terms] : held) {
    versions.Add(std::to_string(version));
  }
  const auto held_versions = versions.Literal();
  db::RunTransaction(
      pool_, deadline, {.read_only = true, .single_statement = true}, [&](db::Work& tx) {
        facts = {};
        const auto row = tx.exec_prepared1("reports/submission_facts", kvk, request_id, covenant_id,
                                           period_start, period_end, held_versions);
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
  if (facts.covenant) {
    facts.terms = TermsOf(*facts.covenant, held);
    if (facts.covenant->state != covenants::CovenantState::kDraft) {
      Hold(facts, covenant_id, period_end);
    }
  }
  if (retry) {
    db::RunTransaction(pool_, deadline,
                       {.isolation = db::Isolation::kRepeatableRead, .read_only = true},
                       [&](db::Work& tx) { facts.earlier = FindRequestIn(tx, kvk, request_id); });
  }
  return facts;
}

void PgReportStore::Hold(const SubmissionFacts& facts, const std::string& covenant_id,
                         const std::string& period_end) {
  SubmissionFacts held;
  held.today = facts.today;
  held.covenant = facts.covenant;
  held.covenant->terms_json.clear();  // parsed in `terms`
  held.terms = facts.terms;
  std::lock_guard lock(facts_mutex_);
  // Every change to a covenant takes it a new etag, so when the covenant changed, what is held for
  // its other periods is out of date too. Dropped, their next submissions read the facts at once,
  // where each would have been stored in vain first (a batched write, then a read and a write).
  for (auto it = facts_.lower_bound({covenant_id, ""});
       it != facts_.end() && it->first.first == covenant_id;) {
    it = it->second.covenant->etag == held.covenant->etag ? std::next(it) : facts_.erase(it);
  }
  if (facts_.size() >= kMaxHeldFacts) {
    facts_.clear();
  }
  facts_.insert_or_assign({covenant_id, period_end}, std::move(held));
}

std::optional<SubmissionFacts> PgReportStore::HeldSubmissionFacts(const std::string& covenant_id,
                                                                  const std::string& period_end) {
  std::lock_guard lock(facts_mutex_);
  const auto it = facts_.find({covenant_id, period_end});
  if (it == facts_.end()) {
    return std::nullopt;
  }
  return it->second;
}

PgReportStore::HeldTerms PgReportStore::TermsHeld(const std::string& covenant_id) {
  HeldTerms held;
  std::lock_guard lock(terms_mutex_);
  for (auto it = terms_.lower_bound({covenant_id, 0});
       it != terms_.end() && it->first.first == covenant_id; ++it) {
    held.emplace(it->first.second, it->second);
  }
  return held;
}

std::shared_ptr<const covenants::v1::CovenantTerms> PgReportStore::TermsOf(
    const covenants::CovenantRecord& covenant, const HeldTerms& held) {
  if (covenant.terms_json.empty()) {  // left out because `held` has them (submission_facts.sql)
    return held.at(covenant.version);
  }
  auto terms = covenants::SharedTermsFromJson(covenant.terms_json);
  if (covenant.state != covenants::CovenantState::kDraft) {
    std::lock_guard lock(terms_mutex_);
    if (terms_.size() >= kMaxHeldTerms) {
      terms_.clear();
    }
    terms_.emplace(std::make_pair(covenant.covenant_id, covenant.version), terms);
  }
  return terms;
}

PgReportStore::PgReportStore(db::ConnectionPool& pool)
    : pool_(pool),
      // A batch takes a few milliseconds; one held up for 50 ms gets a second writer beside it.
      submissions_(
          2, std::chrono::milliseconds(50),
          [this](const std::vector<const Submission*>& batch) { return StoreSubmissions(batch); },
          [](const std::vector<const Submission*>& batch, const Submission& next) {
            return FitsBatch(batch, next);
          }) {}

// A batch holds at most kMaxBatch submissions and kMaxBatchLines lines (a large report is stored
// alone), and each report once: its versions are numbered one after another.
bool PgReportStore::FitsBatch(const std::vector<const Submission*>& batch, const Submission& next) {
  constexpr std::size_t kMaxBatch = 16;
  constexpr int kMaxBatchLines = 1000;
  if (batch.size() >= kMaxBatch) {
    return false;
  }
  int lines = next.next->content.lines_size();
  for (const auto* queued : batch) {
    if (queued->next->covenant_id == next.next->covenant_id &&
        queued->next->report_id == next.next->report_id) {
      return false;
    }
    lines += queued->next->content.lines_size();
  }
  return lines <= kMaxBatchLines;
}

// The versions, their lines and their audit events are stored by one statement
// (submit_versions.sql), which numbers each version under its report's lock, taking the locks in
// the order of the reports. A submission whose request id was used before (also by one that
// committed after the caller's first look), or whose facts no longer hold, stores nothing: nullopt.
std::vector<std::optional<v1::Report>> PgReportStore::StoreSubmissions(
    const std::vector<const Submission*>& batch) {
  std::vector<std::size_t> order(batch.size());
  std::iota(order.begin(), order.end(), 0);
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return std::tie(batch[a]->next->covenant_id, batch[a]->next->report_id) <
           std::tie(batch[b]->next->covenant_id, batch[b]->next->report_id);
  });
  SubmissionArrays a;
  auto deadline = batch.front()->deadline;
  for (std::size_t i = 0; i < order.size(); ++i) {
    const auto& submission = *batch[order[i]];
    a.Add(*submission.next, *submission.audit, i + 1);
    deadline = std::min(deadline, submission.deadline);
  }
  std::vector<std::optional<v1::Report>> stored(batch.size());
  // Safe to run twice, as single_statement asks: a second run finds the request ids used.
  db::RunTransaction(pool_, deadline, {.single_statement = true}, [&](db::Work& tx) {
    const auto rows = tx.exec_prepared(
        "reports/submit_versions", a.covenants.Literal(), a.reports.Literal(), a.kvks.Literal(),
        a.kinds.Literal(), a.starts.Literal(), a.ends.Literal(), a.request_ids.Literal(),
        a.submitters.Literal(), a.dues.Literal(), a.late.Literal(), a.early_warnings.Literal(),
        a.waiting_lists.Literal(), a.notes.Literal(), a.remarks.Literal(), a.digests.Literal(),
        a.signatures.Literal(), a.certificates.Literal(), a.fingerprints.Literal(),
        a.c_numbers.Literal(), a.municipalities.Literal(), a.lots.Literal(), a.in_care.Literal(),
        a.inflow.Literal(), a.outflow.Literal(), a.endings.Literal(), a.waiting.Literal(),
        a.complaints.Literal(), a.incidents.Literal(), a.a_numbers.Literal(),
        a.a_municipalities.Literal(), a.a_lots.Literal(), a.a_codes.Literal(),
        a.a_amounts.Literal(), a.i_numbers.Literal(), a.i_municipalities.Literal(),
        a.i_lots.Literal(), a.i_ids.Literal(), a.i_numerators.Literal(), a.i_denominators.Literal(),
        a.subjects.Literal(), a.roles.Literal(), a.organisations.Literal(), a.rpcs.Literal(),
        a.resources.Literal(), a.event_request_ids.Literal(), a.request_digests.Literal(),
        a.changes.Literal(), a.checked_todays.Literal(), a.covenant_etags.Literal());
    std::fill(stored.begin(), stored.end(), std::nullopt);
    for (const auto& row : rows) {
      stored[order.at(row[23].as<std::size_t>() - 1)] = ReadHeader(row);
    }
  });
  return stored;
}

// Concurrent submissions are stored together (StoreSubmissions). The stored version is built from
// what was inserted rather than read back: its lines are `next.content`'s, already canonical.
std::optional<v1::Report> PgReportStore::Submit(db::Clock::time_point deadline,
                                                const audit::AuditContext& audit,
                                                NewVersion& next) {
  auto stored = submissions_.Write({deadline, &audit, &next});
  if (!stored) {
    // Either the request id was used before: that version has committed (an insert that conflicts
    // waits for the other), so the primary's next snapshot holds it; or the facts changed.
    std::optional<StoredRequest> earlier;
    db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
      earlier = FindRequestIn(tx, next.kvk, next.request_id);
    });
    if (!earlier) {
      return std::nullopt;
    }
    return RetryAnswer(*earlier, next.content_digest, next.request_id);
  }
  *stored->mutable_content()->mutable_lines() = std::move(*next.content.mutable_lines());
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
