#include <algorithm>

#include "covenant_rules.hpp"
#include "crypto.hpp"
#include "deadlines.hpp"
#include "lifecycle.hpp"
#include "lot_rules.hpp"
#include "outcome_services.hpp"
#include "proto_json.hpp"
#include "provider_rules.hpp"
#include "request.hpp"

namespace regie::outcomes {
namespace {

using covenants::IsoDate;
using std::chrono::sys_days;

constexpr char kSettlements[] = "settlements";
constexpr int kPage = 500;

// "{period}-{kvk}-{lot}-{agreement}": letters, digits and '-'.
bool IsSettlementId(std::string_view id) {
  return id.size() > 15 && id.size() <= 120 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '-';
         });
}

// Every agreement of the covenant as it applies to `period`: the version in force on its first
// day, or the first version when that starts later (within the period or not).
std::vector<v1::Agreement> AgreementsFor(AgreementStore& store, db::Clock::time_point deadline,
                                         const std::string& covenant_id, const Period& period) {
  std::vector<v1::Agreement> all;
  AgreementFilter filter{.covenant_id = covenant_id, .as_of = covenants::IsoDay(period.first)};
  for (;;) {
    auto page = store.List(deadline, filter, kPage);
    all.insert(all.end(), page.begin(), page.end());
    if (page.size() < kPage) {
      return all;
    }
    Validation ignored;
    const auto ref = covenants::ParseAgreementName(page.back().name(), ignored, "");
    filter.after_lot = ref.lot_id;
    filter.after_agreement = ref.agreement_id;
  }
}

v1::SettlementOutcome Skipped(const v1::Agreement& agreement, const std::string& kvk,
                              std::string reason) {
  v1::SettlementOutcome outcome;
  outcome.set_result(v1::SettlementOutcome::SKIPPED);
  outcome.set_agreement(agreement.name());
  outcome.set_provider(kvk.empty() ? "" : providers::ProviderName(kvk));
  outcome.set_reason(std::move(reason));
  return outcome;
}

v1::SettlementOutcome::Result ResultOf(Recorded recorded) {
  switch (recorded) {
    case Recorded::kCreated:
      return v1::SettlementOutcome::CREATED;
    case Recorded::kUnchanged:
      return v1::SettlementOutcome::UNCHANGED;
    case Recorded::kSuperseded:
      return v1::SettlementOutcome::SUPERSEDED;
  }
  return v1::SettlementOutcome::RESULT_UNSPECIFIED;
}

}  // namespace

SettlementService::SettlementService(const rpc::RpcBoundary& boundary,
                                     covenants::CovenantStore& covenants,
                                     IndicatorStore& indicators, AgreementStore& agreements,
                                     SettlementStore& settlements, ResultsReader& results)
    : boundary_(boundary),
      covenants_(covenants),
      indicators_(indicators),
      agreements_(agreements),
      settlements_(settlements),
      results_(results) {}

