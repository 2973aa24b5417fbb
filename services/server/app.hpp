#pragma once

// A Regie process: configuration -> pool -> stores -> services -> server, plus the background work
// every process does (sealing the audit log, reloading revoked certificates, reporting health).
// Every process hosts the common services (identity, audit) and the service areas it is given:
// regie-server all of them, a per-area daemon one. server_main.cpp parses flags and calls this.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "auth/access_policy.hpp"
#include "metrics/metrics.hpp"
#include "rpc/service_bundle.hpp"

namespace regie::server {

struct AppConfig {
  std::string listen_address = "127.0.0.1:7443";
  std::string database_url;  // libpq connection string or URI
  // A hot standby for reads that tolerate staleness ("": none), used while it is at most
  // `max_replica_lag_ms` behind the primary (docs/scaling.md).
  std::string database_read_url;
  int max_replica_lag_ms = 5000;
  std::string tls_ca_file;
  std::string tls_cert_file;
  std::string tls_key_file;
  bool dev_plaintext = false;
  int db_pool_size = 8;
  int max_threads = 0;  // 0: four times the pool size (docs/adr/0001)
  int max_deadline_ms = 30000;
  int seal_interval_ms = 1000;
  int checkpoint_interval_ms = 10000;
  int revocation_refresh_ms = 5000;
  int calendar_interval_ms = 60000;  // 0: no date-driven work in this process
  // How often TLS looks for a renewed certificate, key or CA in the files (0: read at start only).
  int tls_reload_seconds = 60;
  // On shutdown: how long health says NOT_SERVING (and new calls are refused) before the listener
  // closes, so that load balancers stop sending; then calls in flight get `drain_grace_ms`.
  int drain_delay_ms = 1000;
  int drain_grace_ms = 10000;
  // Where to serve Prometheus metrics over plain HTTP, "host:port" ("": nowhere). Keep it off the
  // public network: it tells load and names of RPCs, nothing about organisations or people.
  std::string metrics_listen;
  // Where to answer grpc.health.v1 alone in plaintext, "host:port", for probes that cannot speak
  // mutual TLS (Kubernetes). "": nowhere.
  std::string health_listen;
  // Close client connections after about this many seconds, so that clients behind a TCP
  // balancer reconnect and spread over the replicas (docs/scaling.md). 0: never.
  int max_connection_age_seconds = 0;
  std::string application_name = "regie-server";
};

// A problem that stops the process from starting; what() is one line for the operator.
class StartupError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class App {
 public:
  // Validates the configuration, reads the certificates, connects to the database and checks its
  // migrations. Throws StartupError.
  App(AppConfig config, std::vector<rpc::BundleFactory> areas,
      const auth::AccessPolicy& policy = auth::AccessPolicy::Default());
  ~App();

  // Starts serving and the background work. Throws StartupError.
  void Start();
  int port() const;
  int metrics_port() const;  // 0 when metrics are not served
  int health_port() const;   // 0 without a plaintext health listener
  const metrics::Metrics& metrics() const;

  // Drains and stops: new calls are refused with UNAVAILABLE and health says NOT_SERVING for
  // `drain_delay_ms`, then the listener closes and calls in flight get until `drain_grace_ms`;
  // a last seal and checkpoint.
  void Shutdown();
  // The same with other times (tests).
  void Shutdown(std::chrono::milliseconds delay, std::chrono::milliseconds grace);

  // Seals every audit event committed so far and signs a checkpoint, after waiting for a sealer
  // running elsewhere to finish (tests, shutdown).
  void SealNow();

  // Runs the calendar work of every hosted area now (tests).
  void TickNow();

 private:
  struct Parts;
  void BackgroundLoop();

  AppConfig config_;
  std::unique_ptr<Parts> parts_;
  std::thread background_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool started_ = false;
};

}  // namespace regie::server
