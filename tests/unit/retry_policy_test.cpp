// When the typed client repeats a call: which failures are transient, how long it pauses, and
// that every RPC declares in its proto whether repeating it is safe.

#include <boost/test/unit_test.hpp>

#include <google/protobuf/descriptor.h>

#include "auth/access_policy.hpp"
#include "regie/covenants/v1/reference.pb.h"
#include "regie/reports/v1/reports.pb.h"
#include "retry_policy.hpp"

namespace regie::testing {
namespace {

namespace pb = google::protobuf;
using client::Idempotency;
using client::IdempotencyOf;
using client::IsTransient;
using client::PauseBefore;
using client::RetryPolicy;
using client::SafeToRetry;
using std::chrono::milliseconds;

// The method descriptor of `path` ("/package.Service/Method") from the linked protos.
const pb::MethodDescriptor* MethodAt(const std::string& path) {
  const auto slash = path.rfind('/');
  const auto* service =
      pb::DescriptorPool::generated_pool()->FindServiceByName(path.substr(1, slash - 1));
  return service == nullptr ? nullptr : service->FindMethodByName(path.substr(slash + 1));
}

}  // namespace

BOOST_AUTO_TEST_SUITE(retry_policy)

BOOST_AUTO_TEST_CASE(transient_failures_are_unavailable_no_answer_in_time_and_a_lost_commit) {
  BOOST_TEST(IsTransient(grpc::UNAVAILABLE, ""));
  BOOST_TEST(IsTransient(grpc::UNAVAILABLE, "DRAINING"));
  BOOST_TEST(IsTransient(grpc::DEADLINE_EXCEEDED, ""));
  BOOST_TEST(IsTransient(grpc::UNKNOWN, "COMMIT_OUTCOME_UNKNOWN"));
  BOOST_TEST(!IsTransient(grpc::UNKNOWN, ""));
  BOOST_TEST(!IsTransient(grpc::ABORTED, "TRANSACTION_CONFLICT"));
  BOOST_TEST(!IsTransient(grpc::INVALID_ARGUMENT, ""));
  BOOST_TEST(!IsTransient(grpc::PERMISSION_DENIED, ""));
  BOOST_TEST(!IsTransient(grpc::ALREADY_EXISTS, "REQUEST_ID_REUSED"));
  BOOST_TEST(!IsTransient(grpc::INTERNAL, ""));
}

BOOST_AUTO_TEST_CASE(pauses_double_up_to_the_cap_and_spread_within_the_jitter) {
  const RetryPolicy policy;  // 250 ms, doubling, at most 4 s, ±20%
  BOOST_TEST(PauseBefore(policy, 2, 0.5).count() == 250);
  BOOST_TEST(PauseBefore(policy, 3, 0.5).count() == 500);
  BOOST_TEST(PauseBefore(policy, 4, 0.5).count() == 1000);
  BOOST_TEST(PauseBefore(policy, 6, 0.5).count() == 4000);
  BOOST_TEST(PauseBefore(policy, 30, 0.5).count() == 4000);
  BOOST_TEST(PauseBefore(policy, 2, 0.0).count() == 200);
  BOOST_TEST(PauseBefore(policy, 2, 0.999).count() == 300);
  BOOST_TEST(PauseBefore(policy, 30, 0.0).count() == 3200);

  RetryPolicy steady;
  steady.jitter = 0;
  steady.multiplier = 1;
  steady.initial_backoff = milliseconds(100);
  BOOST_TEST(PauseBefore(steady, 2, 0.9).count() == 100);
  BOOST_TEST(PauseBefore(steady, 9, 0.1).count() == 100);
}

BOOST_AUTO_TEST_CASE(writes_are_repeated_only_when_idempotent_on_a_request_id_they_carry) {
  reports::v1::SubmitReportRequest submit;
  BOOST_TEST(!SafeToRetry(submit));  // without a request id a repeat could store twice
  submit.set_request_id("q3-2026-first");
  BOOST_TEST(SafeToRetry(submit));

  reports::v1::GetReportRequest read;
  BOOST_TEST(SafeToRetry(read));

  covenants::v1::CreateMunicipalityRequest create;
  create.set_request_id("m-1");
  BOOST_TEST(!SafeToRetry(create));  // the server does not deduplicate it: made once

  BOOST_TEST(SafeToRetry(Idempotency::kRead, ""));
  BOOST_TEST(SafeToRetry(Idempotency::kOnRequestId, "r"));
  BOOST_TEST(!SafeToRetry(Idempotency::kOnRequestId, ""));
  BOOST_TEST(!SafeToRetry(Idempotency::kNone, "r"));
}

// The client decides from the proto alone, so every RPC must say it truthfully: a read carries no
// request_id and declares NO_SIDE_EFFECTS; a write carries a request_id, and declares IDEMPOTENT
// only when the server answers a repeat of it with what the first call stored.
BOOST_AUTO_TEST_CASE(every_rpc_declares_whether_repeating_it_is_safe) {
  int reads = 0;
  int idempotent_writes = 0;
  for (const auto& rule : auth::AccessPolicy::Default().rules()) {
    if (rule.method.rfind("/regie.", 0) != 0) {
      continue;  // gRPC's own health and reflection services
    }
    BOOST_TEST_CONTEXT(rule.method) {
      const auto* method = MethodAt(rule.method);
      BOOST_REQUIRE(method != nullptr);
      const bool has_request_id = method->input_type()->FindFieldByName("request_id") != nullptr ||
                                  method->client_streaming();  // UploadReport: in its header
      const auto idempotency = IdempotencyOf(*method);
      BOOST_TEST((idempotency == Idempotency::kRead) == !has_request_id);
      BOOST_TEST(client::MethodTaking(*method->input_type()) == method);
      reads += idempotency == Idempotency::kRead ? 1 : 0;
      idempotent_writes += idempotency == Idempotency::kOnRequestId ? 1 : 0;
    }
  }
  BOOST_TEST(reads > 40);
  // SubmitReport, UploadReport (ADR 0009) and RunSettlement (ADR 0008).
  BOOST_TEST(idempotent_writes == 3);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::testing
