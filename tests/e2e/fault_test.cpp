// No acknowledged write is lost: report submissions from clients that retry (the typed client's
// policy, docs/adr/0013) while regie-server is killed with SIGKILL and started again and while
// PostgreSQL crashes (immediate shutdown) and comes back. Afterwards every submission a client saw
// acknowledged is stored exactly once, as the version it was told, with one audit event, and
// `regie audit verify` passes.

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <csignal>
#include <map>
#include <memory>
#include <mutex>
#include <pqxx/pqxx>
#include <sstream>
#include <thread>

#include "accepted_reports.hpp"
#include "e2e_helpers.hpp"
#include "pg_cluster.hpp"
#include "report_signing.hpp"
#include "server_process.hpp"
#include "test_server.hpp"

namespace regie::testing {
namespace {

namespace v1 = reports::v1;
using Reports = v1::ReportService::Stub;
using namespace std::chrono_literals;

constexpr int kClients = 8;
constexpr int kSubmissions = 10'000;
constexpr const char* kProvider = "12345678";

// A fault, made once the clients have had `after` submissions acknowledged.
struct Fault {
  int after;
  bool kill_server;
  bool restart_database;
};
const Fault kFaults[] = {
    {1'500, true, false}, {3'500, false, true}, {5'500, true, false},
    {7'500, false, true}, {8'500, true, true},
};

v1::ReportLine Line(const std::string& municipality, const std::string& lot, int in_care) {
  v1::ReportLine line;
  line.set_municipality("municipalities/" + municipality);
  line.set_lot_id(lot);
  line.set_clients_in_care(in_care);
  line.set_inflow(12);
  line.set_outflow(10);
  if (lot == "P1") {
    auto* amount = line.add_amounts();
    amount->set_product_code("45A48");
    amount->set_amount_eurocents(1'560'000);
  }
  auto* indicator = line.add_indicators();
  indicator->set_indicator("indicators/nji-drop-out");
  indicator->set_numerator(3);
  indicator->set_denominator(25);
  return line;
}

struct Acknowledged {
  std::string report;  // resource name
  int version = 0;
};

// What the clients saw, shared between their threads.
struct Outcomes {
  std::mutex mutex;
  std::map<std::string, Acknowledged> acknowledged;  // by request id
  std::vector<std::string> failures;
  std::atomic<int> count{0};
  std::atomic<int> retries{0};
  std::atomic<int> clients_done{0};
};

int Scalar(const std::string& dsn, const std::string& sql) {
  pqxx::connection connection(dsn);
  return pqxx::nontransaction(connection).exec1(sql)[0].as<int>();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(faults)

BOOST_AUTO_TEST_CASE(every_acknowledged_submission_is_stored_once_through_kills_and_crashes) {
  PgCluster cluster;  // this test's own, so that crashing it disturbs no other test
  const auto dsn = cluster.CreateMigratedDatabase();
  const TestPki pki;
  auto server = std::make_unique<ServerProcess>(pki, dsn);
  // Restarts listen on the same port, as a service address would stay the same.
  const auto address = server->address();
  const auto restart_args = ServerArgs(pki, dsn, address);
  const auto profile = [&](const TestIdentity& who) { return pki.ProfileFor(who, address); };

  // The world: Duinstreek's covenant since two years ago, the provider admitted from its start.
  const int this_year =
      Scalar(dsn, "SELECT extract(year FROM now() AT TIME ZONE 'Europe/Amsterdam')::integer");
  const int first_year = this_year - 2;
  std::string covenant;
  {
    client::RegieClient admin(client::OpenChannel(profile(pki.admin)));
    client::RegieClient procurement(client::OpenChannel(profile(pki.procurement)));
    client::RegieClient provider(client::OpenChannel(profile(pki.provider)));
    LoadDuinstreekReferenceData(admin);
    covenant = PublishCovenantSince(procurement, first_year);
    RegisterProvider(provider, kProvider, "Jeugdzorg Duinstreek");
    AdmitInThePast(dsn, covenant.substr(covenant.find('/') + 1), kProvider, {"P1", "P4"},
                   std::chrono::sys_days(std::chrono::year(first_year) / 1 / 1));
  }
  const auto key = client::ReadTextFile(pki.provider.key, "provider key");

  // Each client reports on one of the eight quarters of those two years, over and over: every
  // submission is a new version with a fresh request id; a quarter of them are streamed uploads.
  Outcomes outcomes;
  auto run_client = [&](int number) {
    client::RetryPolicy retry;
    retry.max_attempts = 60;
    retry.initial_backoff = 100ms;
    retry.max_backoff = 1s;
    retry.on_retry = [&](const client::RpcError&, int, std::chrono::milliseconds) {
      ++outcomes.retries;
    };
    client::RegieClient provider(client::OpenChannel(profile(pki.provider)), 10s, retry);
    const auto period =
        std::to_string(first_year + number / 4) + "-Q" + std::to_string(number % 4 + 1);
    for (int i = 0; i < kSubmissions / kClients; ++i) {
      v1::SubmitReportRequest request;
      auto* content = request.mutable_content();
      content->set_covenant(covenant);
      content->set_provider(std::string("providers/") + kProvider);
      content->set_kind(v1::QUARTERLY);
      content->set_period(period);
      *content->add_lines() = Line("9901", "P1", 1 + i % 400);
      *content->add_lines() = Line("9902", "P1", 40);
      *content->add_lines() = Line("9903", "P4", 7);
      request.set_signature(reports::SignReport(key, *content));
      request.set_request_id("fault-" + std::to_string(number) + "-" + std::to_string(i));
      try {
        const auto stored = i % 4 == 3 ? provider.UploadReport(request)
                                       : provider.Unary(&Reports::SubmitReport, request);
        const std::lock_guard lock(outcomes.mutex);
        outcomes.acknowledged[request.request_id()] = {stored.name(), stored.version()};
      } catch (const client::RpcError& e) {
        const std::lock_guard lock(outcomes.mutex);
        outcomes.failures.push_back(request.request_id() + ": " + client::Describe(e));
      }
      ++outcomes.count;
    }
    ++outcomes.clients_done;
  };
  std::vector<std::thread> clients;
  for (int number = 0; number < kClients; ++number) {
    clients.emplace_back(run_client, number);
  }

  std::vector<std::unique_ptr<ServerProcess>> retired;
  int faults_made = 0;
  for (const auto& fault : kFaults) {
    while (outcomes.count < fault.after && outcomes.clients_done < kClients) {
      std::this_thread::sleep_for(20ms);
    }
    if (outcomes.clients_done == kClients) {
      break;  // the load ended first: reported below
    }
    if (fault.kill_server) {
      BOOST_TEST(server->process().Stop(SIGKILL, 10s) == 128 + SIGKILL);
    }
    if (fault.restart_database) {
      cluster.Stop();  // immediate: a crash, connections and transactions in flight lost
      std::this_thread::sleep_for(500ms);
      cluster.Start();
    }
    if (fault.kill_server) {
      retired.push_back(std::move(server));  // dead, but its log tells what went wrong
      server = std::make_unique<ServerProcess>(restart_args);
    }
    ++faults_made;
    BOOST_TEST_MESSAGE("fault " << faults_made << " after " << outcomes.count.load()
                                << " submissions");
  }
  for (auto& client : clients) {
    client.join();
  }

  BOOST_TEST(faults_made == static_cast<int>(std::size(kFaults)),
             "the load finished before every fault was made");
  BOOST_TEST(outcomes.retries > 0);
  BOOST_TEST_MESSAGE(outcomes.retries.load() << " retries");
  BOOST_TEST(outcomes.failures.empty(),
             outcomes.failures.size() << " submissions failed, the first: "
                                      << (outcomes.failures.empty() ? "" : outcomes.failures[0]));
  BOOST_TEST(outcomes.acknowledged.size() == static_cast<std::size_t>(kSubmissions));
  if (!outcomes.failures.empty()) {
    retired.push_back(std::move(server));
    for (const auto& process : retired) {
      std::istringstream log(process->process().Log());
      for (std::string line; std::getline(log, line);) {
        if (line.find("[error]") != std::string::npos) {
          BOOST_TEST_MESSAGE("server log: " << line);
        }
      }
    }
    server = std::move(retired.back());
  }

  // Stored exactly once: every acknowledged request id has one row, the version the client was
  // told; nothing else was stored; the versions of each report run 1..n without a gap or a twin.
  pqxx::connection connection(dsn);
  pqxx::nontransaction read(connection);
  std::map<std::string, int> rows_per_request;
  int mismatched = 0;
  for (const auto& row : read.exec(
           "SELECT request_id, report_id, version FROM reports.reports WHERE provider_kvk = '" +
           std::string(kProvider) + "'")) {
    const auto request_id = row[0].as<std::string>();
    ++rows_per_request[request_id];
    const auto found = outcomes.acknowledged.find(request_id);
    if (found == outcomes.acknowledged.end() || found->second.version != row[2].as<int>() ||
        !found->second.report.ends_with("/reports/" + row[1].as<std::string>())) {
      ++mismatched;
    }
  }
  BOOST_TEST(rows_per_request.size() == outcomes.acknowledged.size());
  BOOST_TEST(mismatched == 0);
  int twins = 0;
  for (const auto& [request_id, rows] : rows_per_request) {
    twins += rows > 1 ? 1 : 0;
  }
  BOOST_TEST(twins == 0);
  BOOST_TEST(read.exec1("SELECT count(*) FROM (SELECT report_id FROM reports.reports "
                        "GROUP BY report_id HAVING count(*) <> max(version) "
                        "OR count(DISTINCT version) <> count(*)) AS gaps")[0]
                 .as<int>() == 0);
  BOOST_TEST(read.exec1("SELECT count(*) FROM audit.events WHERE rpc IN "
                        "('/regie.reports.v1.ReportService/SubmitReport', "
                        "'/regie.reports.v1.ReportService/UploadReport')")[0]
                 .as<int>() == kSubmissions);

  // The audit log, sealed by the last server, verifies from the first entry to the last.
  const int events = read.exec1("SELECT count(*) FROM audit.events")[0].as<int>();
  client::RegieClient auditor(client::OpenChannel(profile(pki.auditor)));
  for (int i = 0; i < 200; ++i) {
    const auto state = auditor.GetAuditLogState();
    if (state.pending_events() == 0 && state.sealed_size() == events) {
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  const TempDir home;
  const auto auditor_profile = profile(pki.auditor);
  const auto verified =
      Run({(BinaryDir() / "client" / "regie").string(), "--address", auditor_profile.address,
           "--cert", auditor_profile.certificate, "--key", auditor_profile.key, "--ca",
           auditor_profile.ca, "audit", "verify"},
          {{"REGIE_CONFIG", (home.path() / "none.json").string()}, {"REGIE_PROFILE", ""}});
  BOOST_TEST(verified.exit_code == 0, verified.err);
  BOOST_TEST(verified.out.find("audit log verified: " + std::to_string(events) + " entries") !=
                 std::string::npos,
             verified.out);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::testing
