#pragma once

// gRPC adapter of regie.covenants.v1.CovenantService.

#include "covenant_store.hpp"
#include "regie/covenants/v1/covenants.grpc.pb.h"
#include "rpc/boundary.hpp"

namespace regie::covenants {

class CovenantService final : public v1::CovenantService::Service {
 public:
  CovenantService(const rpc::RpcBoundary& boundary, CovenantStore& store);

  grpc::Status CreateCovenant(grpc::ServerContext* context,
                              const v1::CreateCovenantRequest* request,
                              v1::Covenant* response) override;
  grpc::Status GetCovenant(grpc::ServerContext* context, const v1::GetCovenantRequest* request,
                           v1::Covenant* response) override;
  grpc::Status ListCovenants(grpc::ServerContext* context, const v1::ListCovenantsRequest* request,
                             v1::ListCovenantsResponse* response) override;
  grpc::Status UpdateCovenant(grpc::ServerContext* context,
                              const v1::UpdateCovenantRequest* request,
                              v1::Covenant* response) override;
  grpc::Status PublishCovenant(grpc::ServerContext* context,
                               const v1::PublishCovenantRequest* request,
                               v1::Covenant* response) override;
  grpc::Status ExtendCovenant(grpc::ServerContext* context,
                              const v1::ExtendCovenantRequest* request,
                              v1::Covenant* response) override;
  grpc::Status TerminateCovenant(grpc::ServerContext* context,
                                 const v1::TerminateCovenantRequest* request,
                                 v1::Covenant* response) override;
  grpc::Status ListCovenantVersions(grpc::ServerContext* context,
                                    const v1::ListCovenantVersionsRequest* request,
                                    v1::ListCovenantVersionsResponse* response) override;
  grpc::Status DiffCovenantVersions(grpc::ServerContext* context,
                                    const v1::DiffCovenantVersionsRequest* request,
                                    v1::DiffCovenantVersionsResponse* response) override;
  grpc::Status ListDeadlines(grpc::ServerContext* context, const v1::ListDeadlinesRequest* request,
                             v1::ListDeadlinesResponse* response) override;

  // Lots and requirements, served from the terms in force (catalogue_service.cpp).
  grpc::Status GetLot(grpc::ServerContext* context, const v1::GetLotRequest* request,
                      v1::Lot* response) override;
  grpc::Status ListLots(grpc::ServerContext* context, const v1::ListLotsRequest* request,
                        v1::ListLotsResponse* response) override;
  grpc::Status GetRequirement(grpc::ServerContext* context,
                              const v1::GetRequirementRequest* request,
                              v1::Requirement* response) override;
  grpc::Status ListRequirements(grpc::ServerContext* context,
                                const v1::ListRequirementsRequest* request,
                                v1::ListRequirementsResponse* response) override;

 private:
  // Changes a covenant after checking that the caller manages it (NOT_FOUND when it may not even
  // see it) and that `etag`, when given, is current; `apply` fills in the change.
  CovenantRecord ChangeAsManager(
      const rpc::Call& call, const std::string& covenant_id, const std::string& etag,
      const std::function<void(const CovenantRecord&, CovenantChange&)>& apply);

  const rpc::RpcBoundary& boundary_;
  CovenantStore& store_;
};

}  // namespace regie::covenants
