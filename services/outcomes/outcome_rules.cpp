#include "outcome_rules.hpp"

#include <algorithm>
#include <set>

#include "eurocents.hpp"
#include "names.hpp"
#include "provider_rules.hpp"

namespace regie::outcomes {
namespace {

using regie::covenants::v1::FundingModel;

constexpr char kIndicatorPrefix[] = "indicators/";
constexpr int kMaxIndicators = 20;

bool HigherIsBetter(v1::Indicator::Direction direction) {
  return direction != v1::Indicator::LOWER_IS_BETTER;
}

std::string DirectionText(v1::Indicator::Direction direction) {
  return HigherIsBetter(direction) ? "higher is better" : "lower is better";
}

std::string Id(const std::string& name) { return name.substr(name.rfind('/') + 1); }

// A level in [0, 1]; a required one adds "is required" when empty.
std::optional<Rational> ParseLevel(const std::string& text, Validation& v, const std::string& field,
                                   bool required) {
  if (text.empty()) {
    if (required) {
      v.Add(field, "is required: a ratio from 0 to 1 such as 0.85");
    }
    return std::nullopt;
  }
  auto value = ParseDecimal(text, kLevelPlaces);
  if (!value || *value > 1) {
    v.Add(field,
          "must be a ratio from 0 to 1 with at most 6 decimals, such as 0.85, not '" + text + "'");
    return std::nullopt;
  }
  return value;
}

std::optional<Rational> RequirePercent(const std::string& text, Validation& v,
                                       const std::string& field) {
  auto value = ParsePercent(text);
  if (!value) {
    v.Add(field, text.empty() ? "is required: a percentage from 0 to 100 such as 2.5"
                              : "must be a percentage from 0 to 100 with at most 4 decimals, "
                                "not '" +
                                    text + "'");
  }
  return value;
}

void ValidateIndicator(const v1::AgreedIndicator& agreed, const IndicatorLookup& lookup,
                       const std::string& field, std::set<std::string>& seen, Validation& v) {
  const auto id = ParseIndicatorName(agreed.indicator(), v, field + ".indicator");
  std::optional<v1::Indicator> definition;
  if (!id.empty()) {
    definition = lookup(id);
    if (!definition) {
      v.Add(field + ".indicator", "'" + agreed.indicator() + "' is not in the indicator library");
    } else if (!seen.insert(id).second) {
      v.Add(field + ".indicator", "'" + agreed.indicator() + "' is listed twice");
    }
  }
  const auto floor = ParseLevel(agreed.floor(), v, field + ".floor", true);
  const auto target = ParseLevel(agreed.target(), v, field + ".target", true);
  const auto stretch = ParseLevel(agreed.stretch(), v, field + ".stretch", false);
  const auto weight = ParseDecimal(agreed.weight(), kLevelPlaces);
  if (!weight || *weight <= 0) {
    v.Add(field + ".weight", "must be a positive decimal with at most 6 decimals, such as 0.2");
  }
  if (!definition || !floor || !target) {
    return;
  }
  const bool higher = HigherIsBetter(definition->direction());
  if (higher ? *target <= *floor : *target >= *floor) {
    v.Add(field + ".target", std::string("must be ") + (higher ? "above" : "below") +
                                 " the floor " + agreed.floor() + ": " + Id(agreed.indicator()) +
                                 " is " + DirectionText(definition->direction()));
  }
  if (stretch && (higher ? *stretch < *target : *stretch > *target)) {
    v.Add(field + ".stretch", std::string("must be at or ") + (higher ? "above" : "below") +
                                  " the target " + agreed.target());
  }
}

// Exact eurocents rounded half up to the cent.
std::int64_t Cents(const Rational& eurocents) { return RoundHalfUp(eurocents); }

v1::Ratio ToRatio(const Rational& value) {
  v1::Ratio ratio;
  ratio.set_exact(ExactText(value));
  ratio.set_decimal(DecimalText(value));
  return ratio;
}

Rational ExactOf(const v1::Ratio& ratio) {
  Rational value(ratio.exact().empty() ? "0" : ratio.exact(), 10);
  value.canonicalize();
  return value;
}

std::string Percent(const std::string& text) { return (text.empty() ? "0" : text) + "%"; }

}  // namespace

bool IsIndicatorId(std::string_view id) {
  return !id.empty() && id.size() <= 40 && id[0] >= 'a' && id[0] <= 'z' &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
         });
}

std::string IndicatorName(const std::string& id) { return kIndicatorPrefix + id; }

