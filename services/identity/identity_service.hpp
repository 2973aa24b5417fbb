#pragma once

// gRPC adapter of regie.identity.v1.IdentityService: protobuf in, domain calls, protobuf out.

#include "auth/access_policy.hpp"
#include "auth/revocation_list.hpp"
#include "identity_store.hpp"
#include "regie/identity/v1/identity.grpc.pb.h"
#include "rpc/boundary.hpp"

namespace regie::identity {

class IdentityService final : public regie::identity::v1::IdentityService::Service {
 public:
  IdentityService(const rpc::RpcBoundary& boundary, const auth::AccessPolicy& policy,
                  IdentityStore& store, auth::RevocationList& revocations);

  grpc::Status WhoAmI(grpc::ServerContext* context, const v1::WhoAmIRequest* request,
                      v1::WhoAmIResponse* response) override;
  grpc::Status RevokeCertificate(grpc::ServerContext* context,
                                 const v1::RevokeCertificateRequest* request,
                                 v1::RevokedCertificate* response) override;
  grpc::Status ListRevokedCertificates(grpc::ServerContext* context,
                                       const v1::ListRevokedCertificatesRequest* request,
                                       v1::ListRevokedCertificatesResponse* response) override;

 private:
  const rpc::RpcBoundary& boundary_;
  const auth::AccessPolicy& policy_;
  IdentityStore& store_;
  auth::RevocationList& revocations_;
};

}  // namespace regie::identity
