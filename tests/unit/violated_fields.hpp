#pragma once

// The fields a validation names, for tests of validation rules.

#include <functional>
#include <string>
#include <vector>

#include "error.hpp"

namespace regie::testing {

// The fields of the INVALID_ARGUMENT error `call` throws, in order; empty when it throws none.
inline std::vector<std::string> ViolatedFields(const std::function<void()>& call) {
  try {
    call();
  } catch (const Error& e) {
    std::vector<std::string> fields;
    for (const auto& violation : e.violations()) {
      fields.push_back(violation.field);
    }
    return fields;
  }
  return {};
}

}  // namespace regie::testing
