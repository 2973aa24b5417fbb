// The performance issue's targets as regie-bench judges them (bench/targets.hpp,
// docs/adr/0023): each limit on both of its sides, the submit p99 against the baseline's in the
// same level, and the results table that carries the verdicts.

#include <boost/test/unit_test.hpp>

#include <sstream>

#include "bench_support.hpp"
#include "targets.hpp"

namespace regie::bench {
namespace {

Run WithP99(double per_second, double p99_ms) {
  Run run;
  run.count = 100;
  run.seconds = 1;
  run.per_second = per_second;
  run.p99_ms = p99_ms;
  return run;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(bench_targets)

BOOST_AUTO_TEST_CASE(submit_p99_is_25_ms_when_the_baseline_met_25_ms) {
  BOOST_TEST(targets::SubmitP99(24.9, 40).met);
  BOOST_TEST(targets::SubmitP99(25.0, 10).met);
  const auto above = targets::SubmitP99(25.1, 24.0);
  BOOST_TEST(!above.met);
  BOOST_TEST(above.reason == "Regie's p99 25.1 ms > 25 ms, and the baseline's 24.0 ms met 25 ms");
  BOOST_TEST(!targets::SubmitP99(25.1, 25.0).met);
}

BOOST_AUTO_TEST_CASE(submit_p99_is_the_baseline_s_when_the_machine_gave_neither_25_ms) {
  const auto within = targets::SubmitP99(30.0, 31.2);
  BOOST_TEST(within.met);
  BOOST_TEST(within.reason ==
             "Regie's p99 30.0 ms > 25 ms, and <= the baseline's 31.2 ms: the machine gave "
             "neither 25 ms in this level");
  BOOST_TEST(targets::SubmitP99(30.0, 30.0).met);
  const auto above = targets::SubmitP99(31.2, 30.0);
  BOOST_TEST(!above.met);
  BOOST_TEST(above.reason.find("> the baseline's 30.0 ms") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(each_limit_on_both_sides) {
  BOOST_TEST(targets::SubmitThroughput(0.60).met);
  BOOST_TEST(!targets::SubmitThroughput(0.599).met);
  BOOST_TEST(targets::SubmitThroughput(0.599).reason == "ratio 0.599 < 0.60");
  BOOST_TEST(targets::Upload(0.50).met);
  BOOST_TEST(!targets::Upload(0.499).met);
  BOOST_TEST(targets::Aggregate(100.0).met);
  BOOST_TEST(!targets::Aggregate(100.1).met);
  BOOST_TEST(targets::Settlement(999.9).met);
  BOOST_TEST(!targets::Settlement(1000.0).met);
  BOOST_TEST(targets::Settlement(1000.0).reason == "the slowest run 1000.0 ms >= 1000.0 ms");
  BOOST_TEST(targets::IdleMemory(40.0).met);
  BOOST_TEST(!targets::IdleMemory(40.1).met);
  BOOST_TEST(targets::Startup(0.99).met);
  BOOST_TEST(!targets::Startup(1.0).met);
}

BOOST_AUTO_TEST_CASE(the_results_carry_each_verdict_on_its_row_and_sum_them_up) {
  Results results(/*judged=*/true);
  results.Add("submit", "16 client(s)", "reports/s", WithP99(900, 30.0), WithP99(1000, 28.0), {});
  results.Judge(targets::SubmitThroughput(0.9));
  results.Judge(targets::SubmitP99(30.0, 28.0));
  results.AddValue("footprint", "start-up to SERVING", "s", 0.2, "< 1 s");
  results.Judge(targets::Startup(0.2));

  const auto verdicts = results.Verdicts();
  BOOST_TEST_REQUIRE(verdicts.size() == 3U);
  BOOST_TEST(verdicts[0].first == "submit, 16 client(s)");
  BOOST_TEST(verdicts[1].second.met == false);
  BOOST_TEST(verdicts[2].first == "footprint, start-up to SERVING");
  BOOST_TEST(results.Json()[0]["verdicts"].size() == 2U);

  std::ostringstream out;
  results.Print(out);
  const auto text = out.str();
  BOOST_TEST(text.find("Targets (docs/adr/0023): 2 of 3 met.") != std::string::npos);
  BOOST_TEST(text.find("NOT MET: submit, 16 client(s): p99 <= 25 ms") != std::string::npos);
  BOOST_TEST(text.find("target < 1 s: met (start-up 0.20 s < 1.00 s)") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_smoke_run_keeps_no_verdict) {
  Results results(/*judged=*/false);
  results.Add("upload", "2 reports", "lines/s", WithP99(10, 1), WithP99(100, 1), {});
  results.Judge(targets::Upload(0.1));
  BOOST_TEST(results.Verdicts().empty());
  std::ostringstream out;
  results.Print(out);
  BOOST_TEST(out.str().find("Targets: not judged") != std::string::npos);
  BOOST_TEST(out.str().find("NOT MET") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::bench
