// The reference settlement rule of docs/adr/0008 with the domain brief's oracle numbers, its
// edges (clamps, minimum n, malus and bonus boundaries, half cents), a property test over random
// inputs, and the validation of agreements.

#include <boost/test/unit_test.hpp>

#include <random>

#include "eurocents.hpp"
#include "outcome_rules.hpp"

namespace regie::outcomes {
namespace {

using regie::covenants::v1::FUNDING_MODEL_EFFORT;
using regie::covenants::v1::FUNDING_MODEL_TASK;

std::vector<std::string> FieldsOf(const std::function<void()>& action) {
  std::vector<std::string> fields;
  try {
    action();
  } catch (const Error& e) {
    for (const auto& violation : e.violations()) {
      fields.push_back(violation.field);
    }
  }
  return fields;
}

v1::Indicator Definition(const std::string& id, v1::Indicator::Direction direction,
                         int minimum_n = 10) {
  v1::Indicator i;
  i.set_name(IndicatorName(id));
  i.set_direction(direction);
  i.set_minimum_n(minimum_n);
  return i;
}

struct Measure {
  std::string id;
  std::string floor;
  std::string target;
  std::string stretch;
  std::string weight;
  Sums sums;
  v1::Indicator::Direction direction = v1::Indicator::HIGHER_IS_BETTER;
  int minimum_n = 10;
};

// A task-based agreement with lump sum `lump_sum` and R, M, B as given, over `measures`.
SettlementInputs Inputs(std::int64_t lump_sum, const std::vector<Measure>& measures,
                        const std::string& r = "5", const std::string& m = "2.5",
                        const std::string& b = "2.5") {
  SettlementInputs in;
  in.agreement.set_name("covenants/c1/lots/P1/agreements/results");
  in.agreement.set_version(1);
  in.agreement.set_funding_model(FUNDING_MODEL_TASK);
  in.agreement.set_lump_sum_eurocents(lump_sum);
  in.agreement.mutable_payment_rule()->set_result_share_percent(r);
  in.agreement.mutable_payment_rule()->set_max_malus_percent(m);
  in.agreement.mutable_payment_rule()->set_bonus_percent(b);
  for (const auto& measure : measures) {
    auto* agreed = in.agreement.add_indicators();
    agreed->set_indicator(IndicatorName(measure.id));
    agreed->set_floor(measure.floor);
    agreed->set_target(measure.target);
    agreed->set_stretch(measure.stretch);
    agreed->set_weight(measure.weight);
    in.definitions[IndicatorName(measure.id)] =
        Definition(measure.id, measure.direction, measure.minimum_n);
    in.sums[IndicatorName(measure.id)] = measure.sums;
  }
  return in;
}

// An indicator from 0 to 1 whose score equals numerator / 100.
Measure Linear(const std::string& id, std::int64_t percent, const std::string& weight = "0.2",
               const std::string& stretch = "") {
  return {id, "0", "1", stretch, weight, {percent, 100}};
}

Rational R(const std::string& exact) {
  Rational r(exact, 10);
  r.canonicalize();
  return r;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(outcome_rules)

BOOST_AUTO_TEST_CASE(the_domain_oracle_pays_236_880_000_eurocent) {
  // L = EUR 2,400,000, R = 5%, five indicators of weight 0.2 scoring 0.6, 1.0, 0.6, 1.0, 0.5.
  const auto s = Settle(Inputs(240'000'000, {Linear("a", 60), Linear("b", 100), Linear("c", 60),
                                             Linear("d", 100), Linear("e", 50)}));
  BOOST_TEST(s.score().exact() == "37/50");
  BOOST_TEST(s.score().decimal() == "0.740000");
  BOOST_TEST(s.scored_indicators() == 5);
  BOOST_TEST(s.base_eurocents() == 240'000'000);
  BOOST_TEST(s.withheld_eurocents() == 12'000'000);
  BOOST_TEST(s.paid_result_share_eurocents() == 8'880'000);
  BOOST_TEST(s.malus_eurocents() == 0);
  BOOST_TEST(s.bonus_eurocents() == 0);
  BOOST_TEST(s.total_eurocents() == 236'880'000);
  BOOST_TEST(s.rule_version() == kRuleVersion);
  BOOST_TEST(s.indicators(0).contribution().decimal() == "0.120000");
  BOOST_TEST(s.indicators(0).weight_share().exact() == "1/5");
  // On an effort-based lot the same rule runs over what the provider declared.
  auto effort = Inputs(
      0, {Linear("a", 60), Linear("b", 100), Linear("c", 60), Linear("d", 100), Linear("e", 50)});
  effort.agreement.set_funding_model(FUNDING_MODEL_EFFORT);
  effort.declared_eurocents = 240'000'000;
  const auto declared = Settle(effort);
  BOOST_TEST(declared.base_eurocents() == 240'000'000);
  BOOST_TEST(declared.total_eurocents() == 236'880'000);
}

BOOST_AUTO_TEST_CASE(the_recovery_oracle_is_6_000_000_eurocent) {
  // D = EUR 1,000,000, e = 4%, t = 3%, p = 50%.
  const auto r = ComputeRecovery(100'000'000, "4", "3", "50");
  BOOST_TEST(r.recovered_eurocents() == 4'000'000);
  BOOST_TEST(r.penalty_eurocents() == 2'000'000);
  BOOST_TEST(r.total_eurocents() == 6'000'000);
  // With e <= t only e x D.
  const auto within = ComputeRecovery(100'000'000, "3", "3", "50");
  BOOST_TEST(within.recovered_eurocents() == 3'000'000);
  BOOST_TEST(within.penalty_eurocents() == 0);
  BOOST_TEST(within.total_eurocents() == 3'000'000);
  BOOST_TEST(FieldsOf([] { ComputeRecovery(-1, "101", "3.12345", ""); }) ==
                 std::vector<std::string>({"planned_eurocents", "error_rate_percent",
                                           "tolerance_percent", "penalty_percent"}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(scores_clamp_at_floor_and_target_in_both_directions) {
  const auto higher = v1::Indicator::HIGHER_IS_BETTER;
  const auto lower = v1::Indicator::LOWER_IS_BETTER;
  BOOST_TEST(Score(higher, R("1/2"), R("1/2"), R("9/10")) == 0);   // at the floor
  BOOST_TEST(Score(higher, R("2/5"), R("1/2"), R("9/10")) == 0);   // below it
  BOOST_TEST(Score(higher, R("9/10"), R("1/2"), R("9/10")) == 1);  // at the target
  BOOST_TEST(Score(higher, R("1"), R("1/2"), R("9/10")) == 1);     // above it
  BOOST_TEST(Score(higher, R("7/10"), R("1/2"), R("9/10")) == R("1/2"));
  // Drop-out: lower is better, floor 20%, target 5%.
  BOOST_TEST(Score(lower, R("1/5"), R("1/5"), R("1/20")) == 0);
  BOOST_TEST(Score(lower, R("3/10"), R("1/5"), R("1/20")) == 0);
  BOOST_TEST(Score(lower, R("1/20"), R("1/5"), R("1/20")) == 1);
  BOOST_TEST(Score(lower, R("1/100"), R("1/5"), R("1/20")) == 1);
  BOOST_TEST(Score(lower, R("2/25"), R("1/5"), R("1/20")) == R("4/5"));
}

BOOST_AUTO_TEST_CASE(a_lower_is_better_indicator_scores_through_settle) {
  Measure drop_out{"drop-out", "0.2", "0.05", "", "1", {12, 150}, v1::Indicator::LOWER_IS_BETTER};
  const auto s = Settle(Inputs(100'000'000, {drop_out}));
  BOOST_TEST(s.indicators(0).value().decimal() == "0.080000");
  BOOST_TEST(s.indicators(0).score().exact() == "4/5");
  BOOST_TEST(s.paid_result_share_eurocents() == 4'000'000);  // 5% of EUR 1,000,000 x 0.8
}

BOOST_AUTO_TEST_CASE(an_indicator_below_its_minimum_n_is_not_scored_and_weights_renormalise) {
  auto small = Linear("b", 0, "0.6");
  small.sums = {0, 9};  // n = 9 < 10
  const auto s = Settle(Inputs(100'000'000, {Linear("a", 80, "0.2"), small}));
  BOOST_TEST(s.scored_indicators() == 1);
  BOOST_TEST(!s.indicators(1).scored());
  BOOST_TEST(s.indicators(1).not_scored_reason() == "n = 9 is below the minimum n of 10");
  BOOST_TEST(s.indicators(0).weight_share().exact() == "1");
  BOOST_TEST(s.score().exact() == "4/5");
  // Without data at all the reason says so.
  auto none = Linear("b", 0, "0.6");
  none.sums = {0, 0};
  BOOST_TEST(Settle(Inputs(100, {Linear("a", 80), none})).indicators(1).not_scored_reason() ==
             "no data in the accepted reports");
}

BOOST_AUTO_TEST_CASE(when_no_indicator_is_scored_the_share_is_paid_without_malus_or_bonus) {
  auto a = Linear("a", 0, "1", "0");
  a.sums = {1, 5};
  const auto s = Settle(Inputs(100'000'000, {a}));
  BOOST_TEST(s.scored_indicators() == 0);
  BOOST_TEST(s.score().exact() == "1");
  BOOST_TEST(s.paid_result_share_eurocents() == s.withheld_eurocents());
  BOOST_TEST(s.malus_eurocents() == 0);
  BOOST_TEST(s.bonus_eurocents() == 0);
  BOOST_TEST(s.total_eurocents() == 100'000'000);
}

BOOST_AUTO_TEST_CASE(malus_starts_below_half_and_reaches_m_at_zero) {
  // S exactly 0.5: no malus.
  BOOST_TEST(Settle(Inputs(100'000'000, {Linear("a", 50, "1")})).malus_eurocents() == 0);
  // S = 0.25: (0.5 - 0.25) x 2 x 2.5% of EUR 1,000,000 = EUR 12,500.
  const auto quarter = Settle(Inputs(100'000'000, {Linear("a", 25, "1")}));
  BOOST_TEST(quarter.malus_eurocents() == 1'250'000);
  BOOST_TEST(quarter.total_eurocents() == 100'000'000 - 5'000'000 + 1'250'000 - 1'250'000);
  // S = 0: the whole maximum malus.
  BOOST_TEST(Settle(Inputs(100'000'000, {Linear("a", 0, "1")})).malus_eurocents() == 2'500'000);
}

BOOST_AUTO_TEST_CASE(bonus_needs_every_scored_indicator_at_its_stretch) {
  // Every indicator exactly at its stretch level: the bonus.
  const auto at =
      Settle(Inputs(100'000'000, {Linear("a", 90, "0.5", "0.9"), Linear("b", 95, "0.5", "0.95")}));
  BOOST_TEST(at.indicators(0).reached_stretch());
  BOOST_TEST(at.bonus_eurocents() == 2'500'000);
  BOOST_TEST(at.total_eurocents() ==
             100'000'000 - 5'000'000 + at.paid_result_share_eurocents() + 2'500'000);
  // One a hair below: none.
  const auto below =
      Settle(Inputs(100'000'000, {Linear("a", 90, "0.5", "0.9"), Linear("b", 94, "0.5", "0.95")}));
  BOOST_TEST(below.bonus_eurocents() == 0);
  // An indicator without a stretch level can never earn it.
  BOOST_TEST(Settle(Inputs(100'000'000, {Linear("a", 100, "1")})).bonus_eurocents() == 0);
  // A lower-is-better stretch is reached at or below it.
  Measure drop_out{
      "drop-out", "0.2", "0.05", "0.03", "1", {3, 100}, v1::Indicator::LOWER_IS_BETTER};
  BOOST_TEST(Settle(Inputs(100'000'000, {drop_out})).bonus_eurocents() == 2'500'000);
}

BOOST_AUTO_TEST_CASE(half_a_cent_rounds_up_once_at_the_end) {
  BOOST_TEST(RoundHalfUp(R("5/2")) == 3);
  BOOST_TEST(RoundHalfUp(R("24999/10000")) == 2);
  BOOST_TEST(RoundHalfUp(R("-5/2")) == -3);
  BOOST_TEST(DecimalText(R("1/3")) == "0.333333");
  BOOST_TEST(DecimalText(R("2/3")) == "0.666667");
  BOOST_TEST(DecimalText(R("-1/8"), 2) == "-0.13");
  // L = 10 ct, R = 5%: half a cent withheld; S = 0 and no malus: the exact total is 9.5 ct.
  const auto s = Settle(Inputs(10, {Linear("a", 0, "1")}, "5", "0", "0"));
  BOOST_TEST(s.withheld_eurocents() == 1);
  BOOST_TEST(s.total_eurocents() == 10);
  const auto lines = Explain(s);
  BOOST_TEST(std::any_of(lines.begin(), lines.end(), [](const std::string& line) {
    return line.starts_with("Rounding: the parts") && line.find("EUR 0.09") != std::string::npos;
  }));
}

BOOST_AUTO_TEST_CASE(settling_is_deterministic_and_explained_line_by_line) {
  const auto inputs = Inputs(240'000'000, {Linear("a", 60), Linear("b", 100), Linear("c", 60),
                                           Linear("d", 100), Linear("e", 50)});
  BOOST_TEST(Settle(inputs).SerializeAsString() == Settle(inputs).SerializeAsString());
  auto s = Settle(inputs);
  s.set_name("covenants/c1/settlements/2025-12345678-P1-results");
  s.set_version(1);
  const auto lines = Explain(s);
  const auto has = [&](const std::string& text) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const auto& line) { return line.find(text) != std::string::npos; });
  };
  BOOST_TEST(
      has("a (higher is better): 60/100 = 0.600000; floor 0, target 1 -> score 0.600000; "
          "weight 0.2 (share 0.200000) -> contribution 0.120000"));
  BOOST_TEST(has("Score S = 0.740000 (37/50)"));
  BOOST_TEST(has("Paid result share R x S: EUR 88,800.00"));
  BOOST_TEST(has("Total = base - withheld + paid result share - malus + bonus: EUR 2,368,800.00"));
  BOOST_TEST(has("Malus: none (S is at least 0.5)"));
}

BOOST_AUTO_TEST_CASE(for_random_inputs_s_stays_in_0_1_and_the_total_within_its_bounds) {
  std::mt19937_64 random(20261123);
  const auto pick = [&](int low, int high) {
    return std::uniform_int_distribution<int>(low, high)(random);
  };
  for (int round = 0; round < 2000; ++round) {
    const std::int64_t lump = std::uniform_int_distribution<std::int64_t>(0, 5'000'000'000)(random);
    std::vector<Measure> measures;
    const int count = pick(1, 6);
    for (int i = 0; i < count; ++i) {
      const int floor = pick(0, 98);
      const int target = pick(floor + 1, 100);
      const bool lower = pick(0, 1) == 1;
      const auto denominator = pick(0, 200);
      Measure m{"i" + std::to_string(i),
                "",
                "",
                "",
                std::to_string(pick(1, 9)) + "." + std::to_string(pick(0, 9)),
                {pick(0, denominator), denominator},
                lower ? v1::Indicator::LOWER_IS_BETTER : v1::Indicator::HIGHER_IS_BETTER,
                pick(1, 20)};
      // Levels as exact hundredths: higher is better floor < target, lower the other way.
      const auto level = [](int hundredths) {
        return hundredths == 100
                   ? std::string("1")
                   : "0." + std::string(hundredths < 10 ? "0" : "") + std::to_string(hundredths);
      };
      m.floor = level(lower ? target : floor);
      m.target = level(lower ? floor : target);
      if (pick(0, 1) == 1) {
        m.stretch = m.target;
      }
      measures.push_back(m);
    }
    const auto r = std::to_string(pick(0, 20));
    const auto mm = std::to_string(pick(0, 20));
    const auto b = std::to_string(pick(0, 20));
    const auto s = Settle(Inputs(lump, measures, r, mm, b));
    const auto score = R(s.score().exact());
    BOOST_TEST_REQUIRE((score >= 0 && score <= 1), "S = " << s.score().exact());
    const Rational base(lump);
    const auto low = RoundHalfUp(base - *ParsePercent(r) * base - *ParsePercent(mm) * base);
    const auto high = RoundHalfUp(base + *ParsePercent(b) * base);
    BOOST_TEST_REQUIRE((s.total_eurocents() >= low && s.total_eurocents() <= high),
                       "total " << s.total_eurocents() << " outside [" << low << ", " << high
                                << "] in round " << round);
  }
}

BOOST_AUTO_TEST_CASE(decimals_are_parsed_exactly_or_refused) {
  BOOST_TEST(ParseDecimal("0.85", 6).value() == R("17/20"));
  BOOST_TEST(ParseDecimal("5", 4).value() == 5);
  BOOST_TEST(ParsePercent("2.5").value() == R("1/40"));
  for (const auto* bad : {"", ".5", "5.", "-1", "+1", "1e3", " 1", "0.1234567", "1,5"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!ParseDecimal(bad, 6).has_value()); }
  }
  BOOST_TEST(!ParsePercent("100.0001").has_value());
  BOOST_TEST(ParsePeriod("2025").has_value());
  BOOST_TEST(!ParsePeriod("2025-Q1").has_value());
  BOOST_TEST(!ParsePeriod("0999").has_value());
  BOOST_TEST(EuroText(236'880'000) == "EUR 2,368,800.00");
  BOOST_TEST(EuroText(-5) == "-EUR 0.05");
}

BOOST_AUTO_TEST_CASE(every_agreement_rule_names_its_field) {
  const IndicatorLookup library = [](const std::string& id) -> std::optional<v1::Indicator> {
    if (id == "nji-drop-out") {
      return Definition(id, v1::Indicator::LOWER_IS_BETTER);
    }
    if (id == "nji-satisfaction") {
      return Definition(id, v1::Indicator::HIGHER_IS_BETTER);
    }
    return std::nullopt;
  };
  const auto valid = [] {
    v1::Agreement a;
    a.set_title("Results 2026");
    a.set_provider("providers/12345678");
    a.set_lump_sum_eurocents(240'000'000);
    auto* drop_out = a.add_indicators();
    drop_out->set_indicator("indicators/nji-drop-out");
    drop_out->set_floor("0.2");
    drop_out->set_target("0.05");
    drop_out->set_stretch("0.03");
    drop_out->set_weight("0.5");
    auto* satisfaction = a.add_indicators();
    satisfaction->set_indicator("indicators/nji-satisfaction");
    satisfaction->set_floor("0.6");
    satisfaction->set_target("0.9");
    satisfaction->set_weight("0.5");
    a.mutable_payment_rule()->set_result_share_percent("5");
    a.mutable_payment_rule()->set_max_malus_percent("2.5");
    a.mutable_payment_rule()->set_bonus_percent("2.5");
    a.mutable_recovery_rule()->set_tolerance_percent("3");
    a.mutable_recovery_rule()->set_penalty_percent("50");
    return a;
  };
  const auto fields = [&](const v1::Agreement& a, regie::covenants::v1::FundingModel model) {
    return FieldsOf([&] {
      Validation v;
      ValidateAgreement(a, model, library, v);
      v.ThrowIfAny();
    });
  };
  BOOST_TEST(fields(valid(), FUNDING_MODEL_TASK).empty());
  using A = v1::Agreement;
  const std::vector<std::pair<std::function<void(A&)>, std::string>> rows = {
      {[](A& a) { a.clear_title(); }, "agreement.title"},
      {[](A& a) { a.set_provider("12345678"); }, "agreement.provider"},
      {[](A& a) { a.clear_provider(); }, "agreement.provider"},
      {[](A& a) { a.set_lump_sum_eurocents(0); }, "agreement.lump_sum_eurocents"},
      {[](A& a) { a.clear_indicators(); }, "agreement.indicators"},
      {[](A& a) { a.mutable_indicators(0)->set_indicator("indicators/unknown"); },
       "agreement.indicators[0].indicator"},
      {[](A& a) { *a.mutable_indicators(1) = a.indicators(0); },
       "agreement.indicators[1].indicator"},
      {[](A& a) { a.mutable_indicators(0)->set_floor("1.5"); }, "agreement.indicators[0].floor"},
      {[](A& a) { a.mutable_indicators(0)->set_target("0.3"); },
       "agreement.indicators[0].target"},  // drop-out: lower is better, so below the floor
      {[](A& a) { a.mutable_indicators(1)->set_target("0.6"); },
       "agreement.indicators[1].target"},  // equal to the floor
      {[](A& a) { a.mutable_indicators(0)->set_stretch("0.1"); },
       "agreement.indicators[0].stretch"},
      {[](A& a) { a.mutable_indicators(1)->set_weight("0"); }, "agreement.indicators[1].weight"},
      {[](A& a) { a.mutable_payment_rule()->set_result_share_percent("101"); },
       "agreement.payment_rule.result_share_percent"},
      {[](A& a) { a.mutable_payment_rule()->clear_bonus_percent(); },
       "agreement.payment_rule.bonus_percent"},
      {[](A& a) {
         a.mutable_payment_rule()->set_result_share_percent("60");
         a.mutable_payment_rule()->set_max_malus_percent("50");
       },
       "agreement.payment_rule.max_malus_percent"},
      {[](A& a) { a.mutable_recovery_rule()->set_tolerance_percent("x"); },
       "agreement.recovery_rule.tolerance_percent"},
      {[](A& a) { a.mutable_recovery_rule()->clear_penalty_percent(); },
       "agreement.recovery_rule.penalty_percent"},
  };
  for (const auto& [change, field] : rows) {
    BOOST_TEST_CONTEXT(field) {
      auto a = valid();
      change(a);
      BOOST_TEST(fields(a, FUNDING_MODEL_TASK) == std::vector<std::string>{field},
                 boost::test_tools::per_element());
    }
  }
  // On an effort-based lot the base is declared, so a lump sum is refused and no provider needed.
  auto effort = valid();
  effort.clear_provider();
  BOOST_TEST(fields(effort, FUNDING_MODEL_EFFORT) ==
                 std::vector<std::string>{"agreement.lump_sum_eurocents"},
             boost::test_tools::per_element());
  effort.set_lump_sum_eurocents(0);
  BOOST_TEST(fields(effort, FUNDING_MODEL_EFFORT).empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::outcomes
