#include "app.hpp"

#include <spdlog/spdlog.h>
#include <pqxx/connection>
#include <pqxx/except>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <thread>
#include <vector>

#include "audit/audit_log.hpp"
#include "audit_service.hpp"
#include "auth/pki.hpp"
#include "auth/principal.hpp"
#include "auth/revocation_list.hpp"
#include "crypto.hpp"
#include "db/migrations.hpp"
#include "db/pool.hpp"
#include "db/replica.hpp"
#include "db/session.hpp"
#include "identity_service.hpp"
#include "identity_store.hpp"
#include "rpc/boundary.hpp"
#include "rpc/call_registry.hpp"
#include "rpc/server_host.hpp"

namespace regie::server {
namespace {

// The server warns at start-up when its own certificate expires sooner than this
// (`regie health --warn-days` tells callers the same ahead of time).
constexpr int kCertificateWarningDays = 30;

std::string ReadFile(const std::string& path, const std::string& what) {
  if (path.empty()) {
    throw StartupError(what + " is not configured");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw StartupError(what + " " + path + " cannot be read");
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void Require(bool ok, const std::string& message) {
  if (!ok) {
    throw StartupError(message);
  }
}

void ValidateNumbers(const AppConfig& c) {
  Require(c.db_pool_size >= 1 && c.db_pool_size <= 200, "--db-pool-size must be 1..200");
  Require(c.max_threads >= 0 && c.max_threads <= 1000, "--max-threads must be 0..1000");
  Require(c.max_deadline_ms >= 100 && c.max_deadline_ms <= 600000,
          "--max-deadline-ms must be 100..600000");
  Require(c.seal_interval_ms >= 10 && c.seal_interval_ms <= 3600000,
          "--seal-interval-ms must be 10..3600000");
  Require(c.checkpoint_interval_ms >= 0 && c.checkpoint_interval_ms <= 86400000,
          "--checkpoint-interval-ms must be 0..86400000");
  Require(c.revocation_refresh_ms >= 100 && c.revocation_refresh_ms <= 3600000,
          "--revocation-refresh-ms must be 100..3600000");
  Require(c.calendar_interval_ms == 0 ||
              (c.calendar_interval_ms >= 100 && c.calendar_interval_ms <= 86400000),
          "--calendar-interval-ms must be 0 (off) or 100..86400000");
  Require(c.drain_delay_ms >= 0 && c.drain_delay_ms <= 600000,
          "--drain-delay-ms must be 0..600000");
  Require(c.drain_grace_ms >= 0 && c.drain_grace_ms <= 600000,
          "--drain-grace-ms must be 0..600000");
  Require(c.tls_reload_seconds >= 0 && c.tls_reload_seconds <= 86400,
          "--tls-reload-seconds must be 0 (off) or 1..86400");
  Require(c.max_connection_age_seconds >= 0 && c.max_connection_age_seconds <= 86400,
          "--max-connection-age-seconds must be 0 (off) or 1..86400");
  Require(!c.database_url.empty(), "--database-url (REGIE_DATABASE_URL) is required");
  const auto colon = c.listen_address.rfind(':');
  Require(colon != std::string::npos && colon + 1 < c.listen_address.size(),
          "--listen must be host:port, not '" + c.listen_address + "'");
  Require(!c.dev_plaintext || rpc::IsLoopbackAddress(c.listen_address),
          "--dev-plaintext is allowed only on a loopback address, not on " + c.listen_address);
}

}  // namespace

// Everything a running process holds, in construction order.
struct App::Parts {
  std::string ca_pem;
  std::string cert_pem;
  std::string key_pem;
  auth::CertificateInfo certificate;
  // Before everything that reports to it (the pool, the boundary), so that it goes last.
  metrics::Metrics metrics;
  int metrics_port = 0;
  std::unique_ptr<db::ConnectionPool> pool;
  std::unique_ptr<db::ReplicaMonitor> replica;      // with a read URL only
  std::unique_ptr<db::ConnectionPool> read_pool;    // likewise
  std::unique_ptr<db::StandbyReads> standby_reads;  // likewise
  const auth::AccessPolicy* policy = nullptr;
  auth::RevocationList revocations;
  rpc::CallRegistry registry;
  std::unique_ptr<rpc::RpcBoundary> boundary;
  std::unique_ptr<identity::PgIdentityStore> identity_store;
  std::unique_ptr<identity::IdentityService> identity_service;
  std::unique_ptr<audit::AuditService> audit_service;
  std::vector<std::unique_ptr<rpc::ServiceBundle>> areas;
  std::unique_ptr<audit::Sealer> sealer;
  std::unique_ptr<rpc::ServerHost> host;
};

App::App(AppConfig config, std::vector<rpc::BundleFactory> areas, const auth::AccessPolicy& policy)
    : config_(std::move(config)), parts_(std::make_unique<Parts>()) {
  ValidateNumbers(config_);
  auto& p = *parts_;
  p.policy = &policy;
  p.ca_pem = ReadFile(config_.tls_ca_file, "--tls-ca (REGIE_TLS_CA)");
  p.cert_pem = ReadFile(config_.tls_cert_file, "--tls-cert (REGIE_TLS_CERT)");
  p.key_pem = ReadFile(config_.tls_key_file, "--tls-key (REGIE_TLS_KEY)");
  try {
    p.certificate = auth::ParseCertificate(p.cert_pem);
    auth::ParseCertificate(p.ca_pem);
    Require(auth::KeyMatchesCertificate(p.key_pem, p.cert_pem),
            "--tls-key " + config_.tls_key_file + " does not belong to --tls-cert " +
                config_.tls_cert_file);
  } catch (const auth::PkiError& e) {
    throw StartupError(std::string("TLS material is not usable: ") + e.what());
  }
  std::string why;
  Require(auth::VerifyIssuedBy(p.cert_pem, p.ca_pem, why), "--tls-cert " + config_.tls_cert_file +
                                                               " is not valid for --tls-ca " +
                                                               config_.tls_ca_file + ": " + why);
  const auto days_left = std::chrono::floor<std::chrono::days>(p.certificate.not_after -
                                                               std::chrono::system_clock::now())
                             .count();
  if (days_left < kCertificateWarningDays) {
    spdlog::warn(
        "the server certificate {} ({}) expires in {} days: renew it; the server reads renewed "
        "files within --tls-reload-seconds",
        config_.tls_cert_file, p.certificate.subject, days_left);
  }

  // One connection first: an unreachable database or a migration problem stops the start.
  try {
    pqxx::connection probe(config_.database_url);
    db::CheckMigrations(probe, db::EmbeddedMigrationSet());
  } catch (const pqxx::broken_connection& e) {
    std::string reason = e.what();
    while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) {
      reason.pop_back();
    }
    for (auto& c : reason) {
      c = (c == '\n') ? ' ' : c;
    }
    throw StartupError("cannot reach the database: " + reason);
  } catch (const db::MigrationError& e) {
    throw StartupError(std::string("database schema: ") + e.what());
  } catch (const pqxx::failure& e) {
    throw StartupError(std::string("database error at start: ") + e.what());
  }

  const std::string application_name = config_.application_name;
  p.pool = std::make_unique<db::ConnectionPool>(db::PoolOptions{
      config_.database_url, config_.db_pool_size,
      [application_name](pqxx::connection& c) { db::SetUpSession(c, application_name); }});
  p.metrics.WatchPool(*p.pool);
  if (!config_.database_read_url.empty()) {
    p.replica = std::make_unique<db::ReplicaMonitor>(
        config_.database_read_url, std::chrono::milliseconds(config_.max_replica_lag_ms));
    auto* replica = p.replica.get();
    p.read_pool = std::make_unique<db::ConnectionPool>(db::PoolOptions{
        config_.database_read_url, config_.db_pool_size,
        [application_name](pqxx::connection& c) { db::SetUpSession(c, application_name); },
        p.pool.get(), [replica] { return replica->usable(); },
        [replica] { replica->MarkUnreachable(); }});
    p.standby_reads = std::make_unique<db::StandbyReads>(*p.pool, *p.read_pool);
    p.metrics.WatchReplica(*p.replica, *p.standby_reads);
  }
  p.boundary = std::make_unique<rpc::RpcBoundary>(
      p.registry, policy, p.revocations,
      rpc::BoundaryOptions{std::chrono::milliseconds(config_.max_deadline_ms), &p.metrics,
                           p.standby_reads.get()});
  if (!config_.dev_plaintext) {
    p.metrics.WatchCertificate("server", config_.tls_cert_file);
    p.metrics.WatchCertificate("ca", config_.tls_ca_file);
  }
  p.identity_store = std::make_unique<identity::PgIdentityStore>(*p.pool);
  p.identity_service = std::make_unique<identity::IdentityService>(
      *p.boundary, policy, *p.identity_store, p.revocations);
  p.audit_service = std::make_unique<audit::AuditService>(*p.boundary, *p.pool);
  p.sealer = std::make_unique<audit::Sealer>(
      *p.pool, audit::SealerOptions{p.key_pem, p.cert_pem,
                                    std::chrono::milliseconds(config_.checkpoint_interval_ms)});

  std::vector<grpc::Service*> services{p.identity_service.get(), p.audit_service.get()};
  std::vector<std::string> names{regie::identity::v1::IdentityService::service_full_name(),
                                 regie::audit::v1::AuditService::service_full_name()};
  for (const auto& make : areas) {
    auto& area = p.areas.emplace_back(
        make(rpc::ServiceParts{*p.pool, *p.boundary, p.read_pool ? *p.read_pool : *p.pool}));
    for (auto& counter : area->counters()) {
      p.metrics.WatchCounter(counter);
    }
    for (auto& writer : area->batched_writers()) {
      p.metrics.WatchBatchedWriter(writer);
    }
    for (auto* service : area->services()) {
      services.push_back(service);
    }
    for (auto& name : area->service_names()) {
      names.push_back(std::move(name));
    }
  }

  const int threads = config_.max_threads > 0 ? config_.max_threads : 4 * config_.db_pool_size;
  p.host = std::make_unique<rpc::ServerHost>(
      rpc::ServerHostOptions{.listen_address = config_.listen_address,
                             .ca_pem = p.ca_pem,
                             .certificate_pem = p.cert_pem,
                             .key_pem = p.key_pem,
                             .dev_plaintext = config_.dev_plaintext,
                             .max_threads = std::max(threads, 4),
                             .ca_file = config_.tls_ca_file,
                             .certificate_file = config_.tls_cert_file,
                             .key_file = config_.tls_key_file,
                             .tls_reload_seconds = config_.tls_reload_seconds,
                             .health_listen_address = config_.health_listen,
                             .max_connection_age_seconds = config_.max_connection_age_seconds,
                             // Calls in flight when a connection ages out get what a drain gives.
                             .max_connection_age_grace_ms = config_.drain_grace_ms},
      p.registry, std::move(services), std::move(names));
}

App::~App() { Shutdown(std::chrono::milliseconds(0), std::chrono::milliseconds(0)); }

void App::Start() {
  auto& p = *parts_;
  const auto deadline = db::Clock::now() + std::chrono::seconds(10);
  try {
    // This process's signing key, and the revocations made so far.
    p.sealer->RegisterSigningKey(
        deadline, audit::AuditContext{p.certificate.subject, "server", p.certificate.organisation,
                                      "regie-server/start", NewRequestId(),
                                      Sha256(p.certificate.serial_hex)});
    p.revocations.AddAll(p.identity_store->RevokedSerials(deadline));
    if (p.replica) {
      p.replica->Check(*p.pool, deadline);  // reads may use the standby from the first call
      spdlog::info("read replica {}", p.replica->usable() ? "usable" : "not usable yet");
    }
  } catch (const std::exception& e) {
    throw StartupError(std::string("cannot prepare the database session: ") + e.what());
  }
  try {
    p.host->Start();
  } catch (const std::exception& e) {
    throw StartupError(e.what());
  }
  if (!config_.metrics_listen.empty()) {
    try {
      p.metrics_port = p.metrics.Serve(config_.metrics_listen);
    } catch (const std::exception& e) {
      throw StartupError(e.what());
    }
  }
  started_ = true;
  background_ = std::thread([this] { BackgroundLoop(); });
  spdlog::info("{} listening on {} (port {}, {})", config_.application_name, config_.listen_address,
               p.host->port(),
               config_.dev_plaintext ? "PLAINTEXT, development only" : "mutual TLS");
  if (p.host->health_port() != 0) {
    spdlog::info("health (grpc.health.v1, plaintext) on {} (port {})", config_.health_listen,
                 p.host->health_port());
  }
  if (p.metrics_port != 0) {
    spdlog::info("metrics on http://{}/metrics (port {})", config_.metrics_listen, p.metrics_port);
  }
}

int App::metrics_port() const { return parts_->metrics_port; }

int App::health_port() const { return parts_->host->health_port(); }

const metrics::Metrics& App::metrics() const { return parts_->metrics; }

int App::port() const { return parts_->host->port(); }

void App::SealNow() {
  parts_->metrics.Sealed(parts_->sealer->SealAll(db::Clock::now() + std::chrono::seconds(10)));
}

void App::TickNow() {
  for (auto& area : parts_->areas) {
    area->Tick(db::Clock::now() + std::chrono::seconds(30));
  }
}

void App::BackgroundLoop() {
  // Sealing (with the standby's lag), reloading revocations and the calendar each keep their own
  // interval: the loop sleeps until the first of them is due, so that a long seal interval delays
  // neither revocations nor the calendar. Health is NOT_SERVING while any of them fails; a job that
  // failed is tried again within a second.
  auto& p = *parts_;
  using Clock = db::Clock;
  struct Periodic {
    Clock::duration every;
    Clock::time_point next;
    std::function<void(Clock::time_point deadline)> run;
    bool failing = false;
  };
  const auto started = Clock::now();
  const auto seal_every = std::chrono::milliseconds(config_.seal_interval_ms);
  const auto reload_every = std::chrono::milliseconds(config_.revocation_refresh_ms);
  std::vector<Periodic> work;
  work.push_back({seal_every, started + seal_every, [&](Clock::time_point deadline) {
                    p.metrics.Sealed(p.sealer->SealOnce(deadline));
                    if (p.replica) {
                      p.replica->Check(*p.pool, deadline);
                    }
                  }});
  work.push_back({reload_every, started + reload_every, [&](Clock::time_point deadline) {
                    p.revocations.AddAll(p.identity_store->RevokedSerials(deadline));
                  }});
  if (config_.calendar_interval_ms > 0) {  // first right after start
    work.push_back({std::chrono::milliseconds(config_.calendar_interval_ms), started,
                    [this](Clock::time_point) { TickNow(); }});
  }
  bool healthy = true;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    auto due = Clock::time_point::max();
    for (const auto& periodic : work) {
      due = std::min(due, periodic.next);
    }
    if (wake_.wait_until(lock, due, [this] { return stopping_; })) {
      break;
    }
    lock.unlock();
    std::string failure;
    for (auto& periodic : work) {
      const auto now = Clock::now();
      if (now < periodic.next) {
        continue;
      }
      try {
        // No background call waits for the database longer than half a minute.
        periodic.run(now + std::min<Clock::duration>(periodic.every, std::chrono::seconds(25)) +
                     std::chrono::seconds(5));
        periodic.failing = false;
      } catch (const std::exception& e) {
        periodic.failing = true;
        failure = e.what();
      }
      // The pause after a run; a failed one is tried again within a second, so that health turns
      // SERVING again soon after the database is back, whatever the job's interval.
      periodic.next =
          Clock::now() + (periodic.failing
                              ? std::min<Clock::duration>(periodic.every, std::chrono::seconds(1))
                              : periodic.every);
    }
    const bool failing =
        std::any_of(work.begin(), work.end(), [](const Periodic& w) { return w.failing; });
    if (failing && healthy) {
      spdlog::warn("background work failed, health NOT_SERVING until it succeeds: {}", failure);
      p.host->SetServing(false);
      healthy = false;
    } else if (!failing && !healthy) {
      spdlog::info("database reachable again: serving");
      p.host->SetServing(true);
      healthy = true;
    }
    lock.lock();
  }
}

void App::Shutdown() {
  Shutdown(std::chrono::milliseconds(config_.drain_delay_ms),
           std::chrono::milliseconds(config_.drain_grace_ms));
}

void App::Shutdown(std::chrono::milliseconds delay, std::chrono::milliseconds grace) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      return;
    }
    stopping_ = true;
  }
  wake_.notify_all();
  // Draining does not wait for the background work, which may be busy with the database.
  auto& p = *parts_;
  if (p.host) {
    p.boundary->StartDraining();
    p.host->StopServing();
    if (started_ && delay.count() > 0) {
      spdlog::info("draining: NOT_SERVING and refusing new calls for {} ms", delay.count());
      std::this_thread::sleep_for(delay);
    }
    p.host->Shutdown(grace);
  }
  if (background_.joinable()) {
    background_.join();
  }
  try {
    if (started_) {
      SealNow();
    }
  } catch (const std::exception& e) {
    spdlog::warn("last seal at shutdown failed: {}", e.what());
  }
  // Scrapes read the pools, which go before the metrics do.
  p.metrics.StopServing();
}

}  // namespace regie::server
