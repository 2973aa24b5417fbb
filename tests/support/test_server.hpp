#pragma once

// regie-server's App running inside the test process on 127.0.0.1 port 0 with mutual TLS, against
// a fresh migrated database of the shared test cluster.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app.hpp"
#include "pg_cluster.hpp"
#include "regie_client.hpp"
#include "test_pki.hpp"

namespace regie::testing {

class TestServer {
 public:
  // `areas`: the service areas it hosts (as a per-area daemon does); empty for all of them, as
  // regie-server does.
  explicit TestServer(TestPki& pki,
                      const auth::AccessPolicy& policy = auth::AccessPolicy::Default(),
                      const std::function<void(server::AppConfig&)>& adjust = nullptr,
                      std::vector<rpc::BundleFactory> areas = {});
  ~TestServer();

  std::string address() const { return "127.0.0.1:" + std::to_string(app_->port()); }
  const std::string& dsn() const { return dsn_; }
  server::App& app() { return *app_; }

  client::RegieClient Client(const TestIdentity& identity) const;

 private:
  TestPki& pki_;
  std::string dsn_;
  std::unique_ptr<server::App> app_;
};

// The Duinstreek municipalities and region, plus Amsterdam (0363) as an outsider, created by
// `admin`.
void LoadDuinstreekReferenceData(client::RegieClient& admin);

}  // namespace regie::testing
