#pragma once

// `regie audit verify`: fetches the raw audit log over gRPC and recomputes every hash and
// signature locally, trusting only the deployment CA certificate (docs/adr/0003-audit-log.md).

#include <cstdint>
#include <string>

#include "audit/chain.hpp"
#include "regie_client.hpp"

namespace regie::client {

struct AuditVerification {
  audit::VerifyResult result;
  std::int64_t pending_events = 0;  // committed but not yet sealed
};

AuditVerification VerifyAuditLog(RegieClient& client, const std::string& trusted_ca_pem);

}  // namespace regie::client
