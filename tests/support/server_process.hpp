#pragma once

// regie-server as a separate process, for the tests that start, signal and kill the real binary.

#include <string>
#include <vector>

#include "subprocess.hpp"
#include "test_pki.hpp"

namespace regie::testing {

std::string ServerBinary();

// regie-server's arguments for `dsn` with `pki`'s server certificate, listening on `listen`
// (port 0: any free one); background intervals short enough for tests.
std::vector<std::string> ServerArgs(const TestPki& pki, const std::string& dsn,
                                    const std::string& listen = "127.0.0.1:0");

// regie-server running in the background; knows its port from its log.
class ServerProcess {
 public:
  ServerProcess(const TestPki& pki, const std::string& dsn) : ServerProcess(ServerArgs(pki, dsn)) {}
  // Waits until the log says the server listens; fails the test when it does not start.
  explicit ServerProcess(const std::vector<std::string>& args);

  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  BackgroundProcess& process() { return process_; }

 private:
  TempDir log_dir_;
  BackgroundProcess process_;
  int port_ = 0;
};

}  // namespace regie::testing
