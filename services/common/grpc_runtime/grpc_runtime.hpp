#pragma once

// Process-wide settings of the gRPC runtime that every Regie process (server, `regie`,
// `regie-bench`) applies before it opens a channel or starts a server.

namespace regie::grpc_runtime {

// Turns off Abseil's mutex deadlock detection. Debian 12 builds Abseil without NDEBUG, so its
// debug mode is on: every absl::Mutex lock inside gRPC 1.51 records the lock in a process-wide
// graph under a global spin lock. On the 16-client submit benchmark that bookkeeping
// (GraphCycles::GetId) was 4.5% of the server's CPU (docs/performance.md). Regie's own code uses
// std::mutex, which this does not touch. Safe to call more than once.
void DisableMutexDeadlockDetection();

}  // namespace regie::grpc_runtime
