#pragma once

// The outcomes area as a process hosts it (rpc::ServiceBundle): the indicator library, outcome
// agreements and settlements.

#include <memory>

#include "rpc/service_bundle.hpp"

namespace regie::outcomes {

std::unique_ptr<rpc::ServiceBundle> MakeOutcomesBundle(const rpc::ServiceParts& parts);

}  // namespace regie::outcomes
