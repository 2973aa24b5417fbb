#pragma once

// Builds and runs the gRPC server of a Regie process: mutual TLS on every listener (plaintext only
// behind an explicit development flag and only on loopback), a bounded number of threads, health
// per service, server reflection, and the interceptor that tells the RPC boundary which method a
// call is for.

#include <grpcpp/server.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "rpc/call_registry.hpp"

namespace regie::rpc {

struct ServerHostOptions {
  std::string listen_address;  // host:port; port 0 picks a free port
  std::string ca_pem;          // clients must present a certificate issued by this CA
  std::string certificate_pem;
  std::string key_pem;
  bool dev_plaintext = false;  // development only; refused unless the address is loopback
  int max_threads = 16;
  int max_message_bytes = 4 * 1024 * 1024;
  // Certificate rotation without a restart: when `tls_reload_seconds` > 0, TLS reads the CA, the
  // certificate and the key from these files (the same contents as the PEMs above at start) and
  // looks for new contents every so many seconds; new connections get them, open ones carry on.
  std::string ca_file;
  std::string certificate_file;
  std::string key_file;
  int tls_reload_seconds = 0;
  // A second, plaintext listener that offers grpc.health.v1 alone (with the same statuses), for
  // probes that cannot speak mutual TLS, such as Kubernetes' grpc probes. "" for none.
  std::string health_listen_address;
  // Close each client connection (GOAWAY) after about this long, so that clients behind a TCP
  // balancer connect again and spread over the replicas there are now; calls in flight get
  // `max_connection_age_grace_ms` to finish. 0: connections live as long as the clients keep them.
  int max_connection_age_seconds = 0;
  int max_connection_age_grace_ms = 10000;
};

// The health "service" that is SERVING for as long as the process serves at all, draining and
// database outages included: what a liveness probe asks (restarting would not help), while a
// readiness probe asks for the whole server, "".
inline constexpr const char* kLivenessService = "liveness";

// True for 127.0.0.0/8, ::1 and localhost.
bool IsLoopbackAddress(const std::string& host_port);

class ServerHost {
 public:
  // `services` must outlive the host; `service_names` are their full names for health.
  ServerHost(ServerHostOptions options, CallRegistry& registry,
             std::vector<grpc::Service*> services, std::vector<std::string> service_names);
  ~ServerHost();

  // Throws std::runtime_error with one line when the server cannot start.
  void Start();
  int port() const { return port_; }
  int health_port() const { return health_port_; }  // 0 without a health listener

  // Health of every service (and of the server as a whole, the empty service name). Once
  // StopServing() was called, SetServing(true) changes nothing.
  void SetServing(bool serving);
  // NOT_SERVING for good: the process is draining.
  void StopServing();

  // Health goes NOT_SERVING first, so that load balancers stop sending, then in-flight calls get
  // until `grace` to finish.
  void Shutdown(std::chrono::milliseconds grace);

 private:
  ServerHostOptions options_;
  CallRegistry& registry_;
  std::vector<grpc::Service*> services_;
  std::vector<std::string> service_names_;
  std::unique_ptr<grpc::Server> server_;  // reset only under mutex_ (SetServing may run meanwhile)
  std::unique_ptr<grpc::Server> health_server_;  // likewise
  std::mutex mutex_;
  std::atomic<bool> stopped_serving_{false};
  int port_ = 0;
  int health_port_ = 0;
};

}  // namespace regie::rpc
