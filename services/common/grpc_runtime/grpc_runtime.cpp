#include "grpc_runtime/grpc_runtime.hpp"

#include <absl/synchronization/mutex.h>

namespace regie::grpc_runtime {

void DisableMutexDeadlockDetection() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
}

}  // namespace regie::grpc_runtime
