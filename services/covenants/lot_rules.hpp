#pragma once

// The rules of a covenant's lots (percelen), product catalogues, tariffs and admission
// requirements, without gRPC or a database. They live inside the terms (docs/adr/0005); these
// functions check them, find them, and change them the way amendments do.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "error.hpp"
#include "regie/covenants/v1/covenants.pb.h"

namespace regie::covenants {

// A lot or requirement id: 1-20 characters of A-Z, a-z, 0-9 and '-', starting with a letter.
bool IsLotId(std::string_view id);

// Whether `category` is on the national list of `law`: Wmo 2015 "01".."18", Jeugdwet "40".."50".
// The Participatiewet has no list: only "" fits it.
bool IsNationalCategory(v1::LegalBasis law, std::string_view category);

// Checks lots and requirements of `terms` (whose other fields ValidateTerms checks), naming each
// violation under `prefix` (e.g. "covenant.terms"): ids, texts, categories against the national
// list of the lot's law, product codes unique within a lot, units that fit the funding model,
// positive amounts, tariff periods that do not overlap, budgets of participants within the term,
// requirements that name existing lots.
void ValidateCatalogue(const v1::CovenantTerms& terms, Validation& v, const std::string& prefix);

// Fields the server sets: clears the output-only names, and numbers requirement revisions. With
// no `previous` terms every requirement is revision 1; otherwise an unchanged requirement keeps
// its revision, a changed one gets the next, and a new one starts at 1.
void SetServerFields(const v1::CovenantTerms* previous, v1::CovenantTerms& terms);

// An outcome agreement of a lot: `covenants/{covenant}/lots/{lot}/agreements/{agreement}`.
struct AgreementRef {
  std::string covenant_id{};
  std::string lot_id{};
  std::string agreement_id{};
};
// An agreement id: 1-40 characters of a-z, 0-9 and '-', starting with a letter.
bool IsAgreementId(std::string_view id);
std::string AgreementName(const AgreementRef& ref);
// Adds a violation for `field` and returns an empty ref unless `name` is an agreement name.
AgreementRef ParseAgreementName(const std::string& name, Validation& validation,
                                const std::string& field);

const v1::Lot* FindLot(const v1::CovenantTerms& terms, std::string_view lot_id);
const v1::Requirement* FindRequirement(const v1::CovenantTerms& terms,
                                       std::string_view requirement_id);
// Whether the requirement applies to the lot (an empty lot list means every lot).
bool AppliesTo(const v1::Requirement& requirement, std::string_view lot_id);

// `amount` raised by `basis_points` hundredths of a percent (325 = 3.25%), rounded to the cent,
// halves away from zero.
std::int64_t Indexed(std::int64_t amount_cents, int basis_points);

// The yearly indexation: in the lots named (all when empty), every product's tariff in force on
// `from` ends the day before, and a tariff raised by `basis_points` applies from `from` until the
// old one would have ended. Products without a tariff on `from` keep theirs. Returns how many
// tariffs were raised.
int IndexTariffs(v1::CovenantTerms& terms, const std::vector<std::string>& lot_ids,
                 int basis_points, std::chrono::sys_days from);

}  // namespace regie::covenants
