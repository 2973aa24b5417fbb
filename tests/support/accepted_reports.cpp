#include "accepted_reports.hpp"

#include <chrono>
#include <pqxx/pqxx>

namespace regie::testing {
namespace {

std::string Iso(std::chrono::year_month_day day) {
  char text[11];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return text;
}

}  // namespace

void AcceptReport(const std::string& dsn, const std::string& covenant_id,
                  const std::string& report_id, int version, const std::string& kvk, int year,
                  int quarter, const std::vector<IndicatorLine>& lines) {
  using namespace std::chrono;
  const auto first_month = month(static_cast<unsigned>(quarter * 3 - 2));
  const auto last_month = month(static_cast<unsigned>(quarter * 3));
  const year_month_day first{std::chrono::year(year), first_month, day(1)};
  const year_month_day last{
      year_month_day_last(std::chrono::year(year), month_day_last(last_month))};
  pqxx::connection connection(dsn);
  pqxx::work tx(connection);
  tx.exec_params(
      "INSERT INTO reports.reports (covenant_id, report_id, version, provider_kvk, kind, "
      "period_start, period_end, state, reviewed_at) "
      "VALUES ($1, $2, $3, $4, 'QUARTERLY', $5::date, $6::date, 'ACCEPTED', now())",
      covenant_id, report_id, version, kvk, Iso(first), Iso(last));
  for (const auto& l : lines) {
    tx.exec_params("INSERT INTO reports.indicator_lines VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                   covenant_id, report_id, version, l.municipality, l.lot, l.indicator, l.numerator,
                   l.denominator);
  }
  // What ReviewReport does after an acceptance (docs/adr/0011).
  tx.exec_params("SELECT reports.refresh_accepted_versions($1, $2)", covenant_id, report_id);
  tx.commit();
}

void AcceptOracleYear(const std::string& dsn, const std::string& covenant_id,
                      const std::string& kvk, int year, const std::string& lot) {
  AcceptReport(dsn, covenant_id, "q1", 1, kvk, year, 1,
               {{"9901", lot, "nji-drop-out", 7, 50},
                {"9901", lot, "nji-satisfaction", 45, 50},
                {"9901", lot, "nji-no-further-help", 35, 50},
                {"9901", lot, "nji-goals-reached", 40, 50},
                {"9901", lot, "zrm-improvement", 20, 50}});
  AcceptReport(dsn, covenant_id, "q2", 1, kvk, year, 2,
               {{"9902", lot, "nji-drop-out", 7, 50},
                {"9902", lot, "nji-satisfaction", 50, 50},
                {"9902", lot, "nji-no-further-help", 35, 50},
                {"9902", lot, "nji-goals-reached", 45, 50},
                {"9902", lot, "zrm-improvement", 20, 50}});
}

void AdmitInThePast(const std::string& dsn, const std::string& covenant_id, const std::string& kvk,
                    const std::vector<std::string>& lots, std::chrono::sys_days in_force_from) {
  pqxx::connection connection(dsn);
  pqxx::work tx(connection);
  const auto day = Iso(std::chrono::year_month_day(in_force_from));
  const int application =
      tx.exec_params1(
            "INSERT INTO providers.applications (covenant_id, application_id, kvk_number, "
            "window_date, note, state, terms_version, submitted_by) "
            "SELECT $1, coalesce(max(application_id), 0) + 1, $2, $3::date, 'admitted earlier', "
            "'DECIDED', 1, 'CN=test' FROM providers.applications WHERE covenant_id = $1 "
            "RETURNING application_id",
            covenant_id, kvk, day)[0]
          .as<int>();
  for (const auto& lot : lots) {
    tx.exec_params(
        "INSERT INTO providers.participations (covenant_id, kvk_number, lot_id, state, "
        "in_force_from, application_id) VALUES ($1, $2, $3, 'ACTIVE', $4::date, $5)",
        covenant_id, kvk, lot, day, application);
  }
  tx.commit();
}

}  // namespace regie::testing
