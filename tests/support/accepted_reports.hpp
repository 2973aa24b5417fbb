#pragma once

// Accepted quarterly reports written straight into the reports schema that settlement reads
// (docs/adr/0008), for the tests of settlement until the reporting service writes them.

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

}  // namespace regie::testing
