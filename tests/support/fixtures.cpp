#include "fixtures.hpp"

#include <google/protobuf/util/json_util.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace regie::testing {

const std::vector<MunicipalityFixture>& DuinstreekMunicipalities() {
  static const std::vector<MunicipalityFixture> municipalities = {
      {"9901", "Duinhaven"}, {"9902", "Bollenveld"}, {"9903", "Zeewijk"}};
  return municipalities;
}

std::string FixturePath(const std::string& relative) {
  const char* source = std::getenv("REGIE_SOURCE_DIR");
  if (source == nullptr) {
    throw std::runtime_error("REGIE_SOURCE_DIR is not set (run the tests through ctest)");
  }
  return std::string(source) + "/tests/fixtures/" + relative;
}

covenants::v1::CreateCovenantRequest DuinstreekCovenant() {
  std::ifstream in(FixturePath("duinstreek/covenant.json"));
  std::stringstream text;
  text << in.rdbuf();
  covenants::v1::CreateCovenantRequest request;
  const auto status = google::protobuf::util::JsonStringToMessage(text.str(), &request);
  if (!status.ok()) {
    throw std::runtime_error("duinstreek/covenant.json: " + status.ToString());
  }
  return request;
}

}  // namespace regie::testing
