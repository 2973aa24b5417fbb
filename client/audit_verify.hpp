#pragma once

// `regie audit verify`: fetches the raw audit log over gRPC and recomputes every hash and
// signature locally, trusting only the deployment CA certificate (docs/adr/0003-audit-log.md).

#include <cstdint>
#include <functional>
#include <string>

#include "audit/chain.hpp"
#include "regie_client.hpp"

namespace regie::client {

struct AuditVerification {
  audit::VerifyResult result;
  std::int64_t pending_events = 0;  // committed but not yet sealed
};

// `progress`, when given, hears of each entry checked: its sequence number and the log's size.
AuditVerification VerifyAuditLog(
    RegieClient& client, const std::string& trusted_ca_pem,
    const std::function<void(std::int64_t seq, std::int64_t size)>& progress = {});

}  // namespace regie::client
