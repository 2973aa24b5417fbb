#include "rpc/call_registry.hpp"

namespace regie::rpc {
namespace {

class MethodInterceptor : public grpc::experimental::Interceptor {
 public:
  MethodInterceptor(CallRegistry& registry, grpc::experimental::ServerRpcInfo* info)
      : registry_(registry), context_(info->server_context()) {
    registry_.Register(context_, info->method());
  }
  ~MethodInterceptor() override { registry_.Unregister(context_); }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    methods->Proceed();
  }

 private:
  CallRegistry& registry_;
  const grpc::ServerContextBase* context_;
};

class MethodInterceptorFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit MethodInterceptorFactory(CallRegistry& registry) : registry_(registry) {}
  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new MethodInterceptor(registry_, info);
  }

 private:
  CallRegistry& registry_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>
CallRegistry::MakeInterceptorFactory() {
  return std::make_unique<MethodInterceptorFactory>(*this);
}

std::string CallRegistry::MethodOf(const grpc::ServerContextBase* context) const {
  std::lock_guard lock(mutex_);
  const auto it = methods_.find(context);
  return (it == methods_.end() || it->second == nullptr) ? std::string() : std::string(it->second);
}

void CallRegistry::Register(const grpc::ServerContextBase* context, const char* method) {
  std::lock_guard lock(mutex_);
  methods_[context] = method;
}

void CallRegistry::Unregister(const grpc::ServerContextBase* context) {
  std::lock_guard lock(mutex_);
  methods_.erase(context);
}

}  // namespace regie::rpc