std::string ParseIndicatorName(const std::string& name, Validation& v, const std::string& field) {
  const std::string_view prefix = kIndicatorPrefix;
  if (name.size() > prefix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
      IsIndicatorId(std::string_view(name).substr(prefix.size()))) {
    return name.substr(prefix.size());
  }
  v.Add(field, name.empty() ? "is required: indicators/{id}, see `regie indicator list`"
                            : "must be indicators/{id}, not '" + name + "'");
  return {};
}

std::optional<Rational> ParsePercent(const std::string& text) {
  auto value = ParseDecimal(text, kPercentPlaces);
  if (!value || *value > 100) {
    return std::nullopt;
  }
  return Rational(*value / 100);
}

void ValidateAgreement(const v1::Agreement& agreement, FundingModel funding_model,
                       const IndicatorLookup& indicators, Validation& v,
                       const std::string& prefix) {
  CheckText(agreement.title(), 200, v, prefix + ".title");
  if (!agreement.provider().empty()) {
    providers::ParseProviderName(agreement.provider(), v, prefix + ".provider");
  }
  if (funding_model == regie::covenants::v1::FUNDING_MODEL_TASK) {
    if (agreement.provider().empty()) {
      v.Add(prefix + ".provider",
            "is required for a task-based lot (taakgericht): its lump sum is per provider");
    }
    if (agreement.lump_sum_eurocents() <= 0) {
      v.Add(prefix + ".lump_sum_eurocents",
            "must be the positive lump sum per year in eurocents for a task-based lot");
    }
  } else if (agreement.lump_sum_eurocents() != 0) {
    v.Add(prefix + ".lump_sum_eurocents",
          "must be 0: on an effort- or output-based lot the base is what the provider declares");
  }
  const auto& agreed = agreement.indicators();
  if (agreed.empty() || agreed.size() > kMaxIndicators) {
    v.Add(prefix + ".indicators", "must list 1-20 indicators");
  }
  std::set<std::string> seen;
  for (int i = 0; i < agreed.size(); ++i) {
    ValidateIndicator(agreed[i], indicators, prefix + ".indicators[" + std::to_string(i) + "]",
                      seen, v);
  }
  const auto rule = prefix + ".payment_rule.";
  const auto r = RequirePercent(agreement.payment_rule().result_share_percent(), v,
                                rule + "result_share_percent");
  const auto m =
      RequirePercent(agreement.payment_rule().max_malus_percent(), v, rule + "max_malus_percent");
  RequirePercent(agreement.payment_rule().bonus_percent(), v, rule + "bonus_percent");
  if (r && m && *r + *m > 1) {
    v.Add(rule + "max_malus_percent",
          "with the result share it must stay at most 100: more than the base cannot be withheld");
  }
  const auto recovery = prefix + ".recovery_rule.";
  RequirePercent(agreement.recovery_rule().tolerance_percent(), v, recovery + "tolerance_percent");
  RequirePercent(agreement.recovery_rule().penalty_percent(), v, recovery + "penalty_percent");
}

std::optional<Period> ParsePeriod(std::string_view period) {
  if (period.size() != 4 || period.find_first_not_of("0123456789") != std::string_view::npos ||
      period[0] == '0') {
    return std::nullopt;
  }
  const int year = std::stoi(std::string(period));
  using namespace std::chrono;
  return Period{sys_days(std::chrono::year(year) / January / 1),
                sys_days(std::chrono::year(year) / December / 31)};
}

Rational Score(v1::Indicator::Direction direction, const Rational& value, const Rational& floor,
               const Rational& target) {
  Rational score = HigherIsBetter(direction) ? Rational((value - floor) / (target - floor))
                                             : Rational((floor - value) / (floor - target));
  return std::clamp(score, Rational(0), Rational(1));
}

