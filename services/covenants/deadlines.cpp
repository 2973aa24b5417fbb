#include "deadlines.hpp"

#include "covenant_rules.hpp"
#include "lifecycle.hpp"

#include <algorithm>
#include <tuple>

namespace regie::covenants {
namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::sys_days;
using std::chrono::year;
using std::chrono::year_month_day;

int YearOf(sys_days d) { return static_cast<int>(year_month_day(d).year()); }

}  // namespace

std::chrono::sys_days ToDays(const google::type::Date& date) {
  return sys_days(year_month_day{year(date.year()), month(static_cast<unsigned>(date.month())),
                                 day(static_cast<unsigned>(date.day()))});
}

google::type::Date ToDate(std::chrono::sys_days days) {
  const year_month_day ymd(days);
  google::type::Date date;
  date.set_year(static_cast<int>(ymd.year()));
  date.set_month(static_cast<int>(static_cast<unsigned>(ymd.month())));
  date.set_day(static_cast<int>(static_cast<unsigned>(ymd.day())));
  return date;
}

std::string IsoDay(sys_days day) { return IsoDate(ToDate(day)); }

sys_days YearlyDateIn(const google::type::Date& yearly, int y) {
  year_month_day ymd{year(y), month(static_cast<unsigned>(yearly.month())),
                     day(static_cast<unsigned>(yearly.day()))};
  if (!ymd.ok()) {
    ymd = year_month_day{year(y), month(static_cast<unsigned>(yearly.month())), day(28)};
  }
  return sys_days(ymd);
}

std::chrono::sys_days AddMonths(std::chrono::sys_days d, int months) {
  const year_month_day ymd(d);
  auto shifted = ymd + std::chrono::months(months);
  if (!shifted.ok()) {
    shifted = shifted.year() / shifted.month() / std::chrono::last;
  }
  return sys_days(shifted);
}

std::vector<DeadlineItem> Deadlines(const v1::CovenantTerms& terms, int extensions_used,
                                    std::chrono::sys_days from, std::chrono::sys_days to) {
  std::vector<DeadlineItem> items;
  auto add = [&](sys_days date, DeadlineKind kind, std::string description) {
    if (date >= from && date <= to) {
      items.push_back({date, kind, std::move(description)});
    }
  };
  const auto& term = terms.term();
  const sys_days start = ToDays(term.start_date());
  const sys_days end = TermEnd(terms, extensions_used);
  const int options_left = term.extension_options() - extensions_used;

  add(end, DeadlineKind::kTermEnd,
      "the term ends" + std::string(options_left > 0
                                        ? " unless extended (" + std::to_string(options_left) +
                                              " extension option(s) left)"
                                        : ""));
  if (term.notice_period_months() > 0) {
    add(AddMonths(end, -term.notice_period_months()), DeadlineKind::kNotice,
        "last day to give " + std::to_string(term.notice_period_months()) +
            " months' notice before the term ends on " + IsoDay(end) +
            (options_left > 0 ? ", and to decide on an extension" : ""));
  }

  const auto& accession = terms.accession_policy();
  if (accession.mode() == v1::AccessionPolicy::WINDOWS) {
    for (int y = YearOf(start); y <= YearOf(end); ++y) {
      for (const auto& window : accession.window_dates()) {
        const sys_days opens = YearlyDateIn(window, y);
        if (opens <= start || opens > end) {
          continue;  // the start itself is the first admission, not a window
        }
        const sys_days closes = opens - std::chrono::days(accession.application_deadline_days());
        add(closes, DeadlineKind::kAccessionApplication,
            "applications close for the accession window of " + IsoDay(opens));
        add(opens, DeadlineKind::kAccessionWindow, "accession window: admitted providers join");
      }
    }
  }

  const auto& calendar = terms.reporting_calendar();
  // Quarters that end within the term: the report is due N days after the quarter ends.
  for (sys_days quarter_start = sys_days(year_month_day(start).year() / month(1) / day(1));
       quarter_start <= end; quarter_start = AddMonths(quarter_start, 3)) {
    const sys_days quarter_end = AddMonths(quarter_start, 3) - std::chrono::days(1);
    if (quarter_end < start) {
      continue;
    }
    const year_month_day ymd(quarter_start);
    const int quarter = (static_cast<int>(static_cast<unsigned>(ymd.month())) - 1) / 3 + 1;
    add(quarter_end + std::chrono::days(calendar.quarterly_report_due_days()),
        DeadlineKind::kQuarterlyReport,
        "quarterly report Q" + std::to_string(quarter) + " " +
            std::to_string(static_cast<int>(ymd.year())) + " due");
  }
  // Yearly statements about each calendar year of the term, due the following year.
  for (int y = YearOf(start); y <= YearOf(end); ++y) {
    const auto about = " about " + std::to_string(y);
    add(YearlyDateIn(calendar.annual_statement_due(), y + 1), DeadlineKind::kAnnualStatement,
        "annual production statement" + about + " due");
    add(YearlyDateIn(calendar.audit_opinion_due(), y + 1), DeadlineKind::kAuditOpinion,
        "audit opinion" + about + " due");
    add(YearlyDateIn(calendar.complaints_report_due(), y + 1), DeadlineKind::kComplaintsReport,
        "complaints report" + about + " due");
  }
  std::sort(items.begin(), items.end(), [](const DeadlineItem& a, const DeadlineItem& b) {
    return std::tie(a.date, a.kind) < std::tie(b.date, b.kind);
  });
  return items;
}

}  // namespace regie::covenants
