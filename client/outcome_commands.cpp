// `regie indicator`, `agreement` and `settle`: the indicator library, outcome agreements
// (resultaatafspraken) and settlement (afrekening) by the reference rule (docs/adr/0008).

#include <google/protobuf/util/time_util.h>

#include "command_support.hpp"
#include "crypto.hpp"
#include "eurocents.hpp"
#include "input_file.hpp"
#include "progress.hpp"

namespace regie::client {
namespace {

namespace v1 = outcomes::v1;
using Indicators = v1::IndicatorService::Stub;
using Agreements = v1::AgreementService::Stub;
using Settlements = v1::SettlementService::Stub;
using google::protobuf::util::TimeUtil;

// "COVENANT/LOT/ID" -> covenants/COVENANT/lots/LOT/agreements/ID; a full name is kept.
std::string AgreementName(const std::string& text) {
  if (text.rfind("covenants/", 0) == 0) {
    return text;
  }
  const auto first = text.find('/');
  const auto second = first == std::string::npos ? first : text.find('/', first + 1);
  if (second == std::string::npos || first == 0 || second == first + 1 ||
      second + 1 == text.size()) {
    throw ConfigError("an agreement is COVENANT/LOT/ID, not '" + text + "'");
  }
  return "covenants/" + text.substr(0, first) + "/lots/" +
         text.substr(first + 1, second - first - 1) + "/agreements/" + text.substr(second + 1);
}

// "4%" -> "4": percentages may be typed with their sign.
std::string WithoutPercentSign(std::string text) {
  if (!text.empty() && text.back() == '%') {
    text.pop_back();
  }
  return text;
}

std::string Direction(v1::Indicator::Direction direction) {
  return direction == v1::Indicator::LOWER_IS_BETTER ? "lower is better" : "higher is better";
}

void PrintAgreement(const GlobalOptions& options, const v1::Agreement& a) {
  if (PrintJsonIfAsked(options, a)) {
    return;
  }
  Fields fields = {
      {"agreement", a.name()},
      {"title", a.title()},
      {"version", std::to_string(a.version()) + ", in force from " + DayText(a.effective_date()) +
                      (a.amendment().empty() ? "" : " (" + a.amendment() + ")")},
      {"provider", a.provider().empty() ? "every provider of the lot" : a.provider()},
      {"funding model",
       WithoutPrefix(covenants::v1::FundingModel_Name(a.funding_model()), "FUNDING_MODEL_")},
  };
  if (a.lump_sum_eurocents() != 0) {
    fields.emplace_back("lump sum per year", EuroText(a.lump_sum_eurocents()));
  }
  for (const auto& i : a.indicators()) {
    fields.emplace_back(IdOf(i.indicator()),
                        "floor " + i.floor() + ", target " + i.target() +
                            (i.stretch().empty() ? "" : ", stretch " + i.stretch()) + ", weight " +
                            i.weight());
  }
  const auto& rule = a.payment_rule();
  fields.emplace_back("payment rule", "R " + rule.result_share_percent() + "%, M " +
                                          rule.max_malus_percent() + "%, B " +
                                          rule.bonus_percent() + "%");
  fields.emplace_back("recovery rule", "tolerance " + a.recovery_rule().tolerance_percent() +
                                           "%, penalty " + a.recovery_rule().penalty_percent() +
                                           "%");
  fields.emplace_back("created", a.created_by() + " at " + TimeUtil::ToString(a.create_time()));
  PrintFields(fields);
}

void PrintAgreements(const GlobalOptions& options, const std::vector<v1::Agreement>& agreements) {
  if (options.output == OutputFormat::kJson) {
    PrintMessagesJson(agreements);
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& a : agreements) {
    rows.push_back({a.name(), std::to_string(a.version()), DayText(a.effective_date()),
                    a.provider().empty() ? "(lot-wide)" : IdOf(a.provider()),
                    std::to_string(a.indicators_size()), a.title()});
  }
  PrintTable({"AGREEMENT", "VERSION", "FROM", "PROVIDER", "INDICATORS", "TITLE"}, rows);
}

void PrintSettlement(const GlobalOptions& options, const v1::Settlement& s) {
  if (PrintJsonIfAsked(options, s)) {
    return;
  }
  std::string inputs;
  for (const auto& input : s.inputs()) {
    inputs += (inputs.empty() ? "" : ", ") + IdOf(input.report()) + " v" +
              std::to_string(input.version());
  }
  PrintFields({{"settlement", s.name()},
               {"version",
                std::to_string(s.version()) + " (" + v1::Settlement::State_Name(s.state()) + ")"},
               {"provider", s.provider()},
               {"lot", s.lot_id()},
               {"period", s.period()},
               {"agreement", s.agreement() + " v" + std::to_string(s.agreement_version())},
               {"inputs", inputs.empty() ? "-" : inputs},
               {"score S", s.score().decimal() + " over " + std::to_string(s.scored_indicators()) +
                               " scored indicator(s)"},
               {"base", EuroText(s.base_eurocents())},
               {"withheld", EuroText(s.withheld_eurocents())},
               {"paid result share", EuroText(s.paid_result_share_eurocents())},
               {"malus", EuroText(s.malus_eurocents())},
               {"bonus", EuroText(s.bonus_eurocents())},
               {"total", EuroText(s.total_eurocents())},
               {"difference", EuroText(s.difference_eurocents())},
               {"rule", s.rule_version()},
               {"digest", s.inputs_digest()},
               {"run", s.run_by() + " at " + TimeUtil::ToString(s.create_time())}});
}

}  // namespace

std::optional<std::int64_t> ParseEuroText(const std::string& text) {
  const auto point = text.find('.');
  const auto whole = text.substr(0, point);
  const auto cents = point == std::string::npos ? std::string() : text.substr(point + 1);
  const auto digits = [](const std::string& s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
  };
  if (!digits(whole) || whole.size() > 15 || (point != std::string::npos && !digits(cents)) ||
      cents.size() > 2) {
    return std::nullopt;
  }
  return std::stoll(whole) * 100 +
         (cents.empty() ? 0 : std::stoll(cents.size() == 1 ? cents + "0" : cents));
}

int RunIndicatorList(const GlobalOptions& options, const OutcomeCommandOptions& /*o*/) {
  return Guard([&] {
    auto client = Connect(options);
    v1::ListIndicatorsRequest request;
    request.set_page_size(500);
    std::vector<v1::Indicator> indicators;
    do {
      auto page = client.Unary(&Indicators::ListIndicators, request);
      indicators.insert(indicators.end(), page.indicators().begin(), page.indicators().end());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    if (options.output == OutputFormat::kJson) {
      PrintMessagesJson(indicators);
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& i : indicators) {
      rows.push_back({IdOf(i.name()), i.law(), Direction(i.direction()),
                      std::to_string(i.minimum_n()), std::to_string(i.lag_months()), i.title()});
    }
    PrintTable({"INDICATOR", "LAW", "DIRECTION", "MIN N", "LAG (MONTHS)", "TITLE"}, rows);
    return exit_code::kOk;
  });
}

int RunIndicatorShow(const GlobalOptions& options, const OutcomeCommandOptions& o) {
  return Guard([&] {
    auto client = Connect(options);
    v1::GetIndicatorRequest request;
    request.set_name(AsName("indicators", o.indicator));
    const auto i = client.Unary(&Indicators::GetIndicator, request);
    if (PrintJsonIfAsked(options, i)) {
      return exit_code::kOk;
    }
    PrintFields({{"indicator", i.name()},
                 {"title", i.title()},
                 {"reference", i.reference()},
                 {"law", i.law()},
                 {"numerator", i.numerator()},
                 {"denominator", i.denominator()},
                 {"direction", Direction(i.direction())},
                 {"window", std::to_string(i.window_months()) + " months"},
                 {"lag", std::to_string(i.lag_months()) + " months"},
                 {"minimum n", std::to_string(i.minimum_n())}});
    return exit_code::kOk;
  });
}

int RunAgreementCreate(const GlobalOptions& options, const OutcomeCommandOptions& o) {
  return Guard([&] {
    v1::CreateAgreementRequest request;
    ReadMessageFile(o.file, request);
    request.set_request_id(NewRequestId());
    auto client = Connect(options);
    PrintAgreement(options, client.Unary(&Agreements::CreateAgreement, request));
    return exit_code::kOk;
  });
}

int RunAgreementShow(const GlobalOptions& options, const OutcomeCommandOptions& o) {
  return Guard([&] {
    v1::GetAgreementRequest request;
    request.set_name(AgreementName(o.agreement));
    if (!o.as_of.empty()) {
      ParseDateFlag(o.as_of, "--as-of", request.mutable_as_of());
    }
    request.set_version(o.version);
    auto client = Connect(options);
    PrintAgreement(options, client.Unary(&Agreements::GetAgreement, request));
    return exit_code::kOk;
  });
}

int RunAgreementList(const GlobalOptions& options, const OutcomeCommandOptions& o) {
  return Guard([&] {
    v1::ListAgreementsRequest request;
    request.set_parent(AsName("covenants", o.covenant));
    request.set_lot_id(o.lot);
    if (!o.provider.empty()) {
      request.set_provider(AsName("providers", o.provider));
    }
    request.set_page_size(500);
    auto client = Connect(options);
    std::vector<v1::Agreement> agreements;
    do {
      auto page = client.Unary(&Agreements::ListAgreements, request);
      agreements.insert(agreements.end(), page.agreements().begin(), page.agreements().end());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    PrintAgreements(options, agreements);
    return exit_code::kOk;
  });
}

int RunAgreementAmend(const GlobalOptions& options, const OutcomeCommandOptions& o) {
  return Guard([&] {
    v1::AmendAgreementRequest request;
    request.set_name(AgreementName(o.agreement));
    ReadMessageFile(o.file, *request.mutable_agreement());
    request.set_amendment(CovenantChild(o.amendment, "amendments", "--amendment", "NUMBER"));
    request.set_request_id(NewRequestId());
    auto client = Connect(options);
    PrintAgreement(options, client.Unary(&Agreements::AmendAgreement, request));
    return exit_code::kOk;
  });
}

int RunAgreementVersions(const GlobalOptions& options, const OutcomeCommandOptions& o) {
  return Guard([&] {
    v1::ListAgreementVersionsRequest request;
    request.set_name(AgreementName(o.agreement));
    auto client = Connect(options);
    const auto response = client.Unary(&Agreements::ListAgreementVersions, request);
    PrintAgreements(options, {response.versions().begin(), response.versions().end()});
    return exit_code::kOk;
  });
}

int RunSettleRun(const GlobalOptions& options, const OutcomeCommandOptions& o) {
  return Guard([&] {
    v1::RunSettlementRequest request;
    request.set_parent(AsName("covenants", o.covenant));
    request.set_period(o.period);
    if (!o.agreement.empty()) {
      request.set_agreement(AgreementName(o.agreement));
    }
    if (!o.provider.empty()) {
      request.set_provider(AsName("providers", o.provider));
    }
    request.set_request_id(NewRequestId());
    auto client = Connect(options);
    const auto response = [&] {
      Working working("settling " + request.parent() + " for " + request.period());
      return client.Unary(&Settlements::RunSettlement, request);
    }();
    if (PrintJsonIfAsked(options, response)) {
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& outcome : response.outcomes()) {
      const auto result = v1::SettlementOutcome::Result_Name(outcome.result());
      if (outcome.result() == v1::SettlementOutcome::SKIPPED) {
        rows.push_back({IdOf(outcome.agreement()), IdOf(outcome.provider()), result, "-", "-",
                        outcome.reason()});
        continue;
      }
      const auto& s = outcome.settlement();
      rows.push_back({IdOf(s.name()), IdOf(s.provider()), result, std::to_string(s.version()),
                      EuroText(s.total_eurocents()),
                      s.version() > 1 ? "difference " + EuroText(s.difference_eurocents()) : ""});
    }
    if (rows.empty()) {
      std::cout << "nothing to settle: no agreement applies to " << o.period
                << " or no provider has accepted results\n";
      return exit_code::kOk;
    }
    PrintTable({"SETTLEMENT", "PROVIDER", "RESULT", "VERSION", "TOTAL", "NOTE"}, rows);
    return exit_code::kOk;
  });
}

int RunSettleShow(const GlobalOptions& options, const OutcomeCommandOptions& o) {
  return Guard([&] {
    v1::GetSettlementRequest request;
    request.set_name(CovenantChild(o.settlement, "settlements", "a settlement", "ID"));
    request.set_version(o.version);
    auto client = Connect(options);
    PrintSettlement(options, client.Unary(&Settlements::GetSettlement, request));
    return exit_code::kOk;
  });
}

int RunSettleList(const GlobalOptions& options, const OutcomeCommandOptions& o) {
  return Guard([&] {
    v1::ListSettlementsRequest request;
    request.set_parent(AsName("covenants", o.covenant));
    request.set_period(o.period);
    request.set_lot_id(o.lot);
    if (!o.provider.empty()) {
      request.set_provider(AsName("providers", o.provider));
    }
    request.set_page_size(500);
    auto client = Connect(options);
    std::vector<v1::Settlement> settlements;
    do {
      auto page = client.Unary(&Settlements::ListSettlements, request);
      settlements.insert(settlements.end(), page.settlements().begin(), page.settlements().end());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    if (options.output == OutputFormat::kJson) {
      PrintMessagesJson(settlements);
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& s : settlements) {
      rows.push_back({IdOf(s.name()), s.period(), IdOf(s.provider()), s.lot_id(),
                      std::to_string(s.version()), s.score().decimal(),
                      EuroText(s.total_eurocents())});
    }
    PrintTable({"SETTLEMENT", "PERIOD", "PROVIDER", "LOT", "VERSION", "SCORE", "TOTAL"}, rows);
    return exit_code::kOk;
  });
}

int RunSettleExplain(const GlobalOptions& options, const OutcomeCommandOptions& o) {
  return Guard([&] {
    v1::ExplainSettlementRequest request;
    request.set_name(CovenantChild(o.settlement, "settlements", "a settlement", "ID"));
    request.set_version(o.version);
    auto client = Connect(options);
    const auto explanation = client.Unary(&Settlements::ExplainSettlement, request);
    if (PrintJsonIfAsked(options, explanation)) {
      return exit_code::kOk;
    }
    for (const auto& line : explanation.lines()) {
      std::cout << line << "\n";
    }
    return exit_code::kOk;
  });
}

int RunSettleRecovery(const GlobalOptions& options, const OutcomeCommandOptions& o) {
  return Guard([&] {
    const auto planned = ParseEuroText(o.planned);
    if (!planned) {
      throw ConfigError(
          "--planned must be an amount in euros such as 1000000 or 1000000.00, not '" + o.planned +
          "'");
    }
    v1::ComputeRecoveryRequest request;
    request.set_planned_eurocents(*planned);
    request.set_error_rate_percent(WithoutPercentSign(o.error_rate));
    request.set_tolerance_percent(WithoutPercentSign(o.tolerance));
    request.set_penalty_percent(WithoutPercentSign(o.penalty));
    if (!o.agreement.empty()) {
      request.set_agreement(AgreementName(o.agreement));
    }
    auto client = Connect(options);
    const auto recovery = client.Unary(&Settlements::ComputeRecovery, request);
    if (PrintJsonIfAsked(options, recovery)) {
      return exit_code::kOk;
    }
    for (const auto& line : recovery.lines()) {
      std::cout << line << "\n";
    }
    return exit_code::kOk;
  });
}

}  // namespace regie::client
