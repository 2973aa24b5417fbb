#include "lot_rules.hpp"

#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <set>

#include "covenant_rules.hpp"
#include "deadlines.hpp"
#include "lifecycle.hpp"
#include "names.hpp"
#include "reference_rules.hpp"

namespace regie::covenants {
namespace {

constexpr int kMaxLots = 50;
constexpr int kMaxProducts = 200;
constexpr int kMaxTariffs = 50;
constexpr int kMaxBudgets = 200;
constexpr int kMaxRequirements = 100;

std::string At(const std::string& prefix, int index) {
  return prefix + "[" + std::to_string(index) + "]";
}

bool IsCodeCharacter(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

bool FitsFundingModel(v1::FundingModel model, v1::Unit unit) {
  switch (model) {
    case v1::FUNDING_MODEL_EFFORT:
      return unit == v1::UNIT_MINUTE || unit == v1::UNIT_HOUR || unit == v1::UNIT_DAY_PART ||
             unit == v1::UNIT_DAY;
    case v1::FUNDING_MODEL_OUTPUT:
    case v1::FUNDING_MODEL_TASK:
      return unit == v1::UNIT_WEEK || unit == v1::UNIT_MONTH || unit == v1::UNIT_PIECE;
    default:
      return false;
  }
}

// A tariff period as days; `until` is the last day (sys_days::max() when open).
struct Period {
  std::chrono::sys_days from;
  std::chrono::sys_days until;
};

constexpr auto kOpenEnd = std::chrono::sys_days::max();

Period PeriodOf(const v1::Tariff& tariff) {
  return {ToDays(tariff.valid_from()),
          tariff.has_valid_until() ? ToDays(tariff.valid_until()) : kOpenEnd};
}

void ValidateTariffs(const v1::Product& product, Validation& v, const std::string& prefix) {
  if (product.tariffs().empty()) {
    v.Add(prefix, "must hold at least one tariff");
  } else if (product.tariffs_size() > kMaxTariffs) {
    v.Add(prefix, "must hold at most " + std::to_string(kMaxTariffs) + " tariffs");
  }
  std::vector<std::pair<Period, int>> periods;
  for (int i = 0; i < product.tariffs_size(); ++i) {
    const auto& tariff = product.tariffs(i);
    const auto field = At(prefix, i);
    if (tariff.amount_cents() <= 0) {
      v.Add(field + ".amount_cents", "must be a positive number of eurocents");
    }
    const bool from_ok = IsValidDate(tariff.valid_from());
    const bool until_ok = !tariff.has_valid_until() || IsValidDate(tariff.valid_until());
    if (!from_ok) {
      v.Add(field + ".valid_from", "must be a calendar date");
    }
    if (!until_ok) {
      v.Add(field + ".valid_until", "must be a calendar date, or unset for no end");
    }
    if (!from_ok || !until_ok) {
      continue;
    }
    const auto period = PeriodOf(tariff);
    if (period.until < period.from) {
      v.Add(field + ".valid_until",
            "must not be before valid_from " + IsoDate(tariff.valid_from()));
      continue;
    }
    for (const auto& [other, j] : periods) {
      if (period.from <= other.until && other.from <= period.until) {
        v.Add(field, "overlaps the validity period of tariffs[" + std::to_string(j) + "]");
        break;
      }
    }
    periods.emplace_back(period, i);
  }
}

// `law` is the lot's law when it is one of the covenant's, else unspecified (and categories and
// codes are not checked against a list that does not apply).
void ValidateProduct(const v1::Product& product, const v1::Lot& lot, v1::LegalBasis law,
                     Validation& v, const std::string& prefix) {
  const auto& category = product.category();
  const bool national = law == v1::LEGAL_BASIS_WMO_2015 || law == v1::LEGAL_BASIS_JEUGDWET;
  if (law != v1::LEGAL_BASIS_UNSPECIFIED && !IsNationalCategory(law, category)) {
    v.Add(prefix + ".category",
          law == v1::LEGAL_BASIS_WMO_2015 ? "must be a national Wmo product category, 01-18"
          : law == v1::LEGAL_BASIS_JEUGDWET
              ? "must be a national Jeugdwet product category, 40-50"
              : "must be empty: the Participatiewet has no national product categories");
  }
  const auto& code = product.code();
  const bool characters_ok = std::all_of(code.begin(), code.end(), IsCodeCharacter);
  if (national) {
    if (code.size() != 5 || !characters_ok) {
      v.Add(prefix + ".code",
            "must be 5 characters of A-Z and 0-9, starting with the category, e.g. 45A48");
    } else if (IsNationalCategory(law, category) && code.substr(0, 2) != category) {
      v.Add(prefix + ".code", "must start with its category " + category);
    }
  } else if (code.empty() || code.size() > 10 || !characters_ok) {
    v.Add(prefix + ".code", "must be 1-10 characters of A-Z and 0-9");
  }
  CheckText(product.description(), 200, v, prefix + ".description");
  if (lot.funding_model() != v1::FUNDING_MODEL_UNSPECIFIED &&
      !FitsFundingModel(lot.funding_model(), product.unit())) {
    v.Add(prefix + ".unit",
          lot.funding_model() == v1::FUNDING_MODEL_EFFORT
              ? "must be a time unit for an effort-based lot: MINUTE, HOUR, DAY_PART or DAY"
              : "must be an output unit: WEEK, MONTH or PIECE");
  }
  ValidateTariffs(product, v, prefix + ".tariffs");
}

void ValidateBudgets(const v1::Lot& lot, const v1::CovenantTerms& terms, Validation& v,
                     const std::string& prefix) {
  if (lot.budgets_size() > kMaxBudgets) {
    v.Add(prefix, "must hold at most " + std::to_string(kMaxBudgets) + " budgets");
  }
  const bool term_ok = IsValidDate(terms.term().start_date()) &&
                       IsValidDate(terms.term().end_date()) &&
                       terms.term().extension_options() >= 0;
  const int first_year = terms.term().start_date().year();
  const int last_year =
      term_ok ? static_cast<int>(
                    std::chrono::year_month_day(TermEnd(terms, terms.term().extension_options()))
                        .year())
              : 0;
  std::set<std::pair<std::string, int>> seen;
  for (int i = 0; i < lot.budgets_size(); ++i) {
    const auto& budget = lot.budgets(i);
    const auto field = At(prefix, i);
    const auto code = ParseMunicipalityName(budget.municipality(), v, field + ".municipality");
    if (!code.empty() && std::find(terms.municipalities().begin(), terms.municipalities().end(),
                                   budget.municipality()) == terms.municipalities().end()) {
      v.Add(field + ".municipality",
            budget.municipality() + " is not a participating municipality of the covenant");
    }
    if (term_ok && (budget.year() < first_year || budget.year() > last_year)) {
      v.Add(field + ".year", "must be a year of the term, " + std::to_string(first_year) + "-" +
                                 std::to_string(last_year) + " with every extension");
    }
    if (budget.amount_cents() <= 0) {
      v.Add(field + ".amount_cents", "must be a positive number of eurocents");
    }
    if (!seen.insert({budget.municipality(), budget.year()}).second) {
      v.Add(field, "repeats the budget of " + budget.municipality() + " for " +
                       std::to_string(budget.year()));
    }
  }
}

void ValidateLot(const v1::Lot& lot, const v1::CovenantTerms& terms, Validation& v,
                 const std::string& prefix) {
  if (!IsLotId(lot.lot_id())) {
    v.Add(prefix + ".lot_id",
          "must be 1-20 characters of A-Z, a-z, 0-9 and '-', starting with a letter");
  }
  CheckText(lot.title(), 200, v, prefix + ".title");
  CheckText(lot.scope(), 4000, v, prefix + ".scope");
  const auto& laws = terms.legal_bases();
  const bool law_ok = lot.legal_basis() != v1::LEGAL_BASIS_UNSPECIFIED &&
                      std::find(laws.begin(), laws.end(), lot.legal_basis()) != laws.end();
  if (!law_ok) {
    v.Add(prefix + ".legal_basis", "must be one of the covenant's legal_bases");
  }
  if (lot.funding_model() == v1::FUNDING_MODEL_UNSPECIFIED) {
    v.Add(prefix + ".funding_model", "must be EFFORT, OUTPUT or TASK");
  }
  if (lot.products().empty() && (lot.funding_model() == v1::FUNDING_MODEL_EFFORT ||
                                 lot.funding_model() == v1::FUNDING_MODEL_OUTPUT)) {
    v.Add(prefix + ".products",
          "must hold at least one product for an effort- or output-based lot");
  } else if (lot.products_size() > kMaxProducts) {
    v.Add(prefix + ".products", "must hold at most " + std::to_string(kMaxProducts) + " products");
  }
  std::set<std::string> codes;
  for (int i = 0; i < lot.products_size(); ++i) {
    const auto field = At(prefix + ".products", i);
    ValidateProduct(lot.products(i), lot, law_ok ? lot.legal_basis() : v1::LEGAL_BASIS_UNSPECIFIED,
                    v, field);
    if (!lot.products(i).code().empty() && !codes.insert(lot.products(i).code()).second) {
      v.Add(field + ".code",
            "product code " + lot.products(i).code() + " is used twice in lot " + lot.lot_id());
    }
  }
  ValidateBudgets(lot, terms, v, prefix + ".budgets");
}

void ValidateRequirement(const v1::Requirement& requirement, const std::set<std::string>& lots,
                         Validation& v, const std::string& prefix) {
  if (!IsLotId(requirement.requirement_id())) {
    v.Add(prefix + ".requirement_id",
          "must be 1-20 characters of A-Z, a-z, 0-9 and '-', starting with a letter");
  }
  std::set<std::string> seen;
  for (int i = 0; i < requirement.lots_size(); ++i) {
    const auto& lot = requirement.lots(i);
    const auto field = At(prefix + ".lots", i);
    if (lots.count(lot) == 0) {
      v.Add(field, "'" + lot + "' is not a lot of the covenant");
    } else if (!seen.insert(lot).second) {
      v.Add(field, "'" + lot + "' is listed twice");
    }
  }
  CheckText(requirement.title(), 200, v, prefix + ".title");
  CheckText(requirement.criterion(), 4000, v, prefix + ".criterion");
  std::set<int> kinds;
  for (int i = 0; i < requirement.evidence_kinds_size(); ++i) {
    const auto kind = requirement.evidence_kinds(i);
    const auto field = At(prefix + ".evidence_kinds", i);
    if (kind == v1::EVIDENCE_KIND_UNSPECIFIED) {
      v.Add(field, "must be a kind of evidence, not EVIDENCE_KIND_UNSPECIFIED");
    } else if (!kinds.insert(kind).second) {
      v.Add(field, "is listed twice");
    }
  }
  if (requirement.suspend_on_expiry() && requirement.evidence_kinds().empty()) {
    v.Add(prefix + ".suspend_on_expiry", "needs evidence_kinds whose expiry suspends");
  }
}

// The requirement without its revision and name, to see whether an amendment changed it.
bool SameContent(v1::Requirement a, v1::Requirement b) {
  a.clear_revision();
  b.clear_revision();
  a.clear_name();
  b.clear_name();
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

}  // namespace

bool IsLotId(std::string_view id) {
  const auto letter = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); };
  return !id.empty() && id.size() <= 20 && letter(id[0]) &&
         std::all_of(id.begin(), id.end(),
                     [&](char c) { return letter(c) || (c >= '0' && c <= '9') || c == '-'; });
}

bool IsAgreementId(std::string_view id) {
  return !id.empty() && id.size() <= 40 && id[0] >= 'a' && id[0] <= 'z' &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
         });
}

