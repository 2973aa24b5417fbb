// regie-bench: Regie measured against the machine's own limits in the same run
// (docs/performance.md). Every scenario runs its baseline in this process, right before or after
// it, and prints both, their ratio and the latency percentiles, as a table and (with --json) as
// JSON.
//
// It works on a running stack: bench/run.sh starts a private one with deploy/dev/up.sh --no-demo
// and passes its address, certificates, CA directory, database and server process here.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <thread>

#include "auth/pki.hpp"
#include "bench_support.hpp"
#include "crypto.hpp"
#include "input_file.hpp"
#include "profile.hpp"
#include "regie/covenants/v1/reference.grpc.pb.h"
#include "regie/providers/v1/admission.grpc.pb.h"
#include "regie/providers/v1/providers.grpc.pb.h"
#include "regie/reports/v1/reports.grpc.pb.h"
#include "regie_client.hpp"
#include "report_signing.hpp"

namespace regie::bench {
namespace {

namespace fs = std::filesystem;
namespace cv1 = covenants::v1;
namespace pv1 = providers::v1;
namespace rv1 = reports::v1;
using client::RegieClient;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string address;
  fs::path ca_dir;     // ca.crt and ca.key of the deployment CA
  fs::path certs_dir;  // procurement.crt/key and admin.crt/key
  fs::path fixtures;   // tests/fixtures/duinstreek
  std::string database_url;
  int server_pid = 0;
  fs::path server_binary;
  std::string server_database_url;
  std::vector<int> concurrency = {1, 4, 16};
  double seconds = 10;
  bool smoke = false;
  fs::path json_out;
};

// A certificate of the deployment CA written to `dir`, for a channel (client::OpenChannel takes
// files).
client::Profile IssueProfile(const Options& o, const fs::path& dir, const std::string& role,
                             const std::string& org, const std::string& name) {
  const auth::KeyAndCertificate ca{client::ReadTextFile(o.ca_dir / "ca.key", "CA key"),
                                   client::ReadTextFile(o.ca_dir / "ca.crt", "CA certificate")};
  const auto issued = auth::IssueCertificate(ca, {.common_name = name,
                                                  .organisational_unit = role,
                                                  .organisation = org,
                                                  .valid_days = 30,
                                                  .server = false,
                                                  .dns_names = {},
                                                  .ip_addresses = {}});
  const auto stem = dir / (role + "-" + org);
  std::ofstream(stem.string() + ".crt") << issued.material.certificate_pem;
  std::ofstream(stem.string() + ".key") << issued.material.key_pem;
  fs::permissions(stem.string() + ".key", fs::perms::owner_read | fs::perms::owner_write);
  return {o.address, stem.string() + ".crt", stem.string() + ".key",
          (o.ca_dir / "ca.crt").string()};
}

client::Profile ProfileOf(const Options& o, const std::string& stem) {
  return {o.address, (o.certs_dir / (stem + ".crt")).string(),
          (o.certs_dir / (stem + ".key")).string(), (o.ca_dir / "ca.crt").string()};
}

RegieClient Connect(const client::Profile& profile) {
  return RegieClient(client::OpenChannel(profile), std::chrono::seconds(60));
}

// Runs `call`, ignoring ALREADY_EXISTS (the bench may run twice on one stack).
template <class Call>
void Idempotently(Call&& call) {
  try {
    call();
  } catch (const client::RpcError& e) {
    if (e.code() != grpc::StatusCode::ALREADY_EXISTS) {
      throw;
    }
  }
}

// The bench's world: the Duinstreek covenant (its term from 2000, so that a century of quarters
// has ended) and providers admitted to P1 and P6 from its start.
struct World {
  std::string covenant;  // covenants/{id}
  std::vector<std::string> providers;
  std::vector<client::Profile> profiles;
};

World SetUp(const Options& o, const fs::path& dir, int providers) {
  World world;
  auto admin = Connect(ProfileOf(o, "admin"));
  for (const auto& [code, name] : std::vector<std::pair<std::string, std::string>>{
           {"9901", "Duinhaven"}, {"9902", "Bollenveld"}, {"9903", "Zeewijk"}}) {
    Idempotently([&] {
      cv1::CreateMunicipalityRequest request;
      request.mutable_municipality()->set_code(code);
      request.mutable_municipality()->set_display_name(name);
      admin.Unary(&cv1::ReferenceDataService::Stub::CreateMunicipality, request);
    });
  }
  auto procurement = Connect(ProfileOf(o, "procurement"));
  cv1::CreateCovenantRequest create;
  client::ReadMessageFile(o.fixtures / "covenant.json", create);
  const auto id =
      "bench-" + std::to_string(::getpid()) + "-" +
      std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 100000);
  create.set_covenant_id(id);
  auto* term = create.mutable_covenant()->mutable_terms()->mutable_term();
  term->mutable_start_date()->set_year(2000);
  term->mutable_end_date()->set_year(2099);
  create.mutable_covenant()->mutable_terms()->clear_region();
  world.covenant = procurement.CreateCovenant(create).name();
  procurement.PublishCovenant(world.covenant, "", "");

