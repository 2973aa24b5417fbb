#pragma once

// gRPC adapter of regie.providers.v1.AdmissionService: applications, assessments, decisions,
// objections and the equal-treatment report.

#include "covenant_store.hpp"
#include "providers_store.hpp"
#include "regie/providers/v1/admission.grpc.pb.h"
#include "rpc/boundary.hpp"

namespace regie::providers {

class AdmissionService final : public v1::AdmissionService::Service {
 public:
  AdmissionService(const rpc::RpcBoundary& boundary, covenants::CovenantStore& covenants,
                   ProviderStore& providers, AdmissionStore& applications);

  grpc::Status SubmitApplication(grpc::ServerContext* context,
                                 const v1::SubmitApplicationRequest* request,
                                 v1::Application* response) override;
  grpc::Status GetApplication(grpc::ServerContext* context,
                              const v1::GetApplicationRequest* request,
                              v1::Application* response) override;
  grpc::Status ListApplications(grpc::ServerContext* context,
                                const v1::ListApplicationsRequest* request,
                                v1::ListApplicationsResponse* response) override;
  grpc::Status WithdrawApplication(grpc::ServerContext* context,
                                   const v1::WithdrawApplicationRequest* request,
                                   v1::Application* response) override;
  grpc::Status AssessRequirement(grpc::ServerContext* context,
                                 const v1::AssessRequirementRequest* request,
                                 v1::Application* response) override;
  grpc::Status DecideLot(grpc::ServerContext* context, const v1::DecideLotRequest* request,
                         v1::Application* response) override;
  grpc::Status RegisterObjection(grpc::ServerContext* context,
                                 const v1::RegisterObjectionRequest* request,
                                 v1::Application* response) override;
  grpc::Status RecordEarlierAdmission(grpc::ServerContext* context,
                                      const v1::RecordEarlierAdmissionRequest* request,
                                      v1::Application* response) override;
  grpc::Status GetAdmissionReport(grpc::ServerContext* context,
                                  const v1::GetAdmissionReportRequest* request,
                                  v1::AdmissionReport* response) override;

 private:
  const rpc::RpcBoundary& boundary_;
  covenants::CovenantStore& covenants_;
  ProviderStore& providers_;
  AdmissionStore& applications_;
};

}  // namespace regie::providers
