#include "query_service.hpp"

#include <algorithm>

#include "covenant_rules.hpp"
#include "deadlines.hpp"
#include "lifecycle.hpp"
#include "lot_rules.hpp"
#include "outcome_rules.hpp"
#include "provider_rules.hpp"
#include "reference_rules.hpp"
#include "report_filters.hpp"
#include "report_rules.hpp"

namespace regie::reports {

QueryService::QueryService(const rpc::RpcBoundary& boundary, covenants::CovenantStore& covenants,
                           ReportStore& reports)
    : boundary_(boundary), covenants_(covenants), reports_(reports) {}

grpc::Status QueryService::AggregateReports(grpc::ServerContext* context,
                                            const v1::AggregateReportsRequest* request,
                                            v1::AggregateReportsResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto covenant_id = covenants::ParseCovenantName(request->parent(), v, "parent");
    std::vector<v1::Dimension> dimensions;
    for (int i = 0; i < request->group_by_size(); ++i) {
      const auto dimension = request->group_by(i);
      const auto field = "group_by[" + std::to_string(i) + "]";
      if (dimension == v1::DIMENSION_UNSPECIFIED || !v1::Dimension_IsValid(dimension)) {
        v.Add(field, "must be LOT, MUNICIPALITY or PERIOD");
      } else if (std::find(dimensions.begin(), dimensions.end(), dimension) != dimensions.end()) {
        v.Add(field, "appears twice");
      } else {
        dimensions.push_back(dimension);
      }
    }
    if (request->group_by_size() > 2) {
      v.Add("group_by", "at most two dimensions");
    }
    std::string requested_kvk;
    auto filter = ParseFilter(*request, requested_kvk, v);
    v.ThrowIfAny();
    const auto covenant = covenants::GetVisibleCovenant(covenants_, call.deadline, call.principal,
                                                        covenant_id, request->parent());
    filter.kvk =
        providers::ListFilterKvk(call.principal, covenant.participants, requested_kvk, "reports");
    // Unsuppressed for the contracting municipalities and for a provider about its own reports
    // (ListFilterKvk has limited a provider to those); suppressed for everyone else.
    const bool own_figures = covenants::CanManage(call.principal, covenant.participants) ||
                             call.principal.role == auth::Role::kProvider;
    const auto scope = call.principal.role == auth::Role::kAuditor
                           ? std::optional<std::vector<std::string>>(call.principal.scope)
                           : std::nullopt;
    *response =
        Aggregate(reports_.AggregateSums(call.deadline, covenant_id, filter, dimensions, scope),
                  dimensions, !own_figures);
  });
}

grpc::Status QueryService::BudgetExhaustion(grpc::ServerContext* context,
                                            const v1::BudgetExhaustionRequest* request,
                                            v1::BudgetExhaustionResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto covenant_id = covenants::ParseCovenantName(request->parent(), v, "parent");
    const auto year = ParseReportPeriod(v1::ANNUAL_PRODUCTION, std::to_string(request->year()));
    if (!year) {
      v.Add("year", "must be a calendar year such as 2026");
    }
    v.ThrowIfAny();
    // The terms (and so the budgets) in force at the end of the year.
    const auto covenant =
        covenants::GetVisibleCovenant(covenants_, call.deadline, call.principal, covenant_id,
                                      request->parent(), covenants::IsoDay(year->end));
    if (!covenants::CanManage(call.principal, covenant.participants) &&
        !covenants::AuditsAny(call.principal, covenant.participants)) {
      throw Error::PermissionDenied(
          "NOT_A_COVENANT_READER", "budget exhaustion is for the covenant's managers and auditors");
    }
    ReportFilter filter;
    filter.period_start = covenants::IsoDay(year->start);
    filter.period_end = covenants::IsoDay(year->end);
    filter.kind = KindText(v1::QUARTERLY);
    auto lines = reports_.AcceptedLines(call.deadline, covenant_id, filter);
    KeepAuditorScope(call.principal, lines);
    *response = reports::BudgetExhaustion(covenants::TermsFromJson(covenant.terms_json),
                                          request->year(), lines);
    if (call.principal.role == auth::Role::kAuditor) {
      // Budgets of municipalities outside the auditor's scope are left out too.
      auto* rows = response->mutable_rows();
      rows->erase(std::remove_if(rows->begin(), rows->end(),
                                 [&](const v1::BudgetRow& row) {
                                   return !InScope(call.principal, row.municipality());
                                 }),
                  rows->end());
    }
  });
}

grpc::Status QueryService::ComparePeers(grpc::ServerContext* context,
                                        const v1::ComparePeersRequest* request,
                                        v1::ComparePeersResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto covenant_id = covenants::ParseCovenantName(request->parent(), v, "parent");
    const auto indicator_id = outcomes::ParseIndicatorName(request->indicator(), v, "indicator");
    std::optional<Period> period;
    if (request->period().empty()) {
      v.Add("period", "is required: a quarter such as 2026-Q2 or a year such as 2026");
    } else {
      period = ParseFilterPeriod(request->period(), v);
    }
    v.ThrowIfAny();
    if (!reports_.IndicatorIds(call.deadline).contains(indicator_id)) {
      throw Error::InvalidField("indicator", request->indicator() + " is not in the library");
    }
    const auto covenant = covenants::GetVisibleCovenant(covenants_, call.deadline, call.principal,
                                                        covenant_id, request->parent());
    // Anyone who may list the covenant's reports may compare; a provider sees its own row.
    providers::ListFilterKvk(call.principal, covenant.participants, "", "reports");
    int minimum_n = 1;
    std::string direction = "HIGHER_IS_BETTER";
    auto figures = reports_.PeerFiguresOf(
        call.deadline, covenant_id, indicator_id, covenants::IsoDay(period->start),
        covenants::IsoDay(period->end), request->lot_id(), minimum_n, direction);
    const auto own =
        call.principal.role == auth::Role::kProvider ? call.principal.organisation : "";
    *response =
        reports::ComparePeers(std::move(figures), minimum_n, direction == "HIGHER_IS_BETTER", own);
  });
}

}  // namespace regie::reports
