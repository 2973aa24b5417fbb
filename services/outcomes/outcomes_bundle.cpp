#include "outcomes_bundle.hpp"

#include "outcome_services.hpp"

namespace regie::outcomes {
namespace {

class OutcomesBundle final : public rpc::ServiceBundle {
 public:
  explicit OutcomesBundle(const rpc::ServiceParts& parts)
      : covenant_store_(parts.pool),
        consultation_store_(parts.pool),
        provider_store_(parts.pool),
        indicator_store_(parts.pool),
        agreement_store_(parts.pool),
        settlement_store_(parts.pool),
        results_(parts.pool),
        indicator_service_(parts.boundary, indicator_store_),
        agreement_service_(parts.boundary, covenant_store_, consultation_store_, provider_store_,
                           indicator_store_, agreement_store_),
        settlement_service_(parts.boundary, covenant_store_, indicator_store_, agreement_store_,
                            settlement_store_, results_) {}

  std::vector<grpc::Service*> services() override {
    return {&indicator_service_, &agreement_service_, &settlement_service_};
  }

  std::vector<std::string> service_names() const override {
    return {v1::IndicatorService::service_full_name(), v1::AgreementService::service_full_name(),
            v1::SettlementService::service_full_name()};
  }

 private:
  covenants::PgCovenantStore covenant_store_;
  covenants::PgConsultationStore consultation_store_;
  providers::PgProviderStore provider_store_;
  PgIndicatorStore indicator_store_;
  PgAgreementStore agreement_store_;
  PgSettlementStore settlement_store_;
  PgResultsReader results_;
  IndicatorService indicator_service_;
  AgreementService agreement_service_;
  SettlementService settlement_service_;
};

}  // namespace

std::unique_ptr<rpc::ServiceBundle> MakeOutcomesBundle(const rpc::ServiceParts& parts) {
  return std::make_unique<OutcomesBundle>(parts);
}

}  // namespace regie::outcomes
