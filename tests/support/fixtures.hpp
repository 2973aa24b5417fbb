#pragma once

// The Duinstreek fixture of tests/fixtures/duinstreek (the domain brief's example region).

#include <string>
#include <vector>

#include "regie/covenants/v1/covenants.pb.h"

namespace regie::testing {

struct MunicipalityFixture {
  std::string code;
  std::string display_name;
};

// 9901 Duinhaven, 9902 Bollenveld, 9903 Zeewijk.
const std::vector<MunicipalityFixture>& DuinstreekMunicipalities();

// tests/fixtures/duinstreek/covenant.json, parsed.
covenants::v1::CreateCovenantRequest DuinstreekCovenant();

// The path of a file under tests/fixtures.
std::string FixturePath(const std::string& relative);

}  // namespace regie::testing
