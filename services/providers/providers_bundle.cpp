#include "providers_bundle.hpp"

#include "admission_service.hpp"
#include "covenant_store.hpp"
#include "evidence_monitor.hpp"
#include "participation_service.hpp"
#include "provider_service.hpp"
#include "providers_store.hpp"

namespace regie::providers {
namespace {

class ProvidersBundle final : public rpc::ServiceBundle {
 public:
  explicit ProvidersBundle(const rpc::ServiceParts& parts)
      : covenant_store_(parts.pool),
        provider_store_(parts.pool),
        admission_store_(parts.pool),
        participation_store_(parts.pool),
        monitor_(covenant_store_, provider_store_, participation_store_),
        provider_service_(parts.boundary, covenant_store_, provider_store_, monitor_),
        admission_service_(parts.boundary, covenant_store_, provider_store_, admission_store_),
        participation_service_(parts.boundary, covenant_store_, provider_store_,
                               participation_store_) {}

  std::vector<grpc::Service*> services() override {
    return {&provider_service_, &admission_service_, &participation_service_};
  }
  void Tick(db::Clock::time_point deadline) override { monitor_.RunToday(deadline); }

  std::vector<std::string> service_names() const override {
    return {v1::ProviderService::service_full_name(), v1::AdmissionService::service_full_name(),
            v1::ParticipationService::service_full_name()};
  }

 private:
  covenants::PgCovenantStore covenant_store_;
  PgProviderStore provider_store_;
  PgAdmissionStore admission_store_;
  PgParticipationStore participation_store_;
  EvidenceMonitor monitor_;
  ProviderService provider_service_;
  AdmissionService admission_service_;
  ParticipationService participation_service_;
};

}  // namespace

std::unique_ptr<rpc::ServiceBundle> MakeProvidersBundle(const rpc::ServiceParts& parts) {
  return std::make_unique<ProvidersBundle>(parts);
}

}  // namespace regie::providers
