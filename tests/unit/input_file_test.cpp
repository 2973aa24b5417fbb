#include <boost/test/unit_test.hpp>

#include "input_file.hpp"
#include "profile.hpp"
#include "regie/reports/v1/reports.pb.h"

namespace regie::client {
namespace {

bool Names(const ConfigError& e, const std::string& part) {
  return std::string(e.what()).find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(input_file)

BOOST_AUTO_TEST_CASE(yaml_reads_through_the_json_mapping_with_quoted_text_kept_as_text) {
  reports::v1::ReportContent content;
  ReadMessageText(
      "kind: QUARTERLY\nperiod: '2026'\nlines:\n  - municipality: municipalities/9901\n"
      "    clients_in_care: 42\n",
      "report.yaml", content);
  BOOST_TEST(content.kind() == reports::v1::QUARTERLY);
  BOOST_TEST(content.period() == "2026");
  BOOST_TEST(content.lines(0).clients_in_care() == 42);
}

// Found by fuzz_input_file: these escaped as std::out_of_range and nlohmann::json::type_error,
// which `regie` reported as internal errors.
BOOST_AUTO_TEST_CASE(numbers_too_large_and_text_that_is_not_utf8_are_refused_naming_the_file) {
  reports::v1::ReportContent content;
  BOOST_CHECK_EXCEPTION(ReadMessageText("lines:\n  - clients_in_care: 99999999999999999999999\n",
                                        "big.yaml", content),
                        ConfigError, [](const ConfigError& e) {
                          return Names(e, "big.yaml: does not fit regie.reports.v1.ReportContent");
                        });
  BOOST_CHECK_EXCEPTION(ReadMessageText("lines:\n  - inflow: 1.5e999999\n", "huge.yaml", content),
                        ConfigError,
                        [](const ConfigError& e) { return Names(e, "huge.yaml: does not fit"); });
  BOOST_CHECK_EXCEPTION(ReadMessageText("remarks: \"caf\xe9\"\n", "latin1.yaml", content),
                        ConfigError,
                        [](const ConfigError& e) { return Names(e, "latin1.yaml: not UTF-8"); });
  BOOST_CHECK_EXCEPTION(
      ReadMessageText("{[", "broken.json", content), ConfigError,
      [](const ConfigError& e) { return Names(e, "broken.json: not valid JSON or YAML"); });
}

// Found by fuzz_input_file: std::regex overflowed the stack on a scalar this long.
BOOST_AUTO_TEST_CASE(a_very_long_number_is_refused_without_exhausting_the_stack) {
  reports::v1::ReportContent content;
  BOOST_CHECK_EXCEPTION(ReadMessageText("lines:\n  - inflow: " + std::string(200'000, '7') + "\n",
                                        "long.yaml", content),
                        ConfigError,
                        [](const ConfigError& e) { return Names(e, "long.yaml: does not fit"); });
  ReadMessageText("lines:\n  - inflow: -12\n", "small.yaml", content);
  BOOST_TEST(content.lines(0).inflow() == -12);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::client
