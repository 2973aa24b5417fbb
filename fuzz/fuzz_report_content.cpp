// Hostile report content, as a provider's system may send it: whatever a ReportContent holds, its
// canonical form is stable (sorting twice changes nothing and the bytes read back as the same
// content), validation only names violations, the BSN check ends, and no signature made of the
// input verifies.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_support.hpp"
#include "report_rules.hpp"
#include "report_signing.hpp"

namespace {

using namespace regie;

// Terms with two municipalities and two lots, for validation.
const covenants::v1::CovenantTerms& Terms() {
  static const auto terms = [] {
    covenants::v1::CovenantTerms t;
    t.add_municipalities("municipalities/9901");
    t.add_municipalities("municipalities/9902");
    for (const char* id : {"P1", "P4"}) {
      auto* lot = t.add_lots();
      lot->set_lot_id(id);
      lot->add_products()->set_code("45A48");
    }
    return t;
  }();
  return terms;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  reports::v1::ReportContent content;
  if (size > 1'000'000 || !content.ParseFromArray(data, static_cast<int>(size))) {
    return 0;
  }
  const auto canonical = reports::Canonical(content);
  const auto bytes = reports::SerializeCanonical(canonical);
  fuzz::Require(bytes == reports::CanonicalReportBytes(content), "two ways to the canonical bytes");
  fuzz::Require(reports::SerializeCanonical(reports::Canonical(canonical)) == bytes,
                "sorting the canonical form again changed it");
  fuzz::Require(bytes.rfind(reports::kCanonicalPrefix, 0) == 0, "the canonical prefix is missing");
  reports::v1::ReportContent back;
  fuzz::Require(back.ParseFromString(bytes.substr(reports::kCanonicalPrefix.size())) &&
                    reports::SerializeCanonical(back) == bytes,
                "the canonical bytes do not read back as the same content");
  fuzz::Require(
      !reports::VerifyCanonicalSignature(fuzz::TestKey().certificate_pem, bytes, content.remarks()),
      "a signature made of fuzz input verified");

  auto period = reports::ParseReportPeriod(content.kind(), content.period());
  if (!period) {
    period = reports::ParseReportPeriod(reports::v1::QUARTERLY, "2026-Q1");
  }
  const reports::ReportContext context{Terms(),
                                       std::chrono::sys_days(std::chrono::year(2026) / 1 / 1),
                                       std::chrono::sys_days(std::chrono::year(2029) / 12 / 31),
                                       {"P1", "P4"},
                                       {"nji-drop-out", "nji-satisfaction"}};
  Validation validation;
  reports::ValidateReportContent(content, *period, context, validation);
  reports::CheckReportText(content.remarks(), 4000, "remarks", validation);
  reports::ContainsBsn(content.signals().note());
  return 0;
}
