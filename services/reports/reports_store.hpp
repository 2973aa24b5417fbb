#pragma once

// Storage of accountability reports (docs/adr/0009): versions with their lines, requests by id,
// reviews, and what validation reads (participations, the indicator library). Interfaces return
// proto messages; the PostgreSQL implementation below.

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "aggregates.hpp"
#include "audit/audit_log.hpp"
#include "covenant_store.hpp"
#include "db/batcher.hpp"
#include "db/pool.hpp"
#include "ocds.hpp"
#include "regie/reports/v1/exports.pb.h"
#include "regie/reports/v1/reports.pb.h"

namespace regie::reports {

// A version to store. `content` is canonical (Canonical()) and `content_digest` the SHA-256 of
// its canonical bytes.
struct NewVersion {
  std::string covenant_id;
  std::string report_id;
  std::string kvk;
  v1::ReportKind kind = v1::REPORT_KIND_UNSPECIFIED;
  std::string period_start;  // ISO days
  std::string period_end;
  std::string due_date;
  bool late = false;
  std::string request_id;
  v1::ReportContent content;
  std::string content_digest;
  std::string signature;
  std::string signer_certificate;
  std::string signer_fingerprint;
  std::string submitted_by;
  // The facts it was checked against (SubmissionFacts): ReportStore::Submit stores it only while
  // they hold, and the provider takes part in every lot its lines name.
  std::string checked_today;       // ISO
  std::int64_t covenant_etag = 0;  // covers its versions too (set_covenant_state.sql)
};

// An earlier request's version and the digest of the content it stored.
struct StoredRequest {
  v1::Report report;
  std::string content_digest;
};

// What ReportStore::ReadSubmissionFacts read.
struct SubmissionFacts {
  std::optional<StoredRequest> earlier;
  std::string today;  // ISO, in the Netherlands
  // Its `terms_json` is empty when the store held these terms already: use `terms`.
  std::optional<covenants::CovenantRecord> covenant;
  std::shared_ptr<const covenants::v1::CovenantTerms> terms;  // set with `covenant`
  std::set<std::string> lots;
};

// The answer to a retry of the request that stored `earlier`: that version when the retry carries
// the same content (`content_digest`), otherwise ALREADY_EXISTS (REQUEST_ID_REUSED).
v1::Report RetryAnswer(const StoredRequest& earlier, const std::string& content_digest,
                       const std::string& request_id);

// Empty strings mean "any".
struct ReportFilter {
  std::string kvk;
  std::string lot_id;
  std::string municipality_code;
  std::string period_start;  // ISO: periods starting on or after
  std::string period_end;    // ISO: periods ending on or before
  std::string kind;          // KindText
  std::string state;         // StateText
};

class ReportStore {
 public:
  virtual ~ReportStore() = default;

  // What a submission of `kvk` for `request_id` is checked against, read in one snapshot: the
  // version an earlier request with that id stored (when there is one nothing else is read), today,
  // the covenant with its terms in force on `period_end` (ISO) and the lots in which `kvk`
  // participates on some day of [period_start, period_end].
  virtual SubmissionFacts ReadSubmissionFacts(db::Clock::time_point deadline,
                                              const std::string& kvk, const std::string& request_id,
                                              const std::string& covenant_id,
                                              const std::string& period_start,
                                              const std::string& period_end) = 0;

  // The facts of the last ReadSubmissionFacts of this process for a published covenant and a
  // period ending on `period_end`, without `earlier` and `lots` (those depend on the provider and
  // the request); nullopt when none are held. They may have changed since: Submit checks.
  virtual std::optional<SubmissionFacts> HeldSubmissionFacts(const std::string& covenant_id,
                                                             const std::string& period_end) = 0;

  // Under a lock on the report: returns the version stored earlier for the same request id and
  // content (a retry), or stores `next` as the report's next version, SUBMITTED, with an audit
  // event. ALREADY_EXISTS (REQUEST_ID_REUSED) when the request id stored other content. A stored
  // version's answer takes `next`'s lines. nullopt, storing nothing and leaving `next` as it was,
  // when the facts `next` was checked against no longer hold (NewVersion): today, the covenant's
  // etag, or the provider's part in a lot its lines name.
  virtual std::optional<v1::Report> Submit(db::Clock::time_point deadline,
                                           const audit::AuditContext& audit, NewVersion& next) = 0;

