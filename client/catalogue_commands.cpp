// `regie lot` and `regie requirement`: a covenant's lots, product catalogues, tariffs and
// admission requirements, as in force on a day.

#include "command_support.hpp"
#include "eurocents.hpp"

namespace regie::client {
namespace {

namespace v1 = covenants::v1;

std::string Tariffs(const v1::Product& product) {
  std::string out;
  for (const auto& tariff : product.tariffs()) {
    out += (out.empty() ? "" : "; ") + EuroText(tariff.amount_cents()) + " " +
           DayText(tariff.valid_from()) + ".." +
           (tariff.has_valid_until() ? DayText(tariff.valid_until()) : "");
  }
  return out;
}

std::string LawText(v1::LegalBasis law) {
  return WithoutPrefix(v1::LegalBasis_Name(law), "LEGAL_BASIS_");
}

std::string EvidenceText(const v1::Requirement& requirement) {
  std::string out;
  for (const auto kind : requirement.evidence_kinds()) {
    out +=
        (out.empty() ? "" : ",") +
        WithoutPrefix(v1::EvidenceKind_Name(static_cast<v1::EvidenceKind>(kind)), "EVIDENCE_KIND_");
  }
  return out.empty() ? "-" : out;
}

std::string LotsText(const v1::Requirement& requirement) {
  std::string out;
  for (const auto& lot : requirement.lots()) {
    out += (out.empty() ? "" : ",") + lot;
  }
  return out.empty() ? "all" : out;
}

// Sets the request's as_of only when a date was given: an empty one means today.
template <class Request>
void SetAsOf(const std::string& as_of, Request& request) {
  if (!as_of.empty()) {
    ParseDateFlag(as_of, "--as-of", request.mutable_as_of());
  }
}

}  // namespace

int RunLotList(const GlobalOptions& options, const std::string& covenant,
               const std::string& as_of) {
  return Guard([&] {
    auto client = Connect(options);
    v1::ListLotsRequest request;
    request.set_parent(AsName("covenants", covenant));
    SetAsOf(as_of, request);
    const auto response = client.Unary(&v1::CovenantService::Stub::ListLots, request);
    if (options.output == OutputFormat::kJson) {
      PrintMessageJson(response);
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& lot : response.lots()) {
      rows.push_back({lot.lot_id(), lot.title(), LawText(lot.legal_basis()),
                      WithoutPrefix(v1::FundingModel_Name(lot.funding_model()), "FUNDING_MODEL_"),
                      std::to_string(lot.products_size())});
    }
    PrintTable({"LOT", "TITLE", "LAW", "FUNDING", "PRODUCTS"}, rows);
    std::cout << "(covenant version " << response.version() << ")\n";
    return exit_code::kOk;
  });
}

int RunLotShow(const GlobalOptions& options, const std::string& covenant, const std::string& lot,
               const std::string& as_of) {
  return Guard([&] {
    auto client = Connect(options);
    v1::GetLotRequest request;
    request.set_name(AsName("covenants", covenant) + "/lots/" + lot);
    SetAsOf(as_of, request);
    const auto response = client.Unary(&v1::CovenantService::Stub::GetLot, request);
    if (options.output == OutputFormat::kJson) {
      PrintMessageJson(response);
      return exit_code::kOk;
    }
    std::string budgets;
    for (const auto& budget : response.budgets()) {
      budgets += (budgets.empty() ? "" : "; ") + IdOf(budget.municipality()) + " " +
                 std::to_string(budget.year()) + " " + EuroText(budget.amount_cents());
    }
    PrintFields({{"lot", response.name()},
                 {"title", response.title()},
                 {"scope", response.scope()},
                 {"law", LawText(response.legal_basis())},
                 {"funding",
                  WithoutPrefix(v1::FundingModel_Name(response.funding_model()), "FUNDING_MODEL_")},
                 {"budgets", budgets.empty() ? "-" : budgets}});
    if (!response.products().empty()) {
      std::cout << "\n";
      std::vector<std::vector<std::string>> rows;
      for (const auto& product : response.products()) {
        rows.push_back({product.code(), product.category().empty() ? "-" : product.category(),
                        product.description(),
                        WithoutPrefix(v1::Unit_Name(product.unit()), "UNIT_"), Tariffs(product)});
      }
      PrintTable({"CODE", "CATEGORY", "PRODUCT", "UNIT", "TARIFFS"}, rows);
    }
    return exit_code::kOk;
  });
}

int RunRequirementList(const GlobalOptions& options, const std::string& covenant,
                       const std::string& lot, const std::string& as_of) {
  return Guard([&] {
    auto client = Connect(options);
    v1::ListRequirementsRequest request;
    request.set_parent(AsName("covenants", covenant));
    request.set_lot_id(lot);
    SetAsOf(as_of, request);
    const auto response = client.Unary(&v1::CovenantService::Stub::ListRequirements, request);
    if (options.output == OutputFormat::kJson) {
      PrintMessageJson(response);
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : response.requirements()) {
      rows.push_back({r.requirement_id(), std::to_string(r.revision()), LotsText(r), r.title(),
                      EvidenceText(r) + (r.suspend_on_expiry() ? " (suspends on expiry)" : "")});
    }
    PrintTable({"REQUIREMENT", "REVISION", "LOTS", "TITLE", "EVIDENCE"}, rows);
    std::cout << "(covenant version " << response.version() << ")\n";
    return exit_code::kOk;
  });
}

int RunRequirementShow(const GlobalOptions& options, const std::string& covenant,
                       const std::string& requirement, const std::string& as_of) {
  return Guard([&] {
    auto client = Connect(options);
    v1::GetRequirementRequest request;
    request.set_name(AsName("covenants", covenant) + "/requirements/" + requirement);
    SetAsOf(as_of, request);
    const auto r = client.Unary(&v1::CovenantService::Stub::GetRequirement, request);
    if (options.output == OutputFormat::kJson) {
      PrintMessageJson(r);
      return exit_code::kOk;
    }
    PrintFields({{"requirement", r.name()},
                 {"revision", std::to_string(r.revision())},
                 {"title", r.title()},
                 {"criterion", r.criterion()},
                 {"lots", LotsText(r)},
                 {"evidence", EvidenceText(r)},
                 {"suspends on expiry", r.suspend_on_expiry() ? "yes" : "no"}});
    return exit_code::kOk;
  });
}

}  // namespace regie::client
