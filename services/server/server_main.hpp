#pragma once

#include <string>
#include <vector>

#include "rpc/service_bundle.hpp"

namespace regie::server {

// main() of a server process hosting the common services and `areas`. Returns the exit code:
// 0 after a clean drain, 2 when the configuration, the certificates or the database stop the start.
int RunServerMain(int argc, char** argv, const std::string& program, const std::string& description,
                  std::vector<rpc::BundleFactory> areas);

}  // namespace regie::server