grpc::Status SettlementService::RunSettlement(grpc::ServerContext* context,
                                              const v1::RunSettlementRequest* request,
                                              v1::RunSettlementResponse* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    const auto covenant_id = covenants::ParseCovenantName(request->parent(), v, "parent");
    const auto period = ParsePeriod(request->period());
    if (!period) {
      v.Add("period", "must be a calendar year such as 2025, not '" + request->period() + "'");
    }
    if (!request->agreement().empty()) {
      const auto ref = covenants::ParseAgreementName(request->agreement(), v, "agreement");
      if (!ref.covenant_id.empty() && ref.covenant_id != covenant_id) {
        v.Add("agreement", "must be an agreement of " + request->parent());
      }
    }
    std::string only_kvk;
    if (!request->provider().empty()) {
      only_kvk = providers::ParseProviderName(request->provider(), v, "provider");
    }
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    const auto covenant = covenants::GetVisibleCovenant(covenants_, call.deadline, call.principal,
                                                        covenant_id, request->parent());
    covenants::RequireManager(call.principal, covenant);
    const auto today = covenants::TodayIn(covenants_, call.deadline);
    if (today <= period->last) {
      throw Error::FailedPrecondition(
          "PERIOD_NOT_ENDED", "period " + request->period() + " ends on " +
                                  covenants::IsoDay(period->last) + "; it can be settled from " +
                                  covenants::IsoDay(period->last + sys_days::duration(1)));
    }
    const auto terms = covenants::TermsFromJson(covenant.terms_json);
    const auto term_start = covenants::ToDays(terms.term().start_date());
    const auto term_end = covenants::TermEnd(terms, covenant.extensions_used);
    if (period->last < term_start || period->first > term_end) {
      throw Error::FailedPrecondition("PERIOD_OUTSIDE_TERM",
                                      "period " + request->period() + " is outside the term of " +
                                          request->parent() + ", " + covenants::IsoDay(term_start) +
                                          " to " + covenants::IsoDay(term_end));
    }
    auto agreements = AgreementsFor(agreements_, call.deadline, covenant_id, *period);
    if (!request->agreement().empty()) {
      std::erase_if(agreements, [&](const auto& a) { return a.name() != request->agreement(); });
      if (agreements.empty()) {
        throw Error::NotFound(request->agreement());
      }
    }
    std::map<std::string, v1::Indicator> definitions;
    // Each lot's accepted results read once; the settlements computed first and recorded in one
    // transaction at the end, their outcomes filled in where they were reserved.
    std::map<std::string, std::map<std::string, AcceptedResults>> results_by_lot;
    std::vector<ComputedSettlement> batch;
    std::vector<int> batch_outcomes;
    for (const auto& agreement : agreements) {
      Validation ignored;
      const auto ref = covenants::ParseAgreementName(agreement.name(), ignored, "");
      if (covenants::IsoDate(agreement.effective_date()) > covenants::IsoDay(period->last)) {
        *response->add_outcomes() =
            Skipped(agreement, "", "in force only from " + IsoDate(agreement.effective_date()));
        continue;
      }
      int lag_months = 0;
      for (const auto& agreed : agreement.indicators()) {
        if (!definitions.contains(agreed.indicator())) {
          Validation ignored_name;
          const auto id = ParseIndicatorName(agreed.indicator(), ignored_name, "");
          definitions[agreed.indicator()] = indicators_.Get(call.deadline, id).value();
        }
        lag_months = std::max(lag_months, definitions[agreed.indicator()].lag_months());
      }
      const auto known_from =
          covenants::AddMonths(period->last + sys_days::duration(1), lag_months);
      if (!results_by_lot.contains(ref.lot_id)) {
        results_by_lot[ref.lot_id] = results_.Read(call.deadline, covenant_id, ref.lot_id, *period);
      }
      auto& lot_results = results_by_lot[ref.lot_id];
      std::vector<std::string> kvks;
      if (!agreement.provider().empty()) {
        kvks.push_back(providers::KvkOf(agreement.provider()));
      } else {
        for (const auto& [kvk, results] : lot_results) {
          kvks.push_back(kvk);
        }
      }
      if (!only_kvk.empty()) {
        std::erase_if(kvks, [&](const auto& kvk) { return kvk != only_kvk; });
      }
      for (const auto& kvk : kvks) {
        if (today < known_from) {
          *response->add_outcomes() =
              Skipped(agreement, kvk,
                      "its indicators' results for " + request->period() + " are known from " +
                          covenants::IsoDay(known_from) + " (lag of " + std::to_string(lag_months) +
                          " months)");
          continue;
        }
        const auto found = lot_results.find(kvk);
        if (found == lot_results.end() || found->second.reports.empty()) {
          *response->add_outcomes() = Skipped(
              agreement, kvk,
              "no accepted quarterly report for lot " + ref.lot_id + " in " + request->period());
          continue;
        }
        auto& results = found->second;
        SettlementInputs inputs{.agreement = agreement,
                                .definitions = definitions,
                                .sums = results.sums,
                                .declared_eurocents = results.declared_eurocents,
                                .reports = results.reports};
        auto computed = Settle(inputs);
        const auto settlement_id =
            request->period() + "-" + kvk + "-" + ref.lot_id + "-" + ref.agreement_id;
        computed.set_name(SettlementName(covenant_id, settlement_id));
        computed.set_provider(providers::ProviderName(kvk));
        computed.set_lot_id(ref.lot_id);
        computed.set_period(request->period());
        computed.set_inputs_digest(ToHex(Sha256(providers::ToJson(computed))));
        batch.push_back({settlement_id, std::move(computed)});
        batch_outcomes.push_back(response->outcomes_size());
        response->add_outcomes()->set_agreement(agreement.name());
      }
    }
    if (batch.empty()) {
      return;
    }
    auto recorded = settlements_.Record(call.deadline, call.audit, covenant_id, batch);
    for (std::size_t i = 0; i < recorded.size(); ++i) {
      auto* outcome = response->mutable_outcomes(batch_outcomes[i]);
      outcome->set_result(ResultOf(recorded[i].second));
      outcome->set_provider(recorded[i].first.provider());
      *outcome->mutable_settlement() = std::move(recorded[i].first);
    }
  });
}

