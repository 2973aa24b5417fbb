#include "reference_rules.hpp"

#include <set>

#include "names.hpp"
#include "request.hpp"

namespace regie::covenants {

std::string MunicipalityName(const std::string& code) { return "municipalities/" + code; }
std::string RegionName(const std::string& region_id) { return "regions/" + region_id; }

std::string ParseMunicipalityName(const std::string& name, Validation& validation,
                                  const std::string& field) {
  const auto code = ResourceId(name, "municipalities");
  if (!code || !IsMunicipalityCode(*code)) {
    validation.Add(field, name.empty() ? "is required"
                                       : "must be municipalities/{code} with a 4-digit CBS code, "
                                         "not '" +
                                             name + "'");
    return {};
  }
  return *code;
}

std::string ParseRegionName(const std::string& name, Validation& validation,
                            const std::string& field) {
  const auto id = ResourceId(name, "regions");
  if (!id || !IsRegionId(*id)) {
    validation.Add(field, name.empty() ? "is required"
                                       : "must be regions/{region} with a region id of a-z, 0-9 "
                                         "and '-', not '" +
                                             name + "'");
    return {};
  }
  return *id;
}

MunicipalityInput ValidateMunicipality(const std::string& code, const std::string& display_name,
                                       const std::string& request_id) {
  Validation v;
  if (!IsMunicipalityCode(code)) {
    v.Add("municipality.code", "must be a 4-digit CBS municipality code (e.g. 0363)");
  }
  if (const auto problem = CheckText(display_name, 100); !problem.empty()) {
    v.Add("municipality.display_name", problem);
  }
  CheckRequestId(request_id, v);
  v.ThrowIfAny();
  return {code, display_name};
}

RegionInput ValidateRegion(const std::string& region_id, const std::string& display_name,
                           const std::vector<std::string>& municipality_names,
                           const std::string& lead_municipality_name,
                           const std::string& request_id) {
  Validation v;
  RegionInput input;
  if (!IsRegionId(region_id)) {
    v.Add("region.region_id", "must be 1-40 characters of a-z, 0-9 and '-' (e.g. duinstreek)");
  }
  input.region_id = region_id;
  if (const auto problem = CheckText(display_name, 100); !problem.empty()) {
    v.Add("region.display_name", problem);
  }
  input.display_name = display_name;
  if (municipality_names.empty()) {
    v.Add("region.municipalities", "must name at least one municipality");
  }
  std::set<std::string> seen;
  for (std::size_t i = 0; i < municipality_names.size(); ++i) {
    const std::string field = "region.municipalities[" + std::to_string(i) + "]";
    const auto code = ParseMunicipalityName(municipality_names[i], v, field);
    if (code.empty()) {
      continue;
    }
    if (!seen.insert(code).second) {
      v.Add(field, MunicipalityName(code) + " is listed twice");
      continue;
    }
    input.members.push_back(code);
  }
  input.lead = ParseMunicipalityName(lead_municipality_name, v, "region.lead_municipality");
  if (!input.lead.empty() && !seen.empty() && seen.count(input.lead) == 0) {
    v.Add("region.lead_municipality", "must be one of the region's municipalities");
  }
  CheckRequestId(request_id, v);
  v.ThrowIfAny();
  return input;
}

}  // namespace regie::covenants
