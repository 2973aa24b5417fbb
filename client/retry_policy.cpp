#include "retry_policy.hpp"

#include <google/protobuf/descriptor.pb.h>

#include <algorithm>
#include <cmath>

namespace regie::client {

namespace pb = google::protobuf;

Idempotency IdempotencyOf(const pb::MethodDescriptor& method) {
  switch (method.options().idempotency_level()) {
    case pb::MethodOptions::NO_SIDE_EFFECTS:
      return Idempotency::kRead;
    case pb::MethodOptions::IDEMPOTENT:
      return Idempotency::kOnRequestId;
    default:
      return Idempotency::kNone;
  }
}

const pb::MethodDescriptor* MethodTaking(const pb::Descriptor& request) {
  const auto* file = request.file();
  for (int s = 0; s < file->service_count(); ++s) {
    const auto* service = file->service(s);
    for (int m = 0; m < service->method_count(); ++m) {
      if (service->method(m)->input_type() == &request) {
        return service->method(m);
      }
    }
  }
  return nullptr;
}

bool SafeToRetry(Idempotency idempotency, std::string_view request_id) {
  switch (idempotency) {
    case Idempotency::kRead:
      return true;
    case Idempotency::kOnRequestId:
      return !request_id.empty();
    case Idempotency::kNone:
      return false;
  }
  return false;
}

bool SafeToRetry(const pb::Message& request) {
  const auto* method = MethodTaking(*request.GetDescriptor());
  if (method == nullptr) {
    return false;
  }
  std::string request_id;
  if (const auto* field = request.GetDescriptor()->FindFieldByName("request_id");
      field != nullptr && field->type() == pb::FieldDescriptor::TYPE_STRING &&
      !field->is_repeated()) {
    request_id = request.GetReflection()->GetString(request, field);
  }
  return SafeToRetry(IdempotencyOf(*method), request_id);
}

bool IsTransient(grpc::StatusCode code, std::string_view reason) {
  switch (code) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return true;
    case grpc::StatusCode::UNKNOWN:
      return reason == "COMMIT_OUTCOME_UNKNOWN";
    default:
      return false;
  }
}

std::chrono::milliseconds PauseBefore(const RetryPolicy& policy, int attempt, double unit) {
  const double exponential = static_cast<double>(policy.initial_backoff.count()) *
                             std::pow(policy.multiplier, std::max(0, attempt - 2));
  const double capped = std::min(exponential, static_cast<double>(policy.max_backoff.count()));
  const double spread = capped * (1.0 + policy.jitter * (2.0 * unit - 1.0));
  return std::chrono::milliseconds(std::max<std::int64_t>(0, std::llround(spread)));
}

}  // namespace regie::client