v1::Settlement Settle(const SettlementInputs& inputs) {
  const auto& agreement = inputs.agreement;
  v1::Settlement out;
  out.set_agreement(agreement.name());
  out.set_agreement_version(agreement.version());
  out.set_rule_version(kRuleVersion);
  out.set_funding_model(agreement.funding_model());
  *out.mutable_payment_rule() = agreement.payment_rule();
  for (const auto& report : inputs.reports) {
    *out.add_inputs() = report;
  }
  const bool task_based = agreement.funding_model() == regie::covenants::v1::FUNDING_MODEL_TASK;
  const Rational base(task_based ? agreement.lump_sum_eurocents() : inputs.declared_eurocents);

  struct Scored {
    v1::IndicatorResult* result;
    Rational score;
    Rational weight;
  };
  std::vector<Scored> scored;
  Rational weights = 0;
  bool every_stretch_reached = true;
  for (const auto& agreed : agreement.indicators()) {
    const auto& definition = inputs.definitions.at(agreed.indicator());
    auto* result = out.add_indicators();
    result->set_indicator(agreed.indicator());
    result->set_direction(definition.direction());
    result->set_minimum_n(definition.minimum_n());
    result->set_floor(agreed.floor());
    result->set_target(agreed.target());
    result->set_stretch(agreed.stretch());
    result->set_weight(agreed.weight());
    const auto found = inputs.sums.find(agreed.indicator());
    const Sums sums = found == inputs.sums.end() ? Sums{} : found->second;
    result->set_numerator(sums.numerator);
    result->set_denominator(sums.denominator);
    if (sums.denominator <= 0) {
      result->set_not_scored_reason("no data in the accepted reports");
      continue;
    }
    Rational value{mpz_class(sums.numerator), mpz_class(sums.denominator)};
    value.canonicalize();
    *result->mutable_value() = ToRatio(value);
    if (sums.denominator < definition.minimum_n()) {
      result->set_not_scored_reason("n = " + std::to_string(sums.denominator) +
                                    " is below the minimum n of " +
                                    std::to_string(definition.minimum_n()));
      continue;
    }
    result->set_scored(true);
    const Rational floor = *ParseDecimal(agreed.floor(), kLevelPlaces);
    const Rational target = *ParseDecimal(agreed.target(), kLevelPlaces);
    const Rational weight = *ParseDecimal(agreed.weight(), kLevelPlaces);
    if (!agreed.stretch().empty()) {
      const Rational stretch = *ParseDecimal(agreed.stretch(), kLevelPlaces);
      result->set_reached_stretch(HigherIsBetter(definition.direction()) ? value >= stretch
                                                                         : value <= stretch);
    }
    every_stretch_reached = every_stretch_reached && result->reached_stretch();
    scored.push_back({result, Score(definition.direction(), value, floor, target), weight});
    weights += weight;
  }

  Rational score = 1;
  if (!scored.empty()) {
    score = 0;
    for (const auto& s : scored) {
      const Rational share = s.weight / weights;
      const Rational contribution = s.score * share;
      *s.result->mutable_score() = ToRatio(s.score);
      *s.result->mutable_weight_share() = ToRatio(share);
      *s.result->mutable_contribution() = ToRatio(contribution);
      score += contribution;
    }
  }
  *out.mutable_score() = ToRatio(score);
  out.set_scored_indicators(static_cast<int>(scored.size()));

  const auto& rule = agreement.payment_rule();
  const Rational withheld = *ParsePercent(rule.result_share_percent()) * base;
  const Rational paid = withheld * score;
  const Rational half(1, 2);
  const Rational malus =
      score < half ? Rational((half - score) * 2 * *ParsePercent(rule.max_malus_percent()) * base)
                   : Rational(0);
  const Rational bonus = !scored.empty() && every_stretch_reached
                             ? Rational(*ParsePercent(rule.bonus_percent()) * base)
                             : Rational(0);
  out.set_base_eurocents(Cents(base));
  out.set_withheld_eurocents(Cents(withheld));
  out.set_paid_result_share_eurocents(Cents(paid));
  out.set_malus_eurocents(Cents(malus));
  out.set_bonus_eurocents(Cents(bonus));
  out.set_total_eurocents(Cents(base - withheld + paid - malus + bonus));
  return out;
}

