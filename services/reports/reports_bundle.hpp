#pragma once

// The reports area as a process hosts it (rpc::ServiceBundle): accountability reports.

#include <memory>

#include "rpc/service_bundle.hpp"

namespace regie::reports {

std::unique_ptr<rpc::ServiceBundle> MakeReportsBundle(const rpc::ServiceParts& parts);

}  // namespace regie::reports
