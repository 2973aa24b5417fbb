#pragma once

// What the report services share: the filters of lists and queries, and an auditor's scope
// (docs/adr/0009).

#include <optional>
#include <string>
#include <vector>

#include "aggregates.hpp"
#include "auth/principal.hpp"
#include "deadlines.hpp"
#include "error.hpp"
#include "provider_rules.hpp"
#include "reference_rules.hpp"
#include "report_rules.hpp"
#include "reports_store.hpp"

namespace regie::reports {

// The kind, or a violation of `field`.
std::optional<v1::ReportKind> CheckKind(v1::ReportKind kind, Validation& v,
                                        const std::string& field);

// A period filter: a quarter ("2026-Q2") or a whole year ("2026"); a violation of "period"
// otherwise.
std::optional<Period> ParseFilterPeriod(const std::string& text, Validation& v);

// The filters ListReports and AggregateReports share; the provider's KvK number goes to
// `requested_kvk` (who may ask for it is decided with the covenant at hand).
template <class Request>
ReportFilter ParseFilter(const Request& request, std::string& requested_kvk, Validation& v) {
  ReportFilter filter;
  if (!request.provider().empty()) {
    requested_kvk = providers::ParseProviderName(request.provider(), v, "provider");
  }
  filter.lot_id = request.lot_id();
  if (!request.municipality().empty()) {
    filter.municipality_code =
        covenants::ParseMunicipalityName(request.municipality(), v, "municipality");
  }
  if (!request.period().empty()) {
    if (const auto period = ParseFilterPeriod(request.period(), v)) {
      filter.period_start = covenants::IsoDay(period->start);
      filter.period_end = covenants::IsoDay(period->end);
    }
  }
  if (request.kind() != v1::REPORT_KIND_UNSPECIFIED && CheckKind(request.kind(), v, "kind")) {
    filter.kind = KindText(request.kind());
  }
  return filter;
}

// Whether `municipality` (`municipalities/{code}`) is in the auditor's scope.
bool InScope(const auth::Principal& auditor, const std::string& municipality);

// An auditor's figures are those of the municipalities in its scope; other callers' are kept.
void KeepAuditorScope(const auth::Principal& principal, std::vector<AcceptedLine>& lines);

}  // namespace regie::reports
