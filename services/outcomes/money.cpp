#include "money.hpp"

#include <stdexcept>

namespace regie::outcomes {
namespace {

bool IsDigits(std::string_view text) {
  return !text.empty() && text.find_first_not_of("0123456789") == std::string_view::npos;
}

mpz_class PowerOfTen(int exponent) {
  mpz_class result;
  mpz_ui_pow_ui(result.get_mpz_t(), 10, static_cast<unsigned long>(exponent));
  return result;
}

// |value| rounded half up to a whole number.
mpz_class RoundMagnitude(const Rational& value) {
  const Rational magnitude = abs(value);
  // floor(|v| + 1/2) = floor((2p + q) / 2q).
  mpz_class doubled = 2 * magnitude.get_num() + magnitude.get_den();
  mpz_class result;
  mpz_fdiv_q(result.get_mpz_t(), doubled.get_mpz_t(),
             mpz_class(2 * magnitude.get_den()).get_mpz_t());
  return result;
}

}  // namespace

std::optional<Rational> ParseDecimal(std::string_view text, int max_places) {
  const auto point = text.find('.');
  const auto whole = text.substr(0, point);
  const auto fraction =
      point == std::string_view::npos ? std::string_view{} : text.substr(point + 1);
  if (!IsDigits(whole) || whole.size() > 15) {
    return std::nullopt;
  }
  if (point != std::string_view::npos &&
      (!IsDigits(fraction) || fraction.size() > static_cast<std::size_t>(max_places))) {
    return std::nullopt;
  }
  Rational value(mpz_class(std::string(whole) + std::string(fraction), 10),
                 PowerOfTen(static_cast<int>(fraction.size())));
  value.canonicalize();
  return value;
}

std::string ExactText(const Rational& value) { return value.get_str(); }

std::string DecimalText(const Rational& value, int places) {
  const mpz_class scaled = RoundMagnitude(Rational(abs(value) * PowerOfTen(places)));
  std::string digits = scaled.get_str();
  if (digits.size() <= static_cast<std::size_t>(places)) {
    digits.insert(0, static_cast<std::size_t>(places) + 1 - digits.size(), '0');
  }
  std::string out = value < 0 && scaled != 0 ? "-" : "";
  out += digits.substr(0, digits.size() - static_cast<std::size_t>(places));
  if (places > 0) {
    out += "." + digits.substr(digits.size() - static_cast<std::size_t>(places));
  }
  return out;
}

std::int64_t RoundHalfUp(const Rational& value) {
  const mpz_class magnitude = RoundMagnitude(value);
  if (!magnitude.fits_slong_p()) {
    throw std::overflow_error("amount out of range: " + value.get_str());
  }
  const auto result = static_cast<std::int64_t>(magnitude.get_si());
  return value < 0 ? -result : result;
}

}  // namespace regie::outcomes
