#pragma once

// The rules of outcome agreements and settlement, without gRPC or a database (docs/adr/0008):
// validating an agreement, scoring indicators, the reference payment rule, the "planning =
// realisatie" recovery, and the explanation of a settlement. All arithmetic is exact (money.hpp).

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "error.hpp"
#include "money.hpp"
#include "regie/covenants/v1/covenants.pb.h"
#include "regie/outcomes/v1/agreements.pb.h"
#include "regie/outcomes/v1/indicators.pb.h"
#include "regie/outcomes/v1/settlements.pb.h"

namespace regie::outcomes {

// The version of the rule below; stored with every settlement.
inline constexpr char kRuleVersion[] = "regie-outcome-rule/1";

// Decimal places accepted: indicator levels and weights, and percentages.
inline constexpr int kLevelPlaces = 6;
inline constexpr int kPercentPlaces = 4;

// An indicator id: 1-40 characters of a-z, 0-9 and '-', starting with a letter.
bool IsIndicatorId(std::string_view id);
std::string IndicatorName(const std::string& id);
// Adds a violation for `field` and returns "" unless `name` is `indicators/{id}`.
std::string ParseIndicatorName(const std::string& name, Validation& v, const std::string& field);

// Looks an indicator up in the library by id; nullopt when there is none.
using IndicatorLookup = std::function<std::optional<v1::Indicator>(const std::string& id)>;

// Checks the content of an agreement for a lot with `funding_model`, naming each violation under
// `prefix` ("agreement"): title; provider (`providers/{kvk}`, required for a task-based lot);
// lump sum (positive for a task-based lot, 0 otherwise); 1-20 indicators from the library, each
// once, with floor, target and optional stretch in [0, 1] on the right side of each other for
// the indicator's direction and a positive weight; R, M and B, t and p within 0..100 with R + M
// at most 100.
void ValidateAgreement(const v1::Agreement& agreement,
                       regie::covenants::v1::FundingModel funding_model,
                       const IndicatorLookup& indicators, Validation& v,
                       const std::string& prefix = "agreement");

// A calendar-year period "2026": its first and last day; nullopt for anything else.
struct Period {
  std::chrono::sys_days first;
  std::chrono::sys_days last;
};
std::optional<Period> ParsePeriod(std::string_view period);

// One indicator's numerator and denominator summed over the input reports.
struct Sums {
  std::int64_t numerator = 0;
  std::int64_t denominator = 0;
};

// What a settlement is computed from.
struct SettlementInputs {
  v1::Agreement agreement{};  // the version applied, with name and version set
  std::map<std::string, v1::Indicator> definitions{};  // by indicator name
  std::map<std::string, Sums> sums{};                  // by indicator name; absent: no data
  std::int64_t declared_eurocents = 0;                 // effort- and output-based lots
  std::vector<v1::SettlementInput> reports{};
};

// The score of one indicator at value v: higher is better clamp((v - floor)/(target - floor));
// lower is better clamp((floor - v)/(floor - target)); both clamped to [0, 1].
Rational Score(v1::Indicator::Direction direction, const Rational& value, const Rational& floor,
               const Rational& target);

// The settlement of `inputs` by the reference rule: every indicator result, S, and the amounts.
// Fills agreement, agreement_version, lot-independent fields, rule_version, funding_model,
// inputs, indicators, score, payment_rule and the amounts; the caller sets name, provider,
// lot_id, period and the output-only fields.
//   - An indicator whose denominator is below its minimum n (or 0) is not scored; the weights of
//     the scored ones are renormalised.
//   - S = sum(w x s) / sum(w) over the scored ones; when none is scored S = 1: a result that
//     cannot be measured is not a bad result, so the result share is paid and no malus or bonus
//     applies.
//   - withheld = R x base; paid result share = withheld x S; malus = (0.5 - S) x 2 x M x base
//     when S < 0.5; bonus = B x base when every scored indicator has a stretch level and reaches
//     it (at least one scored); total = base - withheld + paid - malus + bonus.
//   - Money stays exact until each amount is rounded half up to the cent; the total is the exact
//     total rounded once.
v1::Settlement Settle(const SettlementInputs& inputs);

// The derivation of a stored settlement as lines a person can read.
std::vector<std::string> Explain(const v1::Settlement& settlement);

// "Planning = realisatie": e x D is recovered, plus p x e x D when e > t. Percentages as
// decimals 0..100 (validated, named by their request fields); each amount rounded half up.
v1::Recovery ComputeRecovery(std::int64_t planned_eurocents, const std::string& error_rate_percent,
                             const std::string& tolerance_percent,
                             const std::string& penalty_percent);

// A percentage field: a decimal 0..100 with at most kPercentPlaces places, as a fraction of 1.
std::optional<Rational> ParsePercent(const std::string& text);

}  // namespace regie::outcomes
