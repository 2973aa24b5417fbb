#pragma once

// The past written with SQL, for tests that need it: accepted quarterly reports straight into the
// reports schema that settlement reads (docs/adr/0008), and admissions from a day gone by.

#include <chrono>
#include <string>
#include <vector>

namespace regie::testing {

struct IndicatorLine {
  std::string municipality;
  std::string lot;
  std::string indicator;  // id, e.g. nji-drop-out
  int numerator = 0;
  int denominator = 0;
};

// Version `version` of report `report_id` of provider `kvk` for quarter `quarter` of `year`,
// ACCEPTED, with `lines`.
void AcceptReport(const std::string& dsn, const std::string& covenant_id,
                  const std::string& report_id, int version, const std::string& kvk, int year,
                  int quarter, const std::vector<IndicatorLine>& lines);

// The domain oracle's results for `lot`, over two quarters and two municipalities: drop-out
// 14/100, satisfaction 95/100, no further help 70/100, goals reached 85/100, ZRM 40/100. With the
// levels of tests/fixtures/duinstreek/agreement.yaml they score 0.6, 1.0, 0.6, 1.0 and 0.5.
void AcceptOracleYear(const std::string& dsn, const std::string& covenant_id,
                      const std::string& kvk, int year, const std::string& lot);

// Provider `kvk` admitted to `lots` of covenant `covenant_id` from `in_force_from`, written with
// SQL (a DECIDED application and ACTIVE participations): the admission API only admits from a
// coming accession window, and reports need participations in periods that have ended.
void AdmitInThePast(const std::string& dsn, const std::string& covenant_id, const std::string& kvk,
                    const std::vector<std::string>& lots, std::chrono::sys_days in_force_from);

}  // namespace regie::testing
