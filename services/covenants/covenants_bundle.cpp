#include "covenants_bundle.hpp"

#include "reference_service.hpp"
#include "reference_store.hpp"

namespace regie::covenants {
namespace {

class CovenantsBundle final : public rpc::ServiceBundle {
 public:
  explicit CovenantsBundle(const rpc::ServiceParts& parts)
      : reference_store_(parts.pool), reference_service_(parts.boundary, reference_store_) {}

  std::vector<grpc::Service*> services() override { return {&reference_service_}; }
  std::vector<std::string> service_names() const override {
    return {v1::ReferenceDataService::service_full_name()};
  }

 private:
  PgReferenceStore reference_store_;
  ReferenceDataService reference_service_;
};

}  // namespace

std::unique_ptr<rpc::ServiceBundle> MakeCovenantsBundle(const rpc::ServiceParts& parts) {
  return std::make_unique<CovenantsBundle>(parts);
}

}  // namespace regie::covenants
