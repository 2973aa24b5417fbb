#pragma once

// Knows which RPC each ServerContext is serving. The synchronous gRPC API does not tell a handler
// its own method name, but a server interceptor sees it (from the server's method table, not from
// anything the client controls). The interceptor registers the name for the call's lifetime; the
// RPC boundary looks it up to authorize the call.

#include <grpcpp/server_context.h>
#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace regie::rpc {

class CallRegistry {
 public:
  // Register the returned factory with the ServerBuilder; it must not outlive this registry.
  std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> MakeInterceptorFactory();

  // "/package.Service/Method" of the call served in `context`, or empty if unknown.
  std::string MethodOf(const grpc::ServerContextBase* context) const;

  void Register(const grpc::ServerContextBase* context, const char* method);
  void Unregister(const grpc::ServerContextBase* context);

 private:
  mutable std::mutex mutex_;
  std::unordered_map<const grpc::ServerContextBase*, const char*> methods_;
};

}  // namespace regie::rpc