std::string AgreementName(const AgreementRef& ref) {
  return CovenantChildName(ref.covenant_id, "lots", ref.lot_id) + "/agreements/" + ref.agreement_id;
}

AgreementRef ParseAgreementName(const std::string& name, Validation& validation,
                                const std::string& field) {
  constexpr std::string_view kInfix = "/agreements/";
  const auto at = name.rfind(kInfix);
  if (at != std::string::npos) {
    Validation lot;
    auto [covenant_id, lot_id] =
        ParseCovenantChild(name.substr(0, at), "lots", lot, field, IsLotId);
    auto agreement_id = name.substr(at + kInfix.size());
    if (lot.empty() && IsAgreementId(agreement_id)) {
      return {std::move(covenant_id), std::move(lot_id), std::move(agreement_id)};
    }
  }
  validation.Add(field, name.empty() ? "is required"
                                     : "must be covenants/{covenant}/lots/{lot}/agreements/{id}, "
                                       "not '" +
                                           name + "'");
  return {};
}

bool IsNationalCategory(v1::LegalBasis law, std::string_view category) {
  if (law == v1::LEGAL_BASIS_PARTICIPATIEWET) {
    return category.empty();
  }
  if (category.size() != 2 || category[0] < '0' || category[0] > '9' || category[1] < '0' ||
      category[1] > '9') {
    return false;
  }
  const int number = (category[0] - '0') * 10 + (category[1] - '0');
  switch (law) {
    case v1::LEGAL_BASIS_WMO_2015:
      return number >= 1 && number <= 18;
    case v1::LEGAL_BASIS_JEUGDWET:
      return number >= 40 && number <= 50;
    default:
      return false;
  }
}

