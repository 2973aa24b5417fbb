#pragma once

// gRPC adapters of regie.outcomes.v1: the indicator library, outcome agreements and settlements
// (docs/adr/0008). Rules live in outcome_rules.hpp; storage behind outcomes_store.hpp.

#include "consultation_store.hpp"
#include "covenant_store.hpp"
#include "outcomes_store.hpp"
#include "providers_store.hpp"
#include "regie/outcomes/v1/agreements.grpc.pb.h"
#include "regie/outcomes/v1/indicators.grpc.pb.h"
#include "regie/outcomes/v1/settlements.grpc.pb.h"
#include "rpc/boundary.hpp"

namespace regie::outcomes {

// Who reads an agreement: the covenant's managers and auditors in scope; a provider the lot-wide
// agreements (open-house terms are the same for everyone) and its own.
bool CanReadAgreement(const auth::Principal& principal, const covenants::Participants& participants,
                      const v1::Agreement& agreement);

class IndicatorService final : public v1::IndicatorService::Service {
 public:
  IndicatorService(const rpc::RpcBoundary& boundary, IndicatorStore& indicators);

  grpc::Status GetIndicator(grpc::ServerContext* context, const v1::GetIndicatorRequest* request,
                            v1::Indicator* response) override;
  grpc::Status ListIndicators(grpc::ServerContext* context,
                              const v1::ListIndicatorsRequest* request,
                              v1::ListIndicatorsResponse* response) override;

 private:
  const rpc::RpcBoundary& boundary_;
  IndicatorStore& indicators_;
};

class AgreementService final : public v1::AgreementService::Service {
 public:
  AgreementService(const rpc::RpcBoundary& boundary, covenants::CovenantStore& covenants,
                   covenants::ConsultationStore& consultation, providers::ProviderStore& providers,
                   IndicatorStore& indicators, AgreementStore& agreements);

  grpc::Status CreateAgreement(grpc::ServerContext* context,
                               const v1::CreateAgreementRequest* request,
                               v1::Agreement* response) override;
  grpc::Status GetAgreement(grpc::ServerContext* context, const v1::GetAgreementRequest* request,
                            v1::Agreement* response) override;
  grpc::Status ListAgreements(grpc::ServerContext* context,
                              const v1::ListAgreementsRequest* request,
                              v1::ListAgreementsResponse* response) override;
  grpc::Status AmendAgreement(grpc::ServerContext* context,
                              const v1::AmendAgreementRequest* request,
                              v1::Agreement* response) override;
  grpc::Status ListAgreementVersions(grpc::ServerContext* context,
                                     const v1::ListAgreementVersionsRequest* request,
                                     v1::ListAgreementVersionsResponse* response) override;

 private:
  const rpc::RpcBoundary& boundary_;
  covenants::CovenantStore& covenants_;
  covenants::ConsultationStore& consultation_;
  providers::ProviderStore& providers_;
  IndicatorStore& indicators_;
  AgreementStore& agreements_;
};

class SettlementService final : public v1::SettlementService::Service {
 public:
  SettlementService(const rpc::RpcBoundary& boundary, covenants::CovenantStore& covenants,
                    IndicatorStore& indicators, AgreementStore& agreements,
                    SettlementStore& settlements, ResultsReader& results);

  grpc::Status RunSettlement(grpc::ServerContext* context, const v1::RunSettlementRequest* request,
                             v1::RunSettlementResponse* response) override;
  grpc::Status GetSettlement(grpc::ServerContext* context, const v1::GetSettlementRequest* request,
                             v1::Settlement* response) override;
  grpc::Status ListSettlements(grpc::ServerContext* context,
                               const v1::ListSettlementsRequest* request,
                               v1::ListSettlementsResponse* response) override;
  grpc::Status ExplainSettlement(grpc::ServerContext* context,
                                 const v1::ExplainSettlementRequest* request,
                                 v1::SettlementExplanation* response) override;
  grpc::Status ComputeRecovery(grpc::ServerContext* context,
                               const v1::ComputeRecoveryRequest* request,
                               v1::Recovery* response) override;

 private:
  // The newest version, or `version`, after checking the caller may read it.
  v1::Settlement Load(const rpc::Call& call, const std::string& name, int version);

  const rpc::RpcBoundary& boundary_;
  covenants::CovenantStore& covenants_;
  IndicatorStore& indicators_;
  AgreementStore& agreements_;
  SettlementStore& settlements_;
  ResultsReader& results_;
};

}  // namespace regie::outcomes
