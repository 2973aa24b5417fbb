#pragma once

// Every RPC handler runs inside RpcBoundary::Run (docs/adr/0002-error-model.md):
//   1. identifies the caller from the verified client certificate (never from the request),
//   2. refuses revoked certificates,
//   3. authorizes the method against the access policy (default deny),
//   4. caps the deadline,
//   5. runs the handler body, mapping every exception to a status with details,
//   6. writes one access-log line: method, principal, status code, duration.
// A handler is then only the translation between protobuf messages and domain code:
//
//   grpc::Status Service::WhoAmI(grpc::ServerContext* ctx, const WhoAmIRequest* req,
//                                WhoAmIResponse* resp) {
//     return boundary_.Run(ctx, *req, "", [&](const rpc::Call& call) { ... });
//   }

#include <google/protobuf/message.h>
#include <grpcpp/server_context.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.hpp"
#include "auth/access_policy.hpp"
#include "auth/principal.hpp"
#include "auth/revocation_list.hpp"
#include "db/pool.hpp"
#include "db/standby_reads.hpp"
#include "rpc/call_registry.hpp"

namespace regie::rpc {

// What a handler body knows about its call.
struct Call {
  const auth::Principal& principal;
  const std::string& method;
  db::Clock::time_point deadline;
  // Who, which RPC, request id and request digest: pass to audit::AppendEvent for mutations.
  const audit::AuditContext& audit;
};

// Told about every call the boundary finishes (the metrics of metrics/metrics.hpp).
class CallObserver {
 public:
  virtual ~CallObserver() = default;
  // `code` is the gRPC status code (0 for OK), `reason` the ErrorInfo reason ("" when none).
  virtual void Finished(std::string_view method, int code, std::string_view reason,
                        std::chrono::nanoseconds duration) = 0;
};

struct BoundaryOptions {
  // Deadline given to calls that set none or a later one.
  std::chrono::milliseconds max_deadline{30000};
  CallObserver* observer = nullptr;  // not owned; outlives the boundary
  // With a standby: the calls of roles that only read (RolesThatOnlyRead) read it. Not owned.
  db::StandbyReads* standby_reads = nullptr;
};

// The roles whose every Regie RPC in `policy` declares no side effects (`idempotency_level =
// NO_SIDE_EFFECTS` in its proto): they have no write of their own to read back. An RPC whose
// descriptor is not compiled into the process counts as a write. gRPC's own services (health,
// reflection) touch no database and are not counted.
std::vector<auth::Role> RolesThatOnlyRead(const auth::AccessPolicy& policy);

class RpcBoundary {
 public:
  RpcBoundary(const CallRegistry& registry, const auth::AccessPolicy& policy,
              const auth::RevocationList& revocations, BoundaryOptions options);

  // `request_id` is the request's idempotency key if it has one; when empty a fresh id is used
  // for the audit log and the access log.
  grpc::Status Run(grpc::ServerContext* context, const google::protobuf::Message& request,
                   std::string_view request_id, const std::function<void(const Call&)>& body) const;

  // From now on every new call is refused with UNAVAILABLE (reason DRAINING), so that clients
  // retry elsewhere while the calls already running finish. Health is gRPC's and still answers.
  void StartDraining() { draining_ = true; }

 private:
  auth::Principal Authenticate(const grpc::ServerContext& context) const;

  const CallRegistry& registry_;
  const auth::AccessPolicy& policy_;
  const auth::RevocationList& revocations_;
  BoundaryOptions options_;
  std::vector<auth::Role> only_read_;  // RolesThatOnlyRead(policy_)
  std::atomic<bool> draining_{false};
};

// The deadline a call works to, on the steady clock: the client's deadline (a system-clock time,
// time_point::max() when the client set none), but never later than `cap` from now.
db::Clock::time_point CapDeadline(std::chrono::system_clock::time_point client_deadline,
                                  std::chrono::milliseconds cap,
                                  std::chrono::system_clock::time_point now_system,
                                  db::Clock::time_point now_steady);

// The SHA-256 of a message's deterministic serialization.
std::string RequestDigest(const google::protobuf::Message& message);

}  // namespace regie::rpc
