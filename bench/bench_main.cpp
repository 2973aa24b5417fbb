// regie-bench: Regie measured against the machine's own limits in the same run
// (docs/performance.md). Every scenario runs its baseline in this process, right before or after
// it, and prints both, their ratio and the latency percentiles, as a table and (with --json) as
// JSON.
//
// It works on a running stack: bench/run.sh starts a private one with deploy/dev/up.sh --no-demo
// and passes its address, certificates, CA directory, database and server process here.

#include <unistd.h>
#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <numeric>

#include "grpc_runtime/grpc_runtime.hpp"
#include "scenarios.hpp"
#include "targets.hpp"

int main(int argc, char** argv) {
  regie::grpc_runtime::DisableMutexDeadlockDetection();  // as the server and `regie` do
  using namespace regie::bench;
  Options o;
  std::string scenarios = "submit,upload,aggregate,settlement,footprint";
  CLI::App cli{"regie-bench: Regie against baselines measured in the same run (bench/run.sh)"};
  cli.add_option("--address", o.address, "the server, host:port")->required();
  cli.add_option("--ca-dir", o.ca_dir, "the deployment CA (ca.crt, ca.key)")->required();
  cli.add_option("--certs", o.certs_dir, "server, procurement and admin .crt/.key")->required();
  cli.add_option("--fixtures", o.fixtures, "tests/fixtures/duinstreek")->required();
  cli.add_option("--database-url", o.database_url, "the database, for the baselines")->required();
  cli.add_option("--server-pid", o.server_pid, "the server's process, for its memory");
  cli.add_option("--server-binary", o.server_binary, "regie-server, for the start-up time");
  cli.add_option("--server-database-url", o.server_database_url, "the server's database URL");
  cli.add_option("--scenarios", scenarios,
                 "comma-separated: submit, upload, aggregate, settlement, footprint")
      ->capture_default_str();
  cli.add_option("--clients", o.concurrency, "concurrency levels of submit")->delimiter(',');
  cli.add_option("--seconds", o.seconds, "duration of each measurement")->capture_default_str();
  cli.add_option("--turn-seconds", o.turn_seconds,
                 "submit: Regie and the baseline take turns of about this long")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cli.add_flag("--smoke", o.smoke,
               "a short run at small sizes that only checks that everything works");
  cli.add_option("--json", o.json_out, "also write the results as JSON to this file");
  CLI11_PARSE(cli, argc, argv);
  if (o.smoke) {
    o.seconds = 1;
    o.concurrency = {1, 2};
  }
  const auto wants = [&](const std::string& name) {
    return ("," + scenarios + ",").find("," + name + ",") != std::string::npos;
  };
  try {
    o.scratch =
        std::filesystem::temp_directory_path() / ("regie-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(o.scratch);
    Results results(/*judged=*/!o.smoke);
    // Submit gives each client its own providers; the seeded scenarios need fifty.
    const int submitters = std::accumulate(o.concurrency.begin(), o.concurrency.end(), 0);
    const auto providers = RegisterProviders(o, std::max(submitters, o.smoke ? 5 : 50));
    long idle_kb = 0;
    if (wants("footprint") && o.server_pid > 0) {
      idle_kb = ResidentKilobytes(o.server_pid);
    }
    if (wants("submit")) {
      Submit(o, providers, results);
    }
    if (wants("upload")) {
      Upload(o, providers, results);
    }
    if (wants("aggregate")) {
      Aggregate(o, providers, results);
    }
    if (wants("settlement")) {
      Settlement(o, providers, results);
    }
    if (wants("footprint")) {
      if (o.server_pid > 0) {
        const double idle_mb = static_cast<double>(idle_kb) / 1024;
        results.AddValue("footprint", "resident memory, idle (at the start)", "MB", idle_mb,
                         "<= 40 MB");
        results.Judge(targets::IdleMemory(idle_mb));
        results.AddValue("footprint", "resident memory after the scenarios", "MB",
                         static_cast<double>(ResidentKilobytes(o.server_pid)) / 1024, "");
      }
      if (!o.server_binary.empty()) {
        const double startup = StartupSeconds(o);
        results.AddValue("footprint", "start-up to SERVING", "s", startup, "< 1 s");
        results.Judge(targets::Startup(startup));
      }
    }
    std::filesystem::remove_all(o.scratch);
    results.Print(std::cout);
    if (!o.json_out.empty()) {
      std::ofstream(o.json_out) << results.Json().dump(2) << "\n";
    }
  } catch (const std::exception& e) {
    std::cerr << "regie-bench: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
