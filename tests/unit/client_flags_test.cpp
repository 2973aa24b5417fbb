// The date and day-count flags of `regie`: calendar dates, today and days relative to it.

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <ctime>

#include "profile.hpp"
#include "regie_client.hpp"

namespace regie::testing {
namespace {

using client::ConfigError;
using client::ParseDateFlag;
using client::ParseDaysFlag;
using namespace std::chrono;

sys_days LocalToday() {
  const std::time_t now = system_clock::to_time_t(system_clock::now());
  std::tm local{};
  localtime_r(&now, &local);
  return sys_days(year(local.tm_year + 1900) / (local.tm_mon + 1) / local.tm_mday);
}

sys_days Parsed(const std::string& text) {
  google::type::Date date;
  ParseDateFlag(text, "--date", &date);
  return sys_days(year(date.year()) / date.month() / date.day());
}

bool NamesFlag(const ConfigError& e) {
  return std::string(e.what()).rfind("--date must be a date like 2027-01-31", 0) == 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(client_flags)

BOOST_AUTO_TEST_CASE(calendar_dates_are_taken_as_written) {
  BOOST_TEST((Parsed("2026-07-01") == sys_days(2026y / July / 1)));
  BOOST_TEST((Parsed("2028-02-29") == sys_days(2028y / February / 29)));
}

BOOST_AUTO_TEST_CASE(relative_dates_count_from_today) {
  // Around midnight the two calls may see different days; compare with the day read in between.
  const auto before = LocalToday();
  const auto today = Parsed("today");
  const auto in_90 = Parsed("90d");
  const auto plus_90 = Parsed("+90d");
  const auto ago_30 = Parsed("-30d");
  const auto after = LocalToday();
  BOOST_TEST((today == before || today == after));
  BOOST_TEST((in_90 - today == days(90) || in_90 - today == days(91)));
  BOOST_TEST((plus_90 == in_90 || plus_90 - in_90 == days(1)));
  BOOST_TEST((today - ago_30 == days(30) || today - ago_30 == days(29)));
}

BOOST_AUTO_TEST_CASE(anything_else_is_refused_naming_the_flag) {
  for (const auto* text : {"", "2026-02-30", "2026-13-01", "2026-07-01x", "01-07-2026", "90", "d",
                           "9x0d", "12345d", "yesterday"}) {
    google::type::Date date;
    BOOST_CHECK_EXCEPTION(ParseDateFlag(text, "--date", &date), ConfigError, NamesFlag);
  }
}

BOOST_AUTO_TEST_CASE(day_counts) {
  BOOST_TEST(ParseDaysFlag("90d", "--within") == 90);
  BOOST_TEST(ParseDaysFlag("0", "--within") == 0);
  for (const auto* text : {"", "-5d", "+5d", "d", "10000d", "5 d", "5w"}) {
    BOOST_CHECK_THROW(ParseDaysFlag(text, "--within"), ConfigError);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::testing