  // Every version with its lines, oldest first; empty when the report does not exist.
  virtual std::vector<v1::Report> Versions(db::Clock::time_point deadline,
                                           const std::string& covenant_id,
                                           const std::string& report_id) = 0;

  // The newest version of each report after `after_id`, filtered, without lines; at most `limit`.
  virtual std::vector<v1::Report> List(db::Clock::time_point deadline,
                                       const std::string& covenant_id, const ReportFilter& filter,
                                       const std::string& after_id, int limit) = 0;

  // Under a lock on the report: `decide` gets the versions (oldest first, with lines) and returns
  // the reviewed version's new state, throwing to refuse; the state, reason and reviewer are
  // stored with an audit event. NOT_FOUND when the report does not exist.
  virtual v1::Report Review(
      db::Clock::time_point deadline, const audit::AuditContext& audit,
      const std::string& covenant_id, const std::string& report_id, int version,
      const std::string& reason,
      const std::function<v1::Report::State(const std::vector<v1::Report>& versions)>& decide) = 0;

  // The ids of the indicator library (seeded by migrations; no RPC changes it).
  virtual std::set<std::string> IndicatorIds(db::Clock::time_point deadline) = 0;

  // Per provider, an indicator summed over the covenant's accepted quarterly versions within
  // [start, end] (ISO), in `lot_id` ("" for all); the indicator's minimum n and direction
  // ("HIGHER_IS_BETTER"/"LOWER_IS_BETTER") into the last two arguments when it has figures.
  virtual std::vector<PeerFigures> PeerFiguresOf(db::Clock::time_point deadline,
                                                 const std::string& covenant_id,
                                                 const std::string& indicator_id,
                                                 const std::string& start, const std::string& end,
                                                 const std::string& lot_id, int& minimum_n,
                                                 std::string& direction) = 0;

  // The amounts declared for `municipality_code` in accepted quarterly versions within [start,
  // end] (ISO), summed per covenant, provider, lot and product code (covenant filled with its id,
  // product category and description left empty).
  virtual std::vector<v1::ProductionLine> ProductionLines(db::Clock::time_point deadline,
                                                          const std::string& municipality_code,
                                                          const std::string& start,
                                                          const std::string& end) = 0;

  // The first instant (epoch microseconds) after the Dutch day `day` (ISO).
  virtual std::int64_t EndOfDayMicros(db::Clock::time_point deadline, const std::string& day) = 0;

  // The lines of the newest accepted version of each report of the covenant, filtered (`kind`
  // required; `state` ignored).
  virtual std::vector<AcceptedLine> AcceptedLines(db::Clock::time_point deadline,
                                                  const std::string& covenant_id,
                                                  const ReportFilter& filter) = 0;

  // The sums of AggregateReports: the newest accepted versions' lines of the covenant, filtered
  // (`kind` required; `state` ignored) and limited to the municipalities `scope` (codes) when
  // given, grouped by `dimensions` (as Group in aggregates.hpp).
  virtual GroupedSums AggregateSums(db::Clock::time_point deadline, const std::string& covenant_id,
                                    const ReportFilter& filter,
                                    const std::vector<v1::Dimension>& dimensions,
                                    const std::optional<std::vector<std::string>>& scope) = 0;

  // Fills the owner's name, the indicator titles, the time now, and the awards (participations),
  // agreements (newest versions) and observations (accepted versions) of `facts.covenant_id`.
  virtual void LoadOcdsFacts(db::Clock::time_point deadline, const std::string& owner_municipality,
                             const std::string& owner_region, OcdsFacts& facts) = 0;
};

class PgReportStore : public ReportStore {
 public:
  // Submissions that arrive while others are being stored are stored together (docs/adr/0018):
  // one writer at a time, and a second once the first has been writing for 50 ms
  // (docs/adr/0021).
  explicit PgReportStore(db::ConnectionPool& pool);

