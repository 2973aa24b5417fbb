#pragma once

// Money as people read it. Amounts travel and are stored as integer eurocents everywhere.

#include <cstdint>
#include <string>

namespace regie {

// "EUR 2,368,800.00" for 236880000 eurocents; "-EUR 0.05" for -5.
std::string EuroText(std::int64_t eurocents);

}  // namespace regie
