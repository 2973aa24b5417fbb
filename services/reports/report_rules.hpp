#pragma once

// The rules of accountability reports (docs/adr/0009), without a database: periods and report
// names, the due date from the reporting calendar, validation of what a provider reports, the
// citizen service number (BSN) check on free text, and which reviews a version allows.

#include <chrono>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "error.hpp"
#include "regie/covenants/v1/covenants.pb.h"
#include "regie/reports/v1/reports.pb.h"

namespace regie::reports {

// The days a report covers.
struct Period {
  std::chrono::sys_days start;
  std::chrono::sys_days end;
  int year = 0;
  int quarter = 0;  // 1-4 for a quarter, 0 for a year
};

// "2026-Q2" for QUARTERLY, "2026" for the yearly kinds; nullopt when `text` is not that.
std::optional<Period> ParseReportPeriod(v1::ReportKind kind, std::string_view text);

// "2026-Q2" or "2026": the period text of a report of `kind` whose period starts on `start`.
std::string PeriodText(v1::ReportKind kind, std::chrono::sys_days start);

// The report id of a provider's report of `kind` for `period`: "12345678-2026-q2",
// "12345678-2026-production", "12345678-2026-complaints". One report per provider, period and
// kind; corrections are its versions.
std::string ReportId(const std::string& kvk, v1::ReportKind kind, const Period& period);

// `covenants/{covenant}/reports/{report}`.
std::string ReportName(const std::string& covenant_id, const std::string& report_id);

struct ReportKey {
  std::string covenant_id;
  std::string report_id;
};
// Adds a violation of `field` when `name` is not a report name.
ReportKey ParseReportName(const std::string& name, Validation& validation,
                          const std::string& field = "name");

// "QUARTERLY", ... as stored (the enum's names); and back (nullopt for an unknown text).
std::string KindText(v1::ReportKind kind);
std::optional<v1::ReportKind> KindFromText(std::string_view text);

// Optional free text of a report or review: at most `max_length` bytes, no control characters
// but line breaks, and no number that passes the BSN eleven-test; violations of `field`.
void CheckReportText(std::string_view text, std::size_t max_length, const std::string& field,
                     Validation& validation);
std::string StateText(v1::Report::State state);
v1::Report::State StateFromText(std::string_view text);

// When the report is due by the covenant's reporting calendar.
std::chrono::sys_days DueDate(v1::ReportKind kind, const Period& period,
                              const covenants::v1::ReportingCalendar& calendar);

// True when `nine_digits` (exactly nine decimal digits) passes the eleven-test of a BSN:
// 9*d1 + 8*d2 + ... + 2*d8 - 1*d9 is a multiple of 11, and it is not all zeros.
bool PassesBsnElevenTest(std::string_view nine_digits);

// True when `text` contains a number of nine digits, possibly written with single spaces, dots
// or hyphens between digit groups ("1234.56.782"), that passes the eleven-test.
bool ContainsBsn(std::string_view text);

// What a report is checked against: the covenant's terms in force at the end of the period, the
// lots the provider participates in during the period, and the indicator library.
struct ReportContext {
  const covenants::v1::CovenantTerms& terms;
  std::chrono::sys_days term_start;
  std::chrono::sys_days term_end;  // with the extensions used
  std::set<std::string> participating_lots;
  std::set<std::string> indicator_ids;
};

// Limits on one report.
inline constexpr int kMaxLines = 10000;
inline constexpr std::int64_t kMaxCount = 1'000'000'000;

// Every field of `content` that breaks a rule, as violations named `content.lines[3].inflow` and
// so on. The covenant, provider, kind and period must already have been parsed.
void ValidateReportContent(const v1::ReportContent& content, const Period& period,
                           const ReportContext& context, Validation& validation);

// The review decision's effect on a version in `current` state, or FAILED_PRECONDITION naming
// the state when the version may no longer be reviewed (accepted and rejected ones are final).
v1::Report::State ReviewedState(v1::Report::State current,
                                v1::ReviewReportRequest::Decision decision);

}  // namespace regie::reports
