#pragma once

// The providers area as a process hosts it (rpc::ServiceBundle): providers and evidence,
// admission, participations, and the evidence monitor as its calendar tick.

#include <memory>

#include "rpc/service_bundle.hpp"

namespace regie::providers {

std::unique_ptr<rpc::ServiceBundle> MakeProvidersBundle(const rpc::ServiceParts& parts);

}  // namespace regie::providers