  for (int i = 0; i < providers; ++i) {
    const auto kvk = std::to_string(70000000 + i);
    auto profile = IssueProfile(o, dir, "provider", kvk, "Bench provider " + kvk);
    auto provider = Connect(profile);
    Idempotently([&] {
      pv1::RegisterProviderRequest request;
      auto* p = request.mutable_provider();
      p->set_kvk_number(kvk);
      p->set_display_name("Bench provider " + kvk);
      p->set_legal_form(pv1::LEGAL_FORM_FOUNDATION);
      auto* address = p->add_addresses();
      address->set_street("Benchweg");
      address->set_house_number(std::to_string(i + 1));
      address->set_postal_code("2201 AB");
      address->set_city("Duinhaven");
      auto* contact = p->add_contacts();
      contact->set_full_name("B. Ench");
      contact->set_role("director");
      contact->set_email("bench@example.nl");
      provider.Unary(&pv1::ProviderService::Stub::RegisterProvider, request);
    });
    pv1::RecordEarlierAdmissionRequest admit;
    admit.set_parent(world.covenant);
    admit.set_provider("providers/" + kvk);
    admit.add_lot_ids("P1");
    admit.add_lot_ids("P6");
    admit.mutable_in_force_from()->set_year(2000);
    admit.mutable_in_force_from()->set_month(1);
    admit.mutable_in_force_from()->set_day(1);
    admit.set_decision("Benchmark admission decided before Regie, nr. " + kvk);
    admit.set_request_id(NewRequestId());
    procurement.Unary(&pv1::AdmissionService::Stub::RecordEarlierAdmission, admit);
    world.providers.push_back(kvk);
    world.profiles.push_back(std::move(profile));
  }
  return world;
}

// The `n`-th report of a provider: quarters from 2000-Q1 through 2024-Q4, then corrections of
// them (new versions). Realistic size: 3 municipalities x 2 lots, with amounts in P1 and the five
// outcome indicators in P6.
rv1::ReportContent NthReport(const std::string& covenant, const std::string& kvk, int n) {
  constexpr int kQuarters = 100;
  const int q = n % kQuarters;
  rv1::ReportContent c;
  c.set_covenant(covenant);
  c.set_provider("providers/" + kvk);
  c.set_kind(rv1::QUARTERLY);
  c.set_period(std::to_string(2000 + q / 4) + "-Q" + std::to_string(q % 4 + 1));
  for (const auto* municipality : {"9901", "9902", "9903"}) {
    for (const auto* lot : {"P1", "P6"}) {
      auto* line = c.add_lines();
      line->set_municipality(std::string("municipalities/") + municipality);
      line->set_lot_id(lot);
      line->set_clients_in_care(40 + n / kQuarters);  // corrections differ
      line->set_inflow(12);
      line->set_outflow(9);
      line->set_unilateral_endings(1);
      line->set_median_waiting_days(21);
      line->set_complaints(1);
      line->set_serious_incidents(0);
      if (std::string(lot) == "P1") {
        auto* amount = line->add_amounts();
        amount->set_product_code("45A48");
        amount->set_amount_eurocents(1560000);
      } else {
        for (const auto* indicator : {"nji-drop-out", "nji-satisfaction", "nji-no-further-help",
                                      "nji-goals-reached", "zrm-improvement"}) {
          auto* figure = line->add_indicators();
          figure->set_indicator(std::string("indicators/") + indicator);
          figure->set_numerator(7);
          figure->set_denominator(50);
        }
      }
    }
  }
  c.mutable_signals()->set_financial_early_warning(false);
  c.set_remarks("Benchmark report.");
  return c;
}

// --- Scenario 1: submit ---------------------------------------------------------------------

// The baseline's tables: the shapes of the report tables, without Regie's foreign keys.
void CreateBaselineTables(pqxx::connection& connection) {
  pqxx::work tx(connection);
  tx.exec("CREATE SCHEMA IF NOT EXISTS bench_baseline");
  for (const auto* table : {"reports", "count_lines", "indicator_lines", "amount_lines"}) {
    tx.exec(std::string("CREATE TABLE IF NOT EXISTS bench_baseline.") + table + " (LIKE reports." +
            table + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING " + "INDEXES)");
  }
  tx.commit();
}