void ValidateCatalogue(const v1::CovenantTerms& terms, Validation& v, const std::string& prefix) {
  if (terms.lots_size() > kMaxLots) {
    v.Add(prefix + ".lots", "must hold at most " + std::to_string(kMaxLots) + " lots");
  }
  std::set<std::string> lot_ids;
  for (int i = 0; i < terms.lots_size(); ++i) {
    const auto field = At(prefix + ".lots", i);
    ValidateLot(terms.lots(i), terms, v, field);
    if (!terms.lots(i).lot_id().empty() && !lot_ids.insert(terms.lots(i).lot_id()).second) {
      v.Add(field + ".lot_id", "lot " + terms.lots(i).lot_id() + " is listed twice");
    }
  }
  if (terms.requirements_size() > kMaxRequirements) {
    v.Add(prefix + ".requirements",
          "must hold at most " + std::to_string(kMaxRequirements) + " requirements");
  }
  std::set<std::string> requirement_ids;
  for (int i = 0; i < terms.requirements_size(); ++i) {
    const auto field = At(prefix + ".requirements", i);
    const auto& requirement = terms.requirements(i);
    ValidateRequirement(requirement, lot_ids, v, field);
    if (!requirement.requirement_id().empty() &&
        !requirement_ids.insert(requirement.requirement_id()).second) {
      v.Add(field + ".requirement_id",
            "requirement " + requirement.requirement_id() + " is listed twice");
    }
  }
}

