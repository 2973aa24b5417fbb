#include "report_rules.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <utility>

#include "covenant_rules.hpp"
#include "deadlines.hpp"
#include "lot_rules.hpp"
#include "names.hpp"
#include "outcome_rules.hpp"
#include "reference_rules.hpp"

namespace regie::reports {
namespace {

using std::chrono::sys_days;

constexpr std::string_view kReportsInfix = "/reports/";
constexpr std::size_t kMaxNoteLength = 2000;
constexpr std::size_t kMaxRemarksLength = 4000;
constexpr int kMaxWaitingDays = 3650;

bool AllDigits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

std::string Indexed(const std::string& field, int index) {
  return field + "[" + std::to_string(index) + "]";
}

void CheckCount(std::int64_t value, const std::string& field, Validation& v) {
  if (value < 0) {
    v.Add(field, "must not be negative (a count of clients or events)");
  } else if (value > kMaxCount) {
    v.Add(field, "must be at most " + std::to_string(kMaxCount));
  }
}

void ValidateLine(const v1::ReportLine& line, const std::string& field,
                  const ReportContext& context, const std::string& period_text, Validation& v) {
  const auto code =
      covenants::ParseMunicipalityName(line.municipality(), v, field + ".municipality");
  const auto& municipalities = context.terms.municipalities();
  if (!code.empty() && std::find(municipalities.begin(), municipalities.end(),
                                 line.municipality()) == municipalities.end()) {
    v.Add(field + ".municipality", line.municipality() + " does not participate in the covenant");
  }
  const auto* lot = covenants::FindLot(context.terms, line.lot_id());
  if (lot == nullptr) {
    v.Add(field + ".lot_id", "the covenant has no lot \"" + line.lot_id() + "\"");
  } else if (!context.participating_lots.contains(line.lot_id())) {
    v.Add(field + ".lot_id",
          "the provider does not participate in lot " + line.lot_id() + " during " + period_text);
  }
  CheckCount(line.clients_in_care(), field + ".clients_in_care", v);
  CheckCount(line.inflow(), field + ".inflow", v);
  CheckCount(line.outflow(), field + ".outflow", v);
  CheckCount(line.unilateral_endings(), field + ".unilateral_endings", v);
  if (line.unilateral_endings() > line.outflow() && line.outflow() >= 0) {
    v.Add(field + ".unilateral_endings", "cannot exceed the outflow: each ending is an outflow");
  }
  if (line.has_median_waiting_days() &&
      (line.median_waiting_days() < 0 || line.median_waiting_days() > kMaxWaitingDays)) {
    v.Add(field + ".median_waiting_days",
          "must be 0 to " + std::to_string(kMaxWaitingDays) + " days, or unset");
  }
  CheckCount(line.complaints(), field + ".complaints", v);
  CheckCount(line.serious_incidents(), field + ".serious_incidents", v);

  std::set<std::string> codes;
  for (int j = 0; j < line.amounts_size(); ++j) {
    const auto& amount = line.amounts(j);
    const auto amount_field = Indexed(field + ".amounts", j);
    if (!codes.insert(amount.product_code()).second) {
      v.Add(amount_field + ".product_code", "appears twice in this line");
    }
    if (lot != nullptr) {
      const auto& products = lot->products();
      if (std::none_of(products.begin(), products.end(),
                       [&](const auto& p) { return p.code() == amount.product_code(); })) {
        v.Add(amount_field + ".product_code",
              "\"" + amount.product_code() + "\" is not in the catalogue of lot " + lot->lot_id());
      }
    }
    if (amount.amount_eurocents() < 0) {
      v.Add(amount_field + ".amount_eurocents", "must not be negative (integer eurocents)");
    } else if (amount.amount_eurocents() > kMaxCount * 100) {
      v.Add(amount_field + ".amount_eurocents", "is implausibly large");
    }
  }
  std::set<std::string> indicators;
  for (int j = 0; j < line.indicators_size(); ++j) {
    const auto& count = line.indicators(j);
    const auto count_field = Indexed(field + ".indicators", j);
    const auto id = outcomes::ParseIndicatorName(count.indicator(), v, count_field + ".indicator");
    if (!id.empty() && !context.indicator_ids.contains(id)) {
      v.Add(count_field + ".indicator", count.indicator() + " is not in the indicator library");
    }
    if (!indicators.insert(count.indicator()).second) {
      v.Add(count_field + ".indicator", "appears twice in this line");
    }
    CheckCount(count.numerator(), count_field + ".numerator", v);
    CheckCount(count.denominator(), count_field + ".denominator", v);
    if (count.numerator() > count.denominator()) {
      v.Add(count_field + ".numerator", "cannot exceed the denominator");
    }
  }
}

}  // namespace

std::optional<Period> ParseReportPeriod(v1::ReportKind kind, std::string_view text) {
  using namespace std::chrono;
  const bool quarterly = kind == v1::QUARTERLY;
  const std::size_t length = quarterly ? 7 : 4;
  if (text.size() != length || !AllDigits(text.substr(0, 4)) || text[0] == '0') {
    return std::nullopt;
  }
  Period period;
  period.year = std::stoi(std::string(text.substr(0, 4)));
  if (!quarterly) {
    period.start = sys_days(std::chrono::year(period.year) / January / 1);
    period.end = sys_days(std::chrono::year(period.year) / December / 31);
    return period;
  }
  if (text.substr(4, 2) != "-Q" || text[6] < '1' || text[6] > '4') {
    return std::nullopt;
  }
  period.quarter = text[6] - '0';
  period.start = sys_days(std::chrono::year(period.year) /
                          month(static_cast<unsigned>(period.quarter * 3 - 2)) / 1);
  period.end = covenants::AddMonths(period.start, 3) - days(1);
  return period;
}

std::string PeriodText(v1::ReportKind kind, std::chrono::sys_days start) {
  const std::chrono::year_month_day day(start);
  const auto year = std::to_string(static_cast<int>(day.year()));
  if (kind != v1::QUARTERLY) {
    return year;
  }
  return year + "-Q" + std::to_string((static_cast<unsigned>(day.month()) - 1) / 3 + 1);
}

std::string ReportId(const std::string& kvk, v1::ReportKind kind, const Period& period) {
  const auto year = std::to_string(period.year);
  switch (kind) {
    case v1::QUARTERLY:
      return kvk + "-" + year + "-q" + std::to_string(period.quarter);
    case v1::ANNUAL_PRODUCTION:
      return kvk + "-" + year + "-production";
    default:
      return kvk + "-" + year + "-complaints";
  }
}

std::string ReportName(const std::string& covenant_id, const std::string& report_id) {
  return covenants::CovenantName(covenant_id) + std::string(kReportsInfix) + report_id;
}

ReportKey ParseReportName(const std::string& name, Validation& validation,
                          const std::string& field) {
  const auto at = name.find(kReportsInfix);
  Validation covenant;
  ReportKey key;
  if (at != std::string::npos) {
    key.covenant_id = covenants::ParseCovenantName(name.substr(0, at), covenant, field);
    key.report_id = name.substr(at + kReportsInfix.size());
  }
  const bool id_ok = !key.report_id.empty() && key.report_id.size() <= 63 &&
                     std::all_of(key.report_id.begin(), key.report_id.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
                     });
  if (at == std::string::npos || !covenant.empty() || !id_ok) {
    validation.Add(field,
                   "must be covenants/{covenant}/reports/{report}, e.g. "
                   "covenants/jeugd-wmo-duinstreek-2026/reports/12345678-2026-q2");
    return {};
  }
  return key;
}

