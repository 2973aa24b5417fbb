#pragma once

// gRPC adapter of regie.covenants.v1.ReferenceDataService.

#include "reference_store.hpp"
#include "regie/covenants/v1/reference.grpc.pb.h"
#include "rpc/boundary.hpp"

namespace regie::covenants {

class ReferenceDataService final : public v1::ReferenceDataService::Service {
 public:
  ReferenceDataService(const rpc::RpcBoundary& boundary, ReferenceStore& store);

  grpc::Status GetMunicipality(grpc::ServerContext* context,
                               const v1::GetMunicipalityRequest* request,
                               v1::Municipality* response) override;
  grpc::Status ListMunicipalities(grpc::ServerContext* context,
                                  const v1::ListMunicipalitiesRequest* request,
                                  v1::ListMunicipalitiesResponse* response) override;
  grpc::Status CreateMunicipality(grpc::ServerContext* context,
                                  const v1::CreateMunicipalityRequest* request,
                                  v1::Municipality* response) override;
  grpc::Status GetRegion(grpc::ServerContext* context, const v1::GetRegionRequest* request,
                         v1::Region* response) override;
  grpc::Status ListRegions(grpc::ServerContext* context, const v1::ListRegionsRequest* request,
                           v1::ListRegionsResponse* response) override;
  grpc::Status CreateRegion(grpc::ServerContext* context, const v1::CreateRegionRequest* request,
                            v1::Region* response) override;

 private:
  const rpc::RpcBoundary& boundary_;
  ReferenceStore& store_;
};

}  // namespace regie::covenants
