#include "eurocents.hpp"

namespace regie {

std::string EuroText(std::int64_t eurocents) {
  // Unsigned, so that the most negative amount has a magnitude too.
  const auto magnitude = eurocents < 0 ? 0 - static_cast<std::uint64_t>(eurocents)
                                       : static_cast<std::uint64_t>(eurocents);
  std::string whole = std::to_string(magnitude / 100);
  for (int at = static_cast<int>(whole.size()) - 3; at > 0; at -= 3) {
    whole.insert(static_cast<std::size_t>(at), ",");
  }
  const auto cents = std::to_string(magnitude % 100);
  return std::string(eurocents < 0 ? "-" : "") + "EUR " + whole + "." +
         (cents.size() == 1 ? "0" : "") + cents;
}

}  // namespace regie
