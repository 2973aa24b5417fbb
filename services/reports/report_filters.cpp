#include "report_filters.hpp"

#include <algorithm>

namespace regie::reports {

std::optional<v1::ReportKind> CheckKind(v1::ReportKind kind, Validation& v,
                                        const std::string& field) {
  if (kind == v1::REPORT_KIND_UNSPECIFIED || !v1::ReportKind_IsValid(kind)) {
    v.Add(field, "must be QUARTERLY, ANNUAL_PRODUCTION or COMPLAINTS_AND_INCIDENTS");
    return std::nullopt;
  }
  return kind;
}

std::optional<Period> ParseFilterPeriod(const std::string& text, Validation& v) {
  auto period = ParseReportPeriod(v1::QUARTERLY, text);
  if (!period) {
    period = ParseReportPeriod(v1::ANNUAL_PRODUCTION, text);
  }
  if (!period) {
    v.Add("period", "must be a quarter such as 2026-Q2 or a year such as 2026");
  }
  return period;
}

bool InScope(const auth::Principal& auditor, const std::string& municipality) {
  return std::any_of(auditor.scope.begin(), auditor.scope.end(), [&](const std::string& code) {
    return covenants::MunicipalityName(code) == municipality;
  });
}

void KeepAuditorScope(const auth::Principal& principal, std::vector<AcceptedLine>& lines) {
  if (principal.role != auth::Role::kAuditor) {
    return;
  }
  std::erase_if(lines,
                [&](const AcceptedLine& line) { return !InScope(principal, line.municipality); });
}

}  // namespace regie::reports
