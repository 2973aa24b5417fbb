#include "identity_service.hpp"

#include <google/protobuf/util/time_util.h>

#include "request.hpp"

namespace regie::identity {
namespace {

using google::protobuf::util::TimeUtil;

v1::Role ToProto(auth::Role role) {
  switch (role) {
    case auth::Role::kProcurement:
      return v1::ROLE_PROCUREMENT;
    case auth::Role::kProvider:
      return v1::ROLE_PROVIDER;
    case auth::Role::kAuditor:
      return v1::ROLE_AUDITOR;
    case auth::Role::kAdmin:
      return v1::ROLE_ADMIN;
  }
  return v1::ROLE_UNSPECIFIED;
}

void ToProto(const RevokedCertificateRecord& record, v1::RevokedCertificate* out) {
  out->set_name("revokedCertificates/" + record.serial);
  out->set_serial(record.serial);
  out->set_reason(record.reason);
  *out->mutable_revoke_time() = TimeUtil::MicrosecondsToTimestamp(record.revoked_at_us);
  out->set_revoked_by(record.revoked_by);
}

}  // namespace

IdentityService::IdentityService(const rpc::RpcBoundary& boundary, const auth::AccessPolicy& policy,
                                 IdentityStore& store, auth::RevocationList& revocations)
    : boundary_(boundary), policy_(policy), store_(store), revocations_(revocations) {}

grpc::Status IdentityService::WhoAmI(grpc::ServerContext* context, const v1::WhoAmIRequest* request,
                                     v1::WhoAmIResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    const auth::Principal& p = call.principal;
    auto* out = response->mutable_principal();
    out->set_display_name(p.display_name);
    out->set_role(ToProto(p.role));
    out->set_organisation(p.organisation);
    for (const auto& code : p.scope) {
      out->add_scope(code);
    }
    out->set_certificate_serial(p.certificate_serial);
    *out->mutable_certificate_expire_time() =
        TimeUtil::TimeTToTimestamp(std::chrono::system_clock::to_time_t(p.certificate_not_after));
    out->set_subject(p.subject);
    for (const auto& method : policy_.AllowedMethods(p.role)) {
      response->add_allowed_methods(method);
    }
  });
}

grpc::Status IdentityService::RevokeCertificate(grpc::ServerContext* context,
                                                const v1::RevokeCertificateRequest* request,
                                                v1::RevokedCertificate* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    const auto input =
        ValidateRevokeRequest(request->serial(), request->reason(), request->request_id());
    const auto record = store_.Revoke(call.deadline, call.audit, input);
    revocations_.Add(record.serial);  // effective in this process at once, in others on reload
    ToProto(record, response);
  });
}

grpc::Status IdentityService::ListRevokedCertificates(
    grpc::ServerContext* context, const v1::ListRevokedCertificatesRequest* request,
    v1::ListRevokedCertificatesResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const int page_size = PageSize(request->page_size(), 100, 1000, v);
    const auto after = DecodeRevocationCursor(request->page_token(), v);
    v.ThrowIfAny();
    const auto page = store_.ListRevoked(call.deadline, page_size, after);
    for (const auto& record : page.items) {
      ToProto(record, response->add_revoked_certificates());
    }
    if (page.next) {
      response->set_next_page_token(EncodeRevocationCursor(*page.next));
    }
  });
}

}  // namespace regie::identity
