#pragma once

// Helpers for tests of the covenant terms' validation rules.

#include <functional>
#include <string>
#include <vector>

#include "covenant_rules.hpp"
#include "fixtures.hpp"
#include "violated_fields.hpp"

namespace regie::covenants {

// The fields named by validating the Duinstreek fixture's terms after `change`.
inline std::vector<std::string> FieldsAfter(const std::function<void(v1::CovenantTerms&)>& change) {
  auto terms = testing::DuinstreekCovenant().covenant().terms();
  change(terms);
  return testing::ViolatedFields([&] {
    Validation v;
    ValidateTerms(terms, v, "covenant.terms");
    v.ThrowIfAny();
  });
}

inline google::type::Date Day(int year, int month, int day) {
  google::type::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  return date;
}

}  // namespace regie::covenants
