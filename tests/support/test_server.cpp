#include "test_server.hpp"

#include "fixtures.hpp"

#include "covenants_bundle.hpp"
#include "outcomes_bundle.hpp"
#include "providers_bundle.hpp"
#include "reports_bundle.hpp"

namespace regie::testing {

TestServer::TestServer(TestPki& pki, const auth::AccessPolicy& policy,
                       const std::function<void(server::AppConfig&)>& adjust,
                       std::vector<rpc::BundleFactory> areas)
    : pki_(pki) {
  server::AppConfig config;
  config.listen_address = "127.0.0.1:0";
  config.tls_ca_file = pki.ca_file();
  config.tls_cert_file = pki.server.certificate;
  config.tls_key_file = pki.server.key;
  config.db_pool_size = 4;
  config.seal_interval_ms = 50;
  config.checkpoint_interval_ms = 0;
  config.revocation_refresh_ms = 200;
  config.calendar_interval_ms = 0;  // tests run the calendar themselves (App::TickNow)
  config.application_name = "regie-test";
  if (adjust) {
    adjust(config);  // may name a database of its own (database_url)
  }
  if (config.database_url.empty()) {
    config.database_url = PgCluster::Shared().CreateMigratedDatabase();
  }
  dsn_ = config.database_url;
  if (areas.empty()) {
    areas = {covenants::MakeCovenantsBundle, providers::MakeProvidersBundle,
             outcomes::MakeOutcomesBundle, reports::MakeReportsBundle};
  }
  app_ = std::make_unique<server::App>(config, std::move(areas), policy);
  app_->Start();
}

TestServer::~TestServer() {
  app_->Shutdown(std::chrono::milliseconds(0), std::chrono::milliseconds(500));
}

client::RegieClient TestServer::Client(const TestIdentity& identity) const {
  return client::RegieClient(client::OpenChannel(pki_.ProfileFor(identity, address())),
                             std::chrono::seconds(10));
}

void LoadDuinstreekReferenceData(client::RegieClient& admin) {
  for (const auto& m : DuinstreekMunicipalities()) {
    admin.CreateMunicipality(m.code, m.display_name, "");
  }
  admin.CreateMunicipality("0363", "Amsterdam", "");
  covenants::v1::Region region;
  region.set_region_id("duinstreek");
  region.set_display_name("Regio Duinstreek");
  for (const auto& m : DuinstreekMunicipalities()) {
    region.add_municipalities("municipalities/" + m.code);
  }
  region.set_lead_municipality("municipalities/9901");
  admin.CreateRegion(region, "");
}

}  // namespace regie::testing
