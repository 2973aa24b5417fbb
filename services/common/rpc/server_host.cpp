#include "rpc/server_host.hpp"

#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/resource_quota.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>
#include <grpcpp/server_builder.h>

#include <stdexcept>

namespace regie::rpc {

bool IsLoopbackAddress(const std::string& host_port) {
  std::string host = host_port;
  if (!host.empty() && host.front() == '[') {
    host = host.substr(1, host.find(']') - 1);  // [::1]:port
  } else if (const auto colon = host.rfind(':'); colon != std::string::npos) {
    host = host.substr(0, colon);
  }
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

ServerHost::ServerHost(ServerHostOptions options, CallRegistry& registry,
                       std::vector<grpc::Service*> services, std::vector<std::string> service_names)
    : options_(std::move(options)),
      registry_(registry),
      services_(std::move(services)),
      service_names_(std::move(service_names)) {}

ServerHost::~ServerHost() {
  if (server_) {
    Shutdown(std::chrono::milliseconds(0));
  }
}

void ServerHost::Start() {
  std::shared_ptr<grpc::ServerCredentials> credentials;
  if (options_.dev_plaintext) {
    if (!IsLoopbackAddress(options_.listen_address)) {
      throw std::runtime_error("plaintext is allowed only on a loopback address, not on " +
                               options_.listen_address);
    }
    credentials = grpc::InsecureServerCredentials();
  } else if (options_.tls_reload_seconds > 0) {
    auto files = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
        options_.key_file, options_.certificate_file, options_.ca_file,
        static_cast<unsigned>(options_.tls_reload_seconds));
    grpc::experimental::TlsServerCredentialsOptions tls(files);
    tls.watch_root_certs();
    tls.watch_identity_key_cert_pairs();
    tls.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    credentials = grpc::experimental::TlsServerCredentials(tls);
  } else {
    grpc::SslServerCredentialsOptions tls(
        GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    tls.pem_root_certs = options_.ca_pem;
    tls.pem_key_cert_pairs.push_back({options_.key_pem, options_.certificate_pem});
    credentials = grpc::SslServerCredentials(tls);
  }

  grpc::EnableDefaultHealthCheckService(true);
  // Without this explicit call the linker drops reflection (Debian links with --as-needed).
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  builder.AddListeningPort(options_.listen_address, credentials, &port_);
  grpc::ResourceQuota quota("regie-server");
  quota.SetMaxThreads(options_.max_threads);
  builder.SetResourceQuota(quota);
  // A thread that has answered a call waits for the next one instead of exiting. With gRPC's
  // default (at most 2 idle threads) the server created and destroyed a thread for about every
  // second call at 16 concurrent clients (docs/performance.md).
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS,
                              options_.max_threads);
  builder.SetMaxReceiveMessageSize(options_.max_message_bytes);
  builder.SetMaxSendMessageSize(options_.max_message_bytes);
  if (options_.max_connection_age_seconds > 0) {
    // gRPC spreads the age by ±10% itself, so that connections made together do not all go at once.
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS,
                               options_.max_connection_age_seconds * 1000);
    builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS,
                               options_.max_connection_age_grace_ms);
  }
  for (auto* service : services_) {
    builder.RegisterService(service);
  }
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> creators;
  creators.push_back(registry_.MakeInterceptorFactory());
  builder.experimental().SetInterceptorCreators(std::move(creators));

  server_ = builder.BuildAndStart();
  if (!server_ || port_ == 0) {
    server_.reset();
    throw std::runtime_error("cannot listen on " + options_.listen_address +
                             " (address in use or invalid)");
  }
  if (!options_.health_listen_address.empty()) {
    // Health only (and reflection, which every builder gets; the API's schema is public): no
    // Regie service is registered here, so none can be called without mutual TLS.
    grpc::ServerBuilder health;
    health.AddListeningPort(options_.health_listen_address, grpc::InsecureServerCredentials(),
                            &health_port_);
    grpc::ResourceQuota health_quota("regie-health");
    health_quota.SetMaxThreads(4);
    health.SetResourceQuota(health_quota);
    health_server_ = health.BuildAndStart();
    if (!health_server_ || health_port_ == 0) {
      health_server_.reset();
      server_->Shutdown();
      server_.reset();
      throw std::runtime_error("cannot listen for health on " + options_.health_listen_address +
                               " (address in use or invalid)");
    }
  }
  SetServing(true);
  for (auto* server : {server_.get(), health_server_.get()}) {
    if (server != nullptr) {
      server->GetHealthCheckService()->SetServingStatus(kLivenessService, true);
    }
  }
}

void ServerHost::StopServing() {
  stopped_serving_ = true;
  SetServing(false);
}

void ServerHost::SetServing(bool serving) {
  if (serving && stopped_serving_) {
    return;
  }
  std::lock_guard lock(mutex_);
  if (!server_) {
    return;
  }
  for (auto* server : {server_.get(), health_server_.get()}) {
    if (server == nullptr) {
      continue;
    }
    auto* health = server->GetHealthCheckService();
    health->SetServingStatus("", serving);
    for (const auto& name : service_names_) {
      health->SetServingStatus(name, serving);
    }
  }
}

void ServerHost::Shutdown(std::chrono::milliseconds grace) {
  if (!server_) {
    return;
  }
  server_->GetHealthCheckService()->Shutdown();
  server_->Shutdown(std::chrono::system_clock::now() + grace);
  server_->Wait();
  if (health_server_) {
    health_server_->GetHealthCheckService()->Shutdown();
    health_server_->Shutdown(std::chrono::system_clock::now());
    health_server_->Wait();
  }
  std::lock_guard lock(mutex_);
  server_.reset();
  health_server_.reset();
}

}  // namespace regie::rpc
