// The command line of every Regie server process (regie-server and the per-area daemons): flags
// and REGIE_* environment variables -> AppConfig -> App, then serve until SIGTERM or SIGINT.

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <malloc.h>

#include <algorithm>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <string>
#include <thread>

#include "server_main.hpp"

#include "app.hpp"
#include "grpc_runtime/grpc_runtime.hpp"

namespace regie::server {

namespace {

// One glibc malloc arena per core (two at least), unless the operator chose otherwise with
// GLIBC_TUNABLES. glibc's default is eight per core, and an arena keeps what its threads freed:
// the server keeps its RPC threads (rpc::ServerHost), and after the benchmark's submissions and
// uploads its resident memory was 229 MB with the default and 64 MB with one arena per core, at
// the same throughput (docs/performance.md).
void LimitMallocArenas() {
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  if (tunables != nullptr && std::string(tunables).find("arena_max") != std::string::npos) {
    return;
  }
  mallopt(M_ARENA_MAX, static_cast<int>(std::max(2U, std::thread::hardware_concurrency())));
}

}  // namespace

int RunServerMain(int argc, char** argv, const std::string& program, const std::string& description,
                  std::vector<rpc::BundleFactory> areas) {
  grpc_runtime::DisableMutexDeadlockDetection();
  LimitMallocArenas();
  AppConfig config;
  config.application_name = program;
  std::string log_level = "info";
  CLI::App cli{program + ": " + description};
  cli.option_defaults()->always_capture_default();
  cli.add_option("--listen", config.listen_address, "host:port to listen on (port 0: any free)")
      ->envname("REGIE_LISTEN");
  cli.add_option("--database-url", config.database_url, "PostgreSQL connection string or URI")
      ->envname("REGIE_DATABASE_URL");
  cli.add_option("--database-read-url", config.database_read_url,
                 "a hot standby for auditor queries and exports, which may lag (default: none)")
      ->envname("REGIE_DATABASE_READ_URL");
  cli.add_option("--max-replica-lag-ms", config.max_replica_lag_ms,
                 "read from the standby only while it is at most this far behind the primary")
      ->envname("REGIE_MAX_REPLICA_LAG_MS");
  cli.add_option("--tls-ca", config.tls_ca_file,
                 "CA certificate that client certificates must chain to")
      ->envname("REGIE_TLS_CA");
  cli.add_option("--tls-cert", config.tls_cert_file,
                 "server certificate (also signs audit checkpoints)")
      ->envname("REGIE_TLS_CERT");
  cli.add_option("--tls-key", config.tls_key_file, "server private key")->envname("REGIE_TLS_KEY");
  cli.add_option("--drain-delay-ms", config.drain_delay_ms,
                 "on SIGTERM: how long health says NOT_SERVING and new calls are refused before "
                 "the listener closes")
      ->envname("REGIE_DRAIN_DELAY_MS");
  cli.add_option("--drain-grace-ms", config.drain_grace_ms,
                 "on SIGTERM: how long calls in flight may take to finish after that")
      ->envname("REGIE_DRAIN_GRACE_MS");
  cli.add_option("--tls-reload-seconds", config.tls_reload_seconds,
                 "look for a renewed certificate, key or CA in the files this often (0: never); "
                 "new connections use them, open ones carry on")
      ->envname("REGIE_TLS_RELOAD_SECONDS");
  cli.add_option("--metrics-listen", config.metrics_listen,
                 "serve Prometheus metrics over plain HTTP at http://HOST:PORT/metrics "
                 "(default: not at all); keep it on a private network")
      ->envname("REGIE_METRICS_LISTEN");
  cli.add_option("--health-listen", config.health_listen,
                 "also answer grpc.health.v1 (and nothing else) in plaintext on HOST:PORT, for "
                 "probes that cannot speak mutual TLS, such as Kubernetes' (default: not at all)")
      ->envname("REGIE_HEALTH_LISTEN");
  cli.add_option("--max-connection-age-seconds", config.max_connection_age_seconds,
                 "close each client connection after about this long (calls in flight get "
                 "--drain-grace-ms), so that clients behind a TCP balancer reconnect and spread "
                 "over the replicas (0: never)")
      ->envname("REGIE_MAX_CONNECTION_AGE_SECONDS");
  cli.add_flag("--dev-plaintext", config.dev_plaintext,
               "DEVELOPMENT ONLY: no TLS, loopback addresses only; only health answers")
      ->envname("REGIE_DEV_PLAINTEXT");
  cli.add_option("--db-pool-size", config.db_pool_size, "database connections at most")
      ->envname("REGIE_DB_POOL_SIZE");
  cli.add_option("--max-threads", config.max_threads,
                 "RPC threads at most (0: four times the pool)")
      ->envname("REGIE_MAX_THREADS");
  cli.add_option("--max-deadline-ms", config.max_deadline_ms, "deadline cap for every RPC")
      ->envname("REGIE_MAX_DEADLINE_MS");
  cli.add_option("--seal-interval-ms", config.seal_interval_ms, "how often the audit log is sealed")
      ->envname("REGIE_SEAL_INTERVAL_MS");
  cli.add_option("--checkpoint-interval-ms", config.checkpoint_interval_ms,
                 "minimum time between signed audit checkpoints")
      ->envname("REGIE_CHECKPOINT_INTERVAL_MS");
  cli.add_option("--revocation-refresh-ms", config.revocation_refresh_ms,
                 "how often revoked certificates are reloaded")
      ->envname("REGIE_REVOCATION_REFRESH_MS");
  cli.add_option("--calendar-interval-ms", config.calendar_interval_ms,
                 "how often date-driven work runs (covenants starting or ending); 0: never")
      ->envname("REGIE_CALENDAR_INTERVAL_MS");
  cli.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->envname("REGIE_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error"}));
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      return cli.exit(e);
    }
    std::cerr << program << ": " << e.what() << "\n";
    return 2;
  }
  spdlog::set_level(spdlog::level::from_str(log_level));

  // SIGTERM and SIGINT are taken synchronously by this thread; every other thread blocks them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  try {
    App app(config, std::move(areas));
    app.Start();
    int signal = 0;
    sigwait(&signals, &signal);
    spdlog::info("signal {}: draining", signal);
    app.Shutdown();
  } catch (const StartupError& e) {
    std::cerr << program << ": " << e.what() << "\n";
    return 2;
  }
  return 0;
}

}  // namespace regie::server