// The same rows as Regie stores for one report, in one transaction.
void InsertBaselineReport(pqxx::connection& connection, const std::string& covenant_id,
                          const std::string& kvk, int n, const rv1::ReportContent& c,
                          const std::string& signature) {
  const std::string report_id = kvk + "-" + std::to_string(n);
  pqxx::work tx(connection);
  tx.exec_params(
      "INSERT INTO bench_baseline.reports (covenant_id, report_id, version, provider_kvk, kind, "
      "period_start, period_end, state, request_id, submitted_by, due_date, late, "
      "financial_early_warning, waiting_list, signal_note, remarks, content_digest, signature, "
      "signer_certificate, signer_fingerprint) VALUES ($1, $2, 1, $3, 'QUARTERLY', '2000-01-01', "
      "'2000-03-31', 'SUBMITTED', $4, 'CN=bench', '2000-04-30', true, false, false, '', $5, $6, "
      "$7, $8, $9)",
      covenant_id, report_id, kvk, NewRequestId(), c.remarks(),
      pqxx::binarystring(std::string(32, 'd')), pqxx::binarystring(signature),
      std::string(700, 'c'), pqxx::binarystring(std::string(32, 'f')));
  // One multi-row INSERT per table, as Regie's store batches them: a fair baseline, not one
  // round trip per row.
  const auto key = tx.quote(covenant_id) + ", " + tx.quote(report_id) + ", 1, ";
  std::string counts;
  std::string amounts;
  std::string indicators;
  const auto add = [](std::string& rows, const std::string& row) {
    rows += (rows.empty() ? "(" : ", (") + row + ")";
  };
  for (const auto& line : c.lines()) {
    const auto where =
        key + tx.quote(line.municipality().substr(15)) + ", " + tx.quote(line.lot_id()) + ", ";
    add(counts, where + std::to_string(line.clients_in_care()) + ", " +
                    std::to_string(line.inflow()) + ", " + std::to_string(line.outflow()) + ", " +
                    std::to_string(line.unilateral_endings()) + ", " +
                    std::to_string(line.median_waiting_days()) + ", " +
                    std::to_string(line.complaints()) + ", " +
                    std::to_string(line.serious_incidents()));
    for (const auto& a : line.amounts()) {
      add(amounts,
          where + tx.quote(a.product_code()) + ", " + std::to_string(a.amount_eurocents()));
    }
    for (const auto& i : line.indicators()) {
      add(indicators, where + tx.quote(i.indicator().substr(11)) + ", " +
                          std::to_string(i.numerator()) + ", " + std::to_string(i.denominator()));
    }
  }
  tx.exec0(
      "INSERT INTO bench_baseline.count_lines (covenant_id, report_id, version, "
      "municipality_code, lot_id, clients_in_care, inflow, outflow, unilateral_endings, "
      "median_waiting_days, complaints, serious_incidents) VALUES " +
      counts);
  tx.exec0(
      "INSERT INTO bench_baseline.amount_lines (covenant_id, report_id, version, "
      "municipality_code, lot_id, product_code, amount_eurocents) VALUES " +
      amounts);
  tx.exec0(
      "INSERT INTO bench_baseline.indicator_lines (covenant_id, report_id, version, "
      "municipality_code, lot_id, indicator_id, numerator, denominator) VALUES " +
      indicators);
  tx.commit();
}

