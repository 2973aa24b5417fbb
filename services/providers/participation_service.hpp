#pragma once

// gRPC adapter of regie.providers.v1.ParticipationService: participations and the public register.

#include "covenant_store.hpp"
#include "providers_store.hpp"
#include "regie/providers/v1/participations.grpc.pb.h"
#include "rpc/boundary.hpp"

namespace regie::providers {

class ParticipationService final : public v1::ParticipationService::Service {
 public:
  ParticipationService(const rpc::RpcBoundary& boundary, covenants::CovenantStore& covenants,
                       ProviderStore& providers, ParticipationStore& participations);

  grpc::Status GetParticipation(grpc::ServerContext* context,
                                const v1::GetParticipationRequest* request,
                                v1::Participation* response) override;
  grpc::Status ListParticipations(grpc::ServerContext* context,
                                  const v1::ListParticipationsRequest* request,
                                  v1::ListParticipationsResponse* response) override;
  grpc::Status SuspendParticipation(grpc::ServerContext* context,
                                    const v1::SuspendParticipationRequest* request,
                                    v1::Participation* response) override;
  grpc::Status ReinstateParticipation(grpc::ServerContext* context,
                                      const v1::ReinstateParticipationRequest* request,
                                      v1::Participation* response) override;
  grpc::Status EndParticipation(grpc::ServerContext* context,
                                const v1::EndParticipationRequest* request,
                                v1::Participation* response) override;
  grpc::Status GetRegister(grpc::ServerContext* context, const v1::GetRegisterRequest* request,
                           v1::Register* response) override;

 private:
  const rpc::RpcBoundary& boundary_;
  covenants::CovenantStore& covenants_;
  ProviderStore& providers_;
  ParticipationStore& participations_;
};

}  // namespace regie::providers
