// Scenario 5 of regie-bench: the server's footprint (scenarios.hpp).

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "scenarios.hpp"

namespace regie::bench {

long ResidentKilobytes(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) {
      return std::stol(line.substr(6));
    }
  }
  throw std::runtime_error("no VmRSS for process " + std::to_string(pid));
}

// A second regie-server on a free port, from exec to SERVING.
double StartupSeconds(const Options& o) {
  const auto port = std::to_string(20000 + ::getpid() % 20000);
  const auto started = Clock::now();
  const pid_t pid = ::fork();
  if (pid == 0) {
    const auto tls_ca = (o.ca_dir / "ca.crt").string();
    const auto cert = (o.certs_dir / "server.crt").string();
    const auto key = (o.certs_dir / "server.key").string();
    const auto listen = "127.0.0.1:" + port;
    ::execl(o.server_binary.c_str(), "regie-server", "--listen", listen.c_str(), "--database-url",
            o.server_database_url.c_str(), "--tls-ca", tls_ca.c_str(), "--tls-cert", cert.c_str(),
            "--tls-key", key.c_str(), "--log-level", "error", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  auto profile = ProfileOf(o, "admin");
  profile.address = "127.0.0.1:" + port;
  double seconds = -1;
  for (int attempt = 0; attempt < 1000 && seconds < 0; ++attempt) {
    try {
      client::RegieClient probe(client::OpenChannel(profile), std::chrono::seconds(1));
      if (probe.Health() == "SERVING") {
        seconds = std::chrono::duration<double>(Clock::now() - started).count();
      }
    } catch (const std::exception&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  ::kill(pid, SIGTERM);
  ::waitpid(pid, nullptr, 0);
  if (seconds < 0) {
    throw std::runtime_error("the second regie-server did not become SERVING");
  }
  return seconds;
}

}  // namespace regie::bench
