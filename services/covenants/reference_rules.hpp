#pragma once

// Validation of reference data (municipalities, regions): pure functions, testable without gRPC
// or a database. Every violation names its field as the API spells it.

#include <string>
#include <vector>

#include "error.hpp"

namespace regie::covenants {

struct MunicipalityInput {
  std::string code;
  std::string display_name;
};

// Checks `municipality.code` and `municipality.display_name`; throws INVALID_ARGUMENT.
MunicipalityInput ValidateMunicipality(const std::string& code, const std::string& display_name,
                                       const std::string& request_id);

struct RegionInput {
  std::string region_id;
  std::string display_name;
  std::vector<std::string> members;  // municipality codes, in the order given
  std::string lead;                  // municipality code, one of `members`
};

// Checks `region.region_id`, `region.display_name`, every `region.municipalities[i]` (a
// municipality resource name, no duplicates) and `region.lead_municipality` (one of the members);
// throws INVALID_ARGUMENT naming each bad field.
RegionInput ValidateRegion(const std::string& region_id, const std::string& display_name,
                           const std::vector<std::string>& municipality_names,
                           const std::string& lead_municipality_name,
                           const std::string& request_id);

// The code in `municipalities/{code}`; adds a violation of `field` when `name` is not one.
std::string ParseMunicipalityName(const std::string& name, Validation& validation,
                                  const std::string& field);
// The id in `regions/{region}`; adds a violation of `field` when `name` is not one.
std::string ParseRegionName(const std::string& name, Validation& validation,
                            const std::string& field);

std::string MunicipalityName(const std::string& code);
std::string RegionName(const std::string& region_id);

}  // namespace regie::covenants
