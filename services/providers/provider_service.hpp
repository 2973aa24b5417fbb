#pragma once

// gRPC adapter of regie.providers.v1.ProviderService: registration and evidence.

#include "covenant_store.hpp"
#include "evidence_monitor.hpp"
#include "providers_store.hpp"
#include "regie/providers/v1/providers.grpc.pb.h"
#include "rpc/boundary.hpp"

namespace regie::providers {

class ProviderService final : public v1::ProviderService::Service {
 public:
  ProviderService(const rpc::RpcBoundary& boundary, covenants::CovenantStore& covenants,
                  ProviderStore& providers, EvidenceMonitor& monitor);

  grpc::Status RegisterProvider(grpc::ServerContext* context,
                                const v1::RegisterProviderRequest* request,
                                v1::Provider* response) override;
  grpc::Status UpdateProvider(grpc::ServerContext* context,
                              const v1::UpdateProviderRequest* request,
                              v1::Provider* response) override;
  grpc::Status GetProvider(grpc::ServerContext* context, const v1::GetProviderRequest* request,
                           v1::Provider* response) override;
  grpc::Status ListProviders(grpc::ServerContext* context, const v1::ListProvidersRequest* request,
                             v1::ListProvidersResponse* response) override;
  grpc::Status AddEvidence(grpc::ServerContext* context, const v1::AddEvidenceRequest* request,
                           v1::Evidence* response) override;
  grpc::Status ListEvidence(grpc::ServerContext* context, const v1::ListEvidenceRequest* request,
                            v1::ListEvidenceResponse* response) override;
  grpc::Status ListExpiringEvidence(grpc::ServerContext* context,
                                    const v1::ListExpiringEvidenceRequest* request,
                                    v1::ListEvidenceResponse* response) override;

 private:
  const rpc::RpcBoundary& boundary_;
  covenants::CovenantStore& covenants_;
  ProviderStore& providers_;
  EvidenceMonitor& monitor_;
};

}  // namespace regie::providers