v1::Settlement SettlementService::Load(const rpc::Call& call, const std::string& name,
                                       int version) {
  Validation v;
  const auto [covenant_id, id] =
      covenants::ParseCovenantChild(name, kSettlements, v, "name", IsSettlementId);
  if (version < 0) {
    v.Add("version", "must be 0 (the newest) or a version number");
  }
  v.ThrowIfAny();
  const auto covenant =
      covenants::GetVisibleCovenant(covenants_, call.deadline, call.principal, covenant_id, name);
  auto settlement = settlements_.Get(call.deadline, covenant_id, id, version);
  if (!settlement || !providers::CanReadAdmission(call.principal, covenant.participants,
                                                  providers::KvkOf(settlement->provider()))) {
    throw Error::NotFound(version == 0 ? name : name + " version " + std::to_string(version));
  }
  return *settlement;
}

grpc::Status SettlementService::GetSettlement(grpc::ServerContext* context,
                                              const v1::GetSettlementRequest* request,
                                              v1::Settlement* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    *response = Load(call, request->name(), request->version());
  });
}

grpc::Status SettlementService::ExplainSettlement(grpc::ServerContext* context,
                                                  const v1::ExplainSettlementRequest* request,
                                                  v1::SettlementExplanation* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    const auto settlement = Load(call, request->name(), request->version());
    response->set_settlement(settlement.name());
    response->set_version(settlement.version());
    for (auto& line : Explain(settlement)) {
      response->add_lines(std::move(line));
    }
  });
}

grpc::Status SettlementService::ListSettlements(grpc::ServerContext* context,
                                                const v1::ListSettlementsRequest* request,
                                                v1::ListSettlementsResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    SettlementFilter filter;
    filter.covenant_id = covenants::ParseCovenantName(request->parent(), v, "parent");
    if (!request->period().empty() && !ParsePeriod(request->period())) {
      v.Add("period", "must be a calendar year such as 2025");
    }
    filter.period = request->period();
    if (!request->provider().empty()) {
      filter.kvk = providers::ParseProviderName(request->provider(), v, "provider");
    }
    if (!request->lot_id().empty() && !covenants::IsLotId(request->lot_id())) {
      v.Add("lot_id", "must be a lot id such as P1");
    }
    filter.lot_id = request->lot_id();
    const int page_size = PageSize(request->page_size(), 100, 500, v);
    filter.after_id = DecodePageToken(kSettlements, request->page_token(), v);
    if (!filter.after_id.empty() && !IsSettlementId(filter.after_id)) {
      v.Add("page_token", "is not a token of this list");
    }
    v.ThrowIfAny();
    const auto covenant = covenants::GetVisibleCovenant(covenants_, call.deadline, call.principal,
                                                        filter.covenant_id, request->parent());
    filter.kvk =
        providers::ListFilterKvk(call.principal, covenant.participants, filter.kvk, "settlements");
    auto found = settlements_.List(call.deadline, filter, page_size + 1);
    response->set_next_page_token(TakePage(found, page_size, kSettlements, [](const auto& s) {
      return s.name().substr(s.name().rfind('/') + 1);
    }));
    for (auto& s : found) {
      *response->add_settlements() = std::move(s);
    }
  });
}

grpc::Status SettlementService::ComputeRecovery(grpc::ServerContext* context,
                                                const v1::ComputeRecoveryRequest* request,
                                                v1::Recovery* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    std::string tolerance = request->tolerance_percent();
    std::string penalty = request->penalty_percent();
    if (!request->agreement().empty()) {
      Validation v;
      const auto ref = covenants::ParseAgreementName(request->agreement(), v, "agreement");
      if (!tolerance.empty() || !penalty.empty()) {
        v.Add("tolerance_percent", "give either an agreement or tolerance and penalty, not both");
      }
      v.ThrowIfAny();
      const auto covenant = covenants::GetVisibleCovenant(covenants_, call.deadline, call.principal,
                                                          ref.covenant_id, request->agreement());
      const auto today = covenants::IsoDay(covenants::TodayIn(covenants_, call.deadline));
      const auto agreement = agreements_.Get(call.deadline, ref, today, 0);
      if (!agreement || !CanReadAgreement(call.principal, covenant.participants, *agreement)) {
        throw Error::NotFound(request->agreement());
      }
      tolerance = agreement->recovery_rule().tolerance_percent();
      penalty = agreement->recovery_rule().penalty_percent();
    }
    *response = outcomes::ComputeRecovery(request->planned_eurocents(),
                                          request->error_rate_percent(), tolerance, penalty);
  });
}

}  // namespace regie::outcomes
