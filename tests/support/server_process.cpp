#include "server_process.hpp"

#include <boost/test/unit_test.hpp>

#include <chrono>
#include <regex>
#include <thread>

namespace regie::testing {

std::string ServerBinary() { return (BinaryDir() / "services" / "regie-server").string(); }

std::vector<std::string> ServerArgs(const TestPki& pki, const std::string& dsn,
                                    const std::string& listen) {
  return {ServerBinary(),
          "--listen",
          listen,
          "--database-url",
          dsn,
          "--tls-ca",
          pki.ca_file().string(),
          "--tls-cert",
          pki.server.certificate.string(),
          "--tls-key",
          pki.server.key.string(),
          "--seal-interval-ms=50",
          "--checkpoint-interval-ms=0",
          "--calendar-interval-ms=0"};
}

ServerProcess::ServerProcess(const std::vector<std::string>& args)
    : process_(args, {}, log_dir_.path() / "server.log") {
  const std::regex listening(R"(listening on 127\.0\.0\.1:\d+ \(port (\d+))");
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < until && process_.Running()) {
    std::smatch match;
    const auto log = process_.Log();
    if (std::regex_search(log, match, listening)) {
      port_ = std::stoi(match[1]);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  BOOST_FAIL("regie-server did not start: " << process_.Log());
}

}  // namespace regie::testing