std::vector<std::string> Explain(const v1::Settlement& s) {
  std::vector<std::string> lines;
  const auto add = [&lines](std::string line) { lines.push_back(std::move(line)); };
  const bool task_based = s.funding_model() == regie::covenants::v1::FUNDING_MODEL_TASK;
  add("Settlement " + s.name() + ", version " + std::to_string(s.version()) +
      (s.state() == v1::Settlement::SUPERSEDED ? " (superseded)" : ""));
  add("Provider " + s.provider() + ", lot " + s.lot_id() + ", period " + s.period());
  add("Agreement " + s.agreement() + ", version " + std::to_string(s.agreement_version()) +
      "; rule " + s.rule_version());
  if (s.inputs().empty()) {
    add("Inputs: no accepted report");
  } else {
    std::string inputs;
    for (const auto& input : s.inputs()) {
      inputs +=
          (inputs.empty() ? "" : ", ") + input.report() + " v" + std::to_string(input.version());
    }
    add("Inputs (accepted report versions): " + inputs);
  }
  add("Indicators:");
  for (const auto& r : s.indicators()) {
    std::string line = "  " + Id(r.indicator()) + " (" + DirectionText(r.direction()) + "): ";
    line += std::to_string(r.numerator()) + "/" + std::to_string(r.denominator());
    if (r.has_value()) {
      line += " = " + r.value().decimal();
    }
    if (!r.scored()) {
      add(line + "; not scored: " + r.not_scored_reason());
      continue;
    }
    line += "; floor " + r.floor() + ", target " + r.target() + " -> score " + r.score().decimal() +
            "; weight " + r.weight() + " (share " + r.weight_share().decimal() +
            ") -> contribution " + r.contribution().decimal();
    if (!r.stretch().empty()) {
      line += "; stretch " + r.stretch() + (r.reached_stretch() ? " reached" : " not reached");
    }
    add(line);
  }
  if (s.scored_indicators() == 0) {
    add("Score S = 1: no indicator could be scored, so the result share is paid and no malus or "
        "bonus applies");
  } else {
    add("Score S = " + s.score().decimal() + " (" + s.score().exact() +
        "), the sum of the contributions of " + std::to_string(s.scored_indicators()) +
        " scored indicator(s)");
  }
  const auto& rule = s.payment_rule();
  add("Base: " + EuroText(s.base_eurocents()) +
      (task_based ? " (lump sum per year)" : " (declared in the accepted reports)"));
  add("Withheld result share R = " + Percent(rule.result_share_percent()) +
      " of the base: " + EuroText(s.withheld_eurocents()));
  add("Paid result share R x S: " + EuroText(s.paid_result_share_eurocents()));
  add(ExactOf(s.score()) >= Rational(1, 2)
          ? "Malus: none (S is at least 0.5)"
          : "Malus (0.5 - S) x 2 x M, M = " + Percent(rule.max_malus_percent()) +
                " of the base: " + EuroText(s.malus_eurocents()));
  add(s.bonus_eurocents() == 0
          ? "Bonus: none (not every scored indicator reached its stretch level)"
          : "Bonus B = " + Percent(rule.bonus_percent()) +
                " of the base: " + EuroText(s.bonus_eurocents()));
  add("Total = base - withheld + paid result share - malus + bonus: " +
      EuroText(s.total_eurocents()));
  const std::int64_t parts = s.base_eurocents() - s.withheld_eurocents() +
                             s.paid_result_share_eurocents() - s.malus_eurocents() +
                             s.bonus_eurocents();
  if (parts != s.total_eurocents()) {
    add("Rounding: the parts, each rounded half up to the cent, add up to " + EuroText(parts) +
        "; the total is the exact total rounded once");
  }
  if (s.version() > 1) {
    add("Supersedes version " + std::to_string(s.version() - 1) + ": difference " +
        (s.difference_eurocents() >= 0 ? "+" : "") + EuroText(s.difference_eurocents()));
  }
  return lines;
}

v1::Recovery ComputeRecovery(std::int64_t planned_eurocents, const std::string& error_rate_percent,
                             const std::string& tolerance_percent,
                             const std::string& penalty_percent) {
  Validation v;
  if (planned_eurocents < 0) {
    v.Add("planned_eurocents", "must be 0 or more eurocents");
  }
  const auto e = RequirePercent(error_rate_percent, v, "error_rate_percent");
  const auto t = RequirePercent(tolerance_percent, v, "tolerance_percent");
  const auto p = RequirePercent(penalty_percent, v, "penalty_percent");
  v.ThrowIfAny();
  const Rational planned(planned_eurocents);
  const Rational recovered = *e * planned;
  const Rational penalty = *e > *t ? Rational(*p * recovered) : Rational(0);
  v1::Recovery out;
  out.set_planned_eurocents(planned_eurocents);
  out.set_error_rate_percent(error_rate_percent);
  out.set_tolerance_percent(tolerance_percent);
  out.set_penalty_percent(penalty_percent);
  out.set_recovered_eurocents(Cents(recovered));
  out.set_penalty_eurocents(Cents(penalty));
  out.set_total_eurocents(Cents(recovered + penalty));
  out.add_lines("Planned amount D (counts as realised): " + EuroText(planned_eurocents));
  out.add_lines("Error rate e = " + Percent(error_rate_percent) + ", tolerance t = " +
                Percent(tolerance_percent) + ", penalty rate p = " + Percent(penalty_percent));
  out.add_lines("Recovered e x D: " + EuroText(out.recovered_eurocents()));
  out.add_lines(*e > *t ? "Penalty p x e x D (e is above t): " + EuroText(out.penalty_eurocents())
                        : "Penalty: none (e is not above t)");
  out.add_lines("Total recovery: " + EuroText(out.total_eurocents()));
  return out;
}

}  // namespace regie::outcomes
