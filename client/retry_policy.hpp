#pragma once

// When the typed client makes a failed call again (docs/adr/0013-client-retries.md).
//
// A call is retried only when both hold:
//   - the failure is transient: UNAVAILABLE (server restarting or draining, database unreachable),
//     DEADLINE_EXCEEDED (no answer in time), or UNKNOWN with reason COMMIT_OUTCOME_UNKNOWN (the
//     database connection broke while committing);
//   - the RPC is safe to repeat, as its proto declares with `idempotency_level`: NO_SIDE_EFFECTS
//     (a read), or IDEMPOTENT and the request carries a `request_id` (the server answers a repeat
//     with what the first call stored). Every other write is made once: its outcome is the
//     caller's to check.
// Retries keep the request as it was, request id included, and pause with exponential backoff
// and jitter, so that many clients do not return at the same moment.

#include <google/protobuf/descriptor.h>
#include <grpcpp/support/status.h>

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

namespace regie::client {

class RpcError;

struct RetryPolicy {
  int max_attempts = 4;  // the first call and up to three retries; 1 turns retrying off
  std::chrono::milliseconds initial_backoff{250};
  std::chrono::milliseconds max_backoff{4000};
  double multiplier = 2.0;
  double jitter = 0.2;  // each pause is drawn within ±20% of its exponential value
  // Told before each pause: the failure, the attempt that comes next (2 for the first retry) and
  // the pause. `regie` prints a line; tests count.
  std::function<void(const RpcError& error, int next_attempt, std::chrono::milliseconds pause)>
      on_retry;
};

// How safe an RPC is to repeat, from its `idempotency_level`.
enum class Idempotency {
  kNone,         // a write: made once
  kRead,         // NO_SIDE_EFFECTS
  kOnRequestId,  // IDEMPOTENT: a repeat with the same request_id stores nothing new
};
Idempotency IdempotencyOf(const google::protobuf::MethodDescriptor& method);

// The RPC whose request message is `request`, looked up among the services of the file that
// declares it (each Regie request message belongs to one RPC); nullptr when there is none.
const google::protobuf::MethodDescriptor* MethodTaking(const google::protobuf::Descriptor& request);

// Whether a call of `idempotency` with `request_id` (empty when it has none) may be repeated.
bool SafeToRetry(Idempotency idempotency, std::string_view request_id);

// Same, for `request`, the request of a unary RPC: its method's idempotency and its request_id
// field, if it has one.
bool SafeToRetry(const google::protobuf::Message& request);

// Whether a call that failed with `code` and ErrorInfo `reason` may succeed when made again.
bool IsTransient(grpc::StatusCode code, std::string_view reason);

// The pause before attempt `attempt` (2 for the first retry): initial_backoff ×
// multiplier^(attempt - 2), at most max_backoff, spread by ±jitter with `unit` (uniform in [0, 1)).
std::chrono::milliseconds PauseBefore(const RetryPolicy& policy, int attempt, double unit);

}  // namespace regie::client