void SetServerFields(const v1::CovenantTerms* previous, v1::CovenantTerms& terms) {
  for (auto& lot : *terms.mutable_lots()) {
    lot.clear_name();
  }
  for (auto& requirement : *terms.mutable_requirements()) {
    requirement.clear_name();
    const auto* before =
        previous == nullptr ? nullptr : FindRequirement(*previous, requirement.requirement_id());
    if (before == nullptr) {
      requirement.set_revision(1);
    } else if (SameContent(*before, requirement)) {
      requirement.set_revision(before->revision());
    } else {
      requirement.set_revision(before->revision() + 1);
    }
  }
}

const v1::Lot* FindLot(const v1::CovenantTerms& terms, std::string_view lot_id) {
  for (const auto& lot : terms.lots()) {
    if (lot.lot_id() == lot_id) {
      return &lot;
    }
  }
  return nullptr;
}

const v1::Requirement* FindRequirement(const v1::CovenantTerms& terms,
                                       std::string_view requirement_id) {
  for (const auto& requirement : terms.requirements()) {
    if (requirement.requirement_id() == requirement_id) {
      return &requirement;
    }
  }
  return nullptr;
}

bool AppliesTo(const v1::Requirement& requirement, std::string_view lot_id) {
  return requirement.lots().empty() ||
         std::find(requirement.lots().begin(), requirement.lots().end(), lot_id) !=
             requirement.lots().end();
}

std::int64_t Indexed(std::int64_t amount_cents, int basis_points) {
  const std::int64_t scaled = amount_cents * (10000 + basis_points);
  const std::int64_t half = scaled >= 0 ? 5000 : -5000;
  return (scaled + half) / 10000;
}

int IndexTariffs(v1::CovenantTerms& terms, const std::vector<std::string>& lot_ids,
                 int basis_points, std::chrono::sys_days from) {
  int raised = 0;
  for (auto& lot : *terms.mutable_lots()) {
    if (!lot_ids.empty() &&
        std::find(lot_ids.begin(), lot_ids.end(), lot.lot_id()) == lot_ids.end()) {
      continue;
    }
    for (auto& product : *lot.mutable_products()) {
      auto& tariffs = *product.mutable_tariffs();
      const auto current = std::find_if(tariffs.begin(), tariffs.end(), [&](const auto& t) {
        const auto period = PeriodOf(t);
        return period.from <= from && from <= period.until;
      });
      if (current == tariffs.end()) {
        continue;
      }
      v1::Tariff next;
      next.set_amount_cents(Indexed(current->amount_cents(), basis_points));
      *next.mutable_valid_from() = ToDate(from);
      if (current->has_valid_until()) {
        *next.mutable_valid_until() = current->valid_until();
      }
      if (PeriodOf(*current).from == from) {
        *current = next;  // it starts that very day: replaced, not split
      } else {
        *current->mutable_valid_until() = ToDate(from - std::chrono::days(1));
        *tariffs.Add() = next;
      }
      ++raised;
    }
  }
  return raised;
}

}  // namespace regie::covenants