std::string KindText(v1::ReportKind kind) { return v1::ReportKind_Name(kind); }

std::optional<v1::ReportKind> KindFromText(std::string_view text) {
  v1::ReportKind kind = v1::REPORT_KIND_UNSPECIFIED;
  if (!v1::ReportKind_Parse(std::string(text), &kind) || kind == v1::REPORT_KIND_UNSPECIFIED) {
    return std::nullopt;
  }
  return kind;
}

std::string StateText(v1::Report::State state) { return v1::Report::State_Name(state); }

v1::Report::State StateFromText(std::string_view text) {
  v1::Report::State state = v1::Report::STATE_UNSPECIFIED;
  v1::Report::State_Parse(std::string(text), &state);
  return state;
}

std::chrono::sys_days DueDate(v1::ReportKind kind, const Period& period,
                              const covenants::v1::ReportingCalendar& calendar) {
  switch (kind) {
    case v1::QUARTERLY:
      return period.end + std::chrono::days(calendar.quarterly_report_due_days());
    case v1::ANNUAL_PRODUCTION:
      return covenants::YearlyDateIn(calendar.annual_statement_due(), period.year + 1);
    default:
      return covenants::YearlyDateIn(calendar.complaints_report_due(), period.year + 1);
  }
}

bool PassesBsnElevenTest(std::string_view nine_digits) {
  if (nine_digits.size() != 9 || !AllDigits(nine_digits) ||
      nine_digits == std::string_view("000000000")) {
    return false;
  }
  int sum = 0;
  for (int i = 0; i < 8; ++i) {
    sum += (9 - i) * (nine_digits[static_cast<std::size_t>(i)] - '0');
  }
  sum -= nine_digits[8] - '0';
  return sum % 11 == 0;
}