  SubmissionFacts ReadSubmissionFacts(db::Clock::time_point deadline, const std::string& kvk,
                                      const std::string& request_id, const std::string& covenant_id,
                                      const std::string& period_start,
                                      const std::string& period_end) override;
  std::optional<SubmissionFacts> HeldSubmissionFacts(const std::string& covenant_id,
                                                     const std::string& period_end) override;
  std::optional<v1::Report> Submit(db::Clock::time_point deadline, const audit::AuditContext& audit,
                                   NewVersion& next) override;
  std::vector<v1::Report> Versions(db::Clock::time_point deadline, const std::string& covenant_id,
                                   const std::string& report_id) override;
  std::vector<v1::Report> List(db::Clock::time_point deadline, const std::string& covenant_id,
                               const ReportFilter& filter, const std::string& after_id,
                               int limit) override;
  v1::Report Review(db::Clock::time_point deadline, const audit::AuditContext& audit,
                    const std::string& covenant_id, const std::string& report_id, int version,
                    const std::string& reason,
                    const std::function<v1::Report::State(const std::vector<v1::Report>& versions)>&
                        decide) override;
  std::set<std::string> IndicatorIds(db::Clock::time_point deadline) override;
  std::int64_t EndOfDayMicros(db::Clock::time_point deadline, const std::string& day) override;
  std::vector<v1::ProductionLine> ProductionLines(db::Clock::time_point deadline,
                                                  const std::string& municipality_code,
                                                  const std::string& start,
                                                  const std::string& end) override;
  std::vector<PeerFigures> PeerFiguresOf(db::Clock::time_point deadline,
                                         const std::string& covenant_id,
                                         const std::string& indicator_id, const std::string& start,
                                         const std::string& end, const std::string& lot_id,
                                         int& minimum_n, std::string& direction) override;
  std::vector<AcceptedLine> AcceptedLines(db::Clock::time_point deadline,
                                          const std::string& covenant_id,
                                          const ReportFilter& filter) override;
  GroupedSums AggregateSums(db::Clock::time_point deadline, const std::string& covenant_id,
                            const ReportFilter& filter,
                            const std::vector<v1::Dimension>& dimensions,
                            const std::optional<std::vector<std::string>>& scope) override;
  void LoadOcdsFacts(db::Clock::time_point deadline, const std::string& owner_municipality,
                     const std::string& owner_region, OcdsFacts& facts) override;

  // How the batching of submissions goes (docs/adr/0018), for metrics.
  db::BatcherStats SubmissionBatches() { return submissions_.Stats(); }

 private:
  db::ConnectionPool& pool_;
  // The terms of published covenant versions, parsed, by covenant and version. A published version
  // never changes (V0003's trigger), so ReadSubmissionFacts asks only for terms it does not hold.
  // Emptied when full.
  static constexpr std::size_t kMaxHeldTerms = 256;
  using HeldTerms = std::map<int, std::shared_ptr<const covenants::v1::CovenantTerms>>;
  std::mutex terms_mutex_;
  std::map<std::pair<std::string, int>, std::shared_ptr<const covenants::v1::CovenantTerms>> terms_;
  HeldTerms TermsHeld(const std::string& covenant_id);
  std::shared_ptr<const covenants::v1::CovenantTerms> TermsOf(
      const covenants::CovenantRecord& covenant, const HeldTerms& held);
  // The facts (today, covenant and terms) of the last ReadSubmissionFacts by covenant and end of
  // period, for published covenants; emptied when full. Submit checks that they still hold.
  static constexpr std::size_t kMaxHeldFacts = 1024;
  std::mutex facts_mutex_;
  std::map<std::pair<std::string, std::string>, SubmissionFacts> facts_;
  void Hold(const SubmissionFacts& facts, const std::string& covenant_id,
            const std::string& period_end);
  // The indicator library, read once: only migrations change it, and a server starts only on a
  // database with every migration it knows applied.
  std::mutex indicator_ids_mutex_;
  std::optional<std::set<std::string>> indicator_ids_;
  // A submission waiting to be stored, and its version as stored (nullopt: its request id was
  // used before).
  struct Submission {
    db::Clock::time_point deadline;
    const audit::AuditContext* audit;
    const NewVersion* next;
  };
  static bool FitsBatch(const std::vector<const Submission*>& batch, const Submission& next);
  std::vector<std::optional<v1::Report>> StoreSubmissions(
      const std::vector<const Submission*>& batch);
  db::Batcher<Submission, std::optional<v1::Report>> submissions_;
};

}  // namespace regie::reports
