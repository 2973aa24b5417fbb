#pragma once

// The covenants area as a process hosts it.

#include <memory>

#include "rpc/service_bundle.hpp"

namespace regie::covenants {

std::unique_ptr<rpc::ServiceBundle> MakeCovenantsBundle(const rpc::ServiceParts& parts);

}  // namespace regie::covenants
