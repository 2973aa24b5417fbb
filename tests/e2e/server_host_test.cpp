// rpc::ServerHost alone, with a test service, on loopback: how its threads serve calls.

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <filesystem>
#include <iterator>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "regie/identity/v1/identity.grpc.pb.h"
#include "rpc/server_host.hpp"

namespace regie::testing {
namespace {

namespace iv1 = identity::v1;

// Answers WhoAmI after `delay`, as a handler waiting for the database would.
class SlowIdentityService final : public iv1::IdentityService::Service {
 public:
  explicit SlowIdentityService(std::chrono::milliseconds delay) : delay_(delay) {}
  grpc::Status WhoAmI(grpc::ServerContext* /*context*/, const iv1::WhoAmIRequest* /*request*/,
                      iv1::WhoAmIResponse* /*response*/) override {
    std::this_thread::sleep_for(delay_);
    return grpc::Status::OK;
  }

 private:
  std::chrono::milliseconds delay_;
};

// The ids of this process's threads now.
std::set<std::string> ThreadIds() {
  std::set<std::string> ids;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task")) {
    ids.insert(entry.path().filename().string());
  }
  return ids;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(server_host)

// gRPC's synchronous server keeps at most MAX_POLLERS idle threads (2 by default) and ends the
// rest when a burst of calls is over, to start new ones at the next burst: at 16 concurrent
// submissions that was a thread created and ended for about every second call. ServerHost keeps
// its threads (up to max_threads), so bursts after the first are served by the same threads.
BOOST_AUTO_TEST_CASE(threads_that_answered_a_burst_of_calls_serve_the_next_burst) {
  constexpr int kCallers = 12;
  constexpr int kBursts = 6;
  SlowIdentityService service(std::chrono::milliseconds(40));
  rpc::CallRegistry registry;
  rpc::ServerHostOptions options;
  options.listen_address = "127.0.0.1:0";
  options.dev_plaintext = true;
  options.max_threads = 16;
  rpc::ServerHost host(options, registry, {&service}, {iv1::IdentityService::service_full_name()});
  host.Start();
  const auto channel = grpc::CreateChannel("127.0.0.1:" + std::to_string(host.port()),
                                           grpc::InsecureChannelCredentials());
  const auto stub = iv1::IdentityService::NewStub(channel);

  // The callers start before the first burst and live through the last, so that every thread
  // that appears later is one the server started.
  std::set<std::string> after_first_burst;
  std::set<std::string> started_later;
  std::atomic<int> failed_calls = 0;
  std::barrier sync(kCallers, [&]() noexcept {
    const auto now = ThreadIds();
    if (after_first_burst.empty()) {
      after_first_burst = now;
      return;
    }
    std::set_difference(now.begin(), now.end(), after_first_burst.begin(), after_first_burst.end(),
                        std::inserter(started_later, started_later.end()));
  });
  std::vector<std::jthread> callers;
  for (int c = 0; c < kCallers; ++c) {
    callers.emplace_back([&]() {
      for (int burst = 0; burst < kBursts; ++burst) {
        grpc::ClientContext context;
        context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
        iv1::WhoAmIResponse response;
        if (!stub->WhoAmI(&context, iv1::WhoAmIRequest(), &response).ok()) {
          ++failed_calls;
        }
        sync.arrive_and_wait();
      }
    });
  }
  callers.clear();  // joins
  host.Shutdown(std::chrono::milliseconds(100));

  BOOST_TEST(failed_calls == 0);
  // With gRPC's default MAX_POLLERS, this saw 8 threads started after the first burst (3 runs
  // of 3); with ServerHost's, none. gRPC may start a helper thread or two of its own.
  BOOST_TEST(started_later.size() <= 2u, started_later.size()
                                             << " threads started after the first burst");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::testing
