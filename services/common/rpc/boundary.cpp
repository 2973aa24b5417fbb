#include "rpc/boundary.hpp"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>

#include "auth/pki.hpp"
#include "crypto.hpp"
#include "rpc/status.hpp"

namespace regie::rpc {

std::string RequestDigest(const google::protobuf::Message& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return Sha256(bytes);
}

RpcBoundary::RpcBoundary(const CallRegistry& registry, const auth::AccessPolicy& policy,
                         const auth::RevocationList& revocations, BoundaryOptions options)
    : registry_(registry),
      policy_(policy),
      revocations_(revocations),
      options_(options),
      only_read_(RolesThatOnlyRead(policy)) {}

std::vector<auth::Role> RolesThatOnlyRead(const auth::AccessPolicy& policy) {
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  std::vector<auth::Role> roles;
  for (const auth::Role role : auth::kAllRoles) {
    bool only_reads = true;
    for (const auto& method : policy.AllowedMethods(role)) {
      if (method.rfind("/grpc.", 0) == 0) {
        continue;
      }
      // "/package.Service/Method" is "package.Service.Method" to the descriptor pool.
      std::string full_name = method.substr(1);
      std::replace(full_name.begin(), full_name.end(), '/', '.');
      const auto* descriptor = pool->FindMethodByName(full_name);
      if (descriptor == nullptr || descriptor->options().idempotency_level() !=
                                       google::protobuf::MethodOptions::NO_SIDE_EFFECTS) {
        only_reads = false;
        break;
      }
    }
    if (only_reads) {
      roles.push_back(role);
    }
  }
  return roles;
}

auth::Principal RpcBoundary::Authenticate(const grpc::ServerContext& context) const {
  const auto auth_context = context.auth_context();
  const auto pem = auth_context ? auth_context->FindPropertyValues("x509_pem_cert")
                                : std::vector<grpc::string_ref>{};
  if (!auth_context || !auth_context->IsPeerAuthenticated() || pem.empty()) {
    throw Error::Unauthenticated("NO_CLIENT_CERTIFICATE",
                                 "a client certificate issued by the deployment CA is required");
  }
  // The TLS handshake has verified the certificate against the deployment CA.
  auth::CertificateInfo certificate;
  try {
    certificate = auth::ParseCertificate(std::string_view(pem.front().data(), pem.front().size()));
  } catch (const auth::PkiError&) {
    throw Error::Unauthenticated("INVALID_CLIENT_CERTIFICATE",
                                 "the client certificate cannot be read");
  }
  if (revocations_.Contains(certificate.serial_hex)) {
    throw Error::Unauthenticated("CERTIFICATE_REVOKED",
                                 "certificate " + certificate.serial_hex + " has been revoked");
  }
  auto principal = auth::PrincipalFromCertificate(certificate);
  principal.certificate_pem.assign(pem.front().data(), pem.front().size());
  return principal;
}

db::Clock::time_point CapDeadline(std::chrono::system_clock::time_point client_deadline,
                                  std::chrono::milliseconds cap,
                                  std::chrono::system_clock::time_point now_system,
                                  db::Clock::time_point now_steady) {
  // Compare before subtracting: time_point::max() minus now would overflow.
  if (client_deadline >= now_system + cap) {
    return now_steady + cap;
  }
  return now_steady + std::chrono::duration_cast<db::Clock::duration>(client_deadline - now_system);
}

grpc::Status RpcBoundary::Run(grpc::ServerContext* context,
                              const google::protobuf::Message& request, std::string_view request_id,
                              const std::function<void(const Call&)>& body) const {
  const auto started = db::Clock::now();
  const std::string method = registry_.MethodOf(context);
  std::string who = "-";
  std::string role = "-";
  std::string organisation = "-";
  const std::string effective_request_id =
      request_id.empty() ? NewRequestId() : std::string(request_id);
  grpc::Status status;
  std::string reason;
  try {
    if (draining_) {
      throw Error(ErrorCode::kUnavailable, "DRAINING",
                  "this server is shutting down; try again (another instance will answer)");
    }
    const auth::Principal principal = Authenticate(*context);
    who = principal.subject;
    role = std::string(auth::RoleName(principal.role));
    organisation = principal.organisation;
    policy_.Authorize(method, principal);
    const audit::AuditContext audit{principal.subject,      role,
                                    principal.organisation, method,
                                    effective_request_id,   RequestDigest(request)};
    const Call call{principal, method,
                    CapDeadline(context->deadline(), options_.max_deadline,
                                std::chrono::system_clock::now(), db::Clock::now()),
                    audit};
    std::optional<db::StandbyReads::Scope> standby;
    if (options_.standby_reads != nullptr &&
        std::find(only_read_.begin(), only_read_.end(), principal.role) != only_read_.end()) {
      standby.emplace(*options_.standby_reads);
    }
    body(call);
  } catch (...) {
    const Error error = ErrorFromCurrentException(method);
    reason = error.reason();
    status = ToGrpcStatus(error);
  }
  const auto elapsed = db::Clock::now() - started;
  if (options_.observer != nullptr) {
    options_.observer->Finished(method, status.error_code(), reason, elapsed);
  }
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count();
  const nlohmann::json line = {
      {"rpc", method},
      {"principal", who},
      {"role", role},
      {"organisation", organisation},
      {"request_id", effective_request_id},
      {"code", status.ok() ? "OK" : ErrorCodeName(static_cast<ErrorCode>(status.error_code()))},
      {"duration_ms", static_cast<double>(micros) / 1000.0},
  };
  if (status.ok()) {
    spdlog::info("access {}", line.dump());
  } else {
    spdlog::warn("access {}", line.dump());
  }
  return status;
}

}  // namespace regie::rpc
