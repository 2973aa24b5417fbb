// Hostile `regie ... -f FILE` input: any text, JSON or YAML or neither, is read into the request it
// is meant for or refused with ConfigError naming the file; nothing else escapes.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "fuzz_support.hpp"
#include "input_file.hpp"
#include "profile.hpp"
#include "regie/covenants/v1/covenants.pb.h"
#include "regie/outcomes/v1/agreements.pb.h"
#include "regie/reports/v1/reports.pb.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace regie;
  if (size == 0) {
    return 0;
  }
  // The first byte picks the request, as `regie covenant create`, `regie agreement create` and
  // `regie report submit` would read it.
  std::unique_ptr<google::protobuf::Message> message;
  switch (data[0] % 3) {
    case 0:
      message = std::make_unique<covenants::v1::CreateCovenantRequest>();
      break;
    case 1:
      message = std::make_unique<outcomes::v1::CreateAgreementRequest>();
      break;
    default:
      message = std::make_unique<reports::v1::ReportContent>();
      break;
  }
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    client::ReadMessageText(text, "input.yaml", *message);
  } catch (const client::ConfigError& e) {
    fuzz::Require(std::string(e.what()).rfind("input.yaml: ", 0) == 0,
                  "a refusal that does not name the file");
  }
  return 0;
}