// `clients` threads doing `one(client, n)` for `seconds`; the latencies of every call.
Run Concurrently(int clients, double seconds, const std::function<void(int, int)>& one) {
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(clients));
  std::atomic<bool> failed = false;
  std::string failure;
  std::mutex failure_mutex;
  const auto started = Clock::now();
  const auto until = started + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      try {
        for (int n = 0; Clock::now() < until && !failed; ++n) {
          const auto t0 = Clock::now();
          one(c, n);
          latencies[static_cast<std::size_t>(c)].push_back(
              std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        }
      } catch (const std::exception& e) {
        std::lock_guard lock(failure_mutex);
        failure = e.what();
        failed = true;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  if (failed) {
    throw std::runtime_error(failure);
  }
  const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  std::vector<double> all;
  for (const auto& l : latencies) {
    all.insert(all.end(), l.begin(), l.end());
  }
  return Summarise(std::move(all), elapsed);
}

void Submit(const Options& o, const World& world, Results& results) {
  pqxx::connection setup(o.database_url);
  CreateBaselineTables(setup);
  const auto covenant_id = world.covenant.substr(std::string("covenants/").size());
  int first = 0;  // each level has its own providers, so that quarters are fresh
  for (const int clients : o.concurrency) {
    // Regie: signed, validated, durable and audited, over mutual TLS.
    std::vector<std::unique_ptr<RegieClient>> channels;
    std::vector<std::string> keys;
    for (int c = 0; c < clients; ++c) {
      const auto& profile = world.profiles[static_cast<std::size_t>(first + c)];
      channels.push_back(
          std::make_unique<RegieClient>(client::OpenChannel(profile), std::chrono::seconds(60)));
      keys.push_back(client::ReadTextFile(profile.key, "key"));
    }
    const auto regie = Concurrently(clients, o.seconds, [&](int c, int n) {
      rv1::SubmitReportRequest request;
      *request.mutable_content() =
          NthReport(world.covenant, world.providers[static_cast<std::size_t>(first + c)], n);
      request.set_signature(
          reports::SignReport(keys[static_cast<std::size_t>(c)], request.content()));
      request.set_request_id(NewRequestId());
      channels[static_cast<std::size_t>(c)]->Unary(&rv1::ReportService::Stub::SubmitReport,
                                                   request);
    });
    // Baseline: the same rows with libpqxx, one transaction per report, same concurrency.
    std::vector<std::unique_ptr<pqxx::connection>> connections;
    for (int c = 0; c < clients; ++c) {
      connections.push_back(std::make_unique<pqxx::connection>(o.database_url));
    }
    const std::string signature(72, 's');
    const auto baseline = Concurrently(clients, o.seconds, [&](int c, int n) {
      const auto& kvk = world.providers[static_cast<std::size_t>(first + c)];
      InsertBaselineReport(*connections[static_cast<std::size_t>(c)], covenant_id, kvk,
                           n + 1000000 * clients, NthReport(world.covenant, kvk, n), signature);
    });
    results.Add("submit", std::to_string(clients) + " client(s)", "reports/s", regie, baseline,
                {{"target", "at 16 clients: >= 60% of the baseline, p99 <= 25 ms"}});
    first += clients;
  }
}

// --- Scenario 5: footprint ------------------------------------------------------------------

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
      RegieClient probe(client::OpenChannel(profile), std::chrono::seconds(1));
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

}  // namespace
}  // namespace regie::bench

int main(int argc, char** argv) {
  using namespace regie::bench;
  Options o;
  std::string scenarios = "submit,footprint";
  CLI::App cli{"regie-bench: Regie against baselines measured in the same run (bench/run.sh)"};
  cli.add_option("--address", o.address, "the server, host:port")->required();
  cli.add_option("--ca-dir", o.ca_dir, "the deployment CA (ca.crt, ca.key)")->required();
  cli.add_option("--certs", o.certs_dir, "server, procurement and admin .crt/.key")->required();
  cli.add_option("--fixtures", o.fixtures, "tests/fixtures/duinstreek")->required();
  cli.add_option("--database-url", o.database_url, "the database, for the baselines")->required();
  cli.add_option("--server-pid", o.server_pid, "the server's process, for its memory");
  cli.add_option("--server-binary", o.server_binary, "regie-server, for the start-up time");
  cli.add_option("--server-database-url", o.server_database_url, "the server's database URL");
  cli.add_option("--scenarios", scenarios, "comma-separated: submit, footprint")
      ->capture_default_str();
  cli.add_option("--clients", o.concurrency, "concurrency levels of submit")->delimiter(',');
  cli.add_option("--seconds", o.seconds, "duration of each measurement")->capture_default_str();
  cli.add_flag("--smoke", o.smoke, "a short run that only checks that everything works");
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
    const auto dir =
        std::filesystem::temp_directory_path() / ("regie-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    Results results;
    int providers = 0;
    for (const int c : o.concurrency) {
      providers += c;
    }
    const auto world = SetUp(o, dir, providers);
    long idle_kb = 0;
    if (wants("footprint") && o.server_pid > 0) {
      idle_kb = ResidentKilobytes(o.server_pid);
    }
    if (wants("submit")) {
      Submit(o, world, results);
    }
    if (wants("footprint")) {
      if (o.server_pid > 0) {
        results.AddValue("footprint", "resident memory, idle (before submit)", "MB",
                         static_cast<double>(idle_kb) / 1024, "<= 40 MB");
        results.AddValue("footprint", "resident memory after submit", "MB",
                         static_cast<double>(ResidentKilobytes(o.server_pid)) / 1024, "");
      }
      if (!o.server_binary.empty()) {
        results.AddValue("footprint", "start-up to SERVING", "s", StartupSeconds(o), "< 1 s");
      }
    }
    std::filesystem::remove_all(dir);
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
