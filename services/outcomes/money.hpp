#pragma once

// Exact numbers for settlement: decimals parsed into exact rationals (GMP), never binary floating
// point, and one rounding rule for money: half up to the cent (docs/adr/0008).

#include <gmpxx.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace regie::outcomes {

using Rational = mpq_class;

// A non-negative decimal such as "0.85", "5" or "2.5" with at most `max_places` digits after the
// point; nullopt for anything else (signs, exponents, spaces, "", ".5", "5.").
std::optional<Rational> ParseDecimal(std::string_view text, int max_places);

// "p/q" in lowest terms, or "p" when whole.
std::string ExactText(const Rational& value);

// The value with `places` digits after the point, rounded half up (away from zero for halves of
// negative values too, so that -x prints as the negation of x).
std::string DecimalText(const Rational& value, int places = 6);

// Rounds half up to a whole number: 2.5 -> 3, 2.4999 -> 2, -2.5 -> -3 (half away from zero).
std::int64_t RoundHalfUp(const Rational& value);

}  // namespace regie::outcomes