bool ContainsBsn(std::string_view text) {
  // Each run of digits, joined across single separators, is one number.
  std::string digits;
  auto number_ends = [&]() {
    const bool found = PassesBsnElevenTest(digits);
    digits.clear();
    return found;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits.push_back(c);
      continue;
    }
    const bool separator = c == ' ' || c == '.' || c == '-';
    const bool joins = separator && !digits.empty() && i + 1 < text.size() &&
                       std::isdigit(static_cast<unsigned char>(text[i + 1]));
    if (!joins && number_ends()) {
      return true;
    }
  }
  return number_ends();
}

void ValidateReportContent(const v1::ReportContent& content, const Period& period,
                           const ReportContext& context, Validation& v) {
  const auto period_text = content.period();
  if (period.start < context.term_start || period.end > context.term_end) {
    v.Add("content.period", period_text + " is not within the covenant's term (" +
                                covenants::IsoDay(context.term_start) + " to " +
                                covenants::IsoDay(context.term_end) + ")");
  }
  if (content.lines_size() == 0) {
    v.Add("content.lines", "needs at least one line (municipality x lot)");
  } else if (content.lines_size() > kMaxLines) {
    v.Add("content.lines", "at most " + std::to_string(kMaxLines) + " lines per report");
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (int i = 0; i < content.lines_size() && i < kMaxLines; ++i) {
    const auto& line = content.lines(i);
    const auto field = Indexed("content.lines", i);
    if (!seen.emplace(line.municipality(), line.lot_id()).second) {
      v.Add(field, "a second line for " + line.municipality() + " in lot " + line.lot_id());
    }
    ValidateLine(line, field, context, period_text, v);
  }
  CheckReportText(content.signals().note(), kMaxNoteLength, "content.signals.note", v);
  CheckReportText(content.remarks(), kMaxRemarksLength, "content.remarks", v);
}

void CheckReportText(std::string_view text, std::size_t max_length, const std::string& field,
                     Validation& v) {
  if (text.size() > max_length) {
    v.Add(field, "must be at most " + std::to_string(max_length) + " characters");
  } else if (std::any_of(text.begin(), text.end(), [](char c) {
               return (static_cast<unsigned char>(c) < 0x20 && c != '\n') || c == 0x7f;
             })) {
    v.Add(field, "must not contain control characters other than line breaks");
  } else if (ContainsBsn(text)) {
    v.Add(field,
          "contains a number that passes the eleven-test of a citizen service number (BSN); "
          "Regie holds no personal data: remove it");
  }
}

v1::Report::State ReviewedState(v1::Report::State current,
                                v1::ReviewReportRequest::Decision decision) {
  if (current != v1::Report::SUBMITTED && current != v1::Report::QUESTIONED) {
    throw Error::FailedPrecondition(
        "REPORT_" + StateText(current),
        "this version is " + StateText(current) + " already; submit a correction instead");
  }
  switch (decision) {
    case v1::ReviewReportRequest::ACCEPT:
      return v1::Report::ACCEPTED;
    case v1::ReviewReportRequest::QUESTION:
      return v1::Report::QUESTIONED;
    default:
      return v1::Report::REJECTED;
  }
}

}  // namespace regie::reports
