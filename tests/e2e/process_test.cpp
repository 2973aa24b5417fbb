// The real binaries as separate processes: regie-server's start-up checks, reflection, health and
// draining, and the `regie` tool end to end (profiles, exit codes, one-line errors, audit verify).

#include <google/protobuf/util/json_util.h>
#include <grpcpp/create_channel.h>
#include <sys/stat.h>

#include <boost/test/unit_test.hpp>

#include <csignal>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <optional>
#include <pqxx/pqxx>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "accepted_reports.hpp"
#include "fixtures.hpp"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "pg_cluster.hpp"
#include "regie_client.hpp"
#include "server_process.hpp"
#include "subprocess.hpp"
#include "test_pki.hpp"

namespace regie::testing {
namespace {

std::string MigrateBinary() { return (BinaryDir() / "services" / "regie-migrate").string(); }
std::string CovenantsDaemon() { return (BinaryDir() / "services" / "regie-covenantsd").string(); }
std::string RegieBinary() { return (BinaryDir() / "client" / "regie").string(); }

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::size_t Lines(const std::string& text) {
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Replaces the value that follows `flag` in `args`.
void SetFlag(std::vector<std::string>& args, const std::string& flag, const std::string& value) {
  const auto it = std::find(args.begin(), args.end(), flag);
  BOOST_REQUIRE(it != args.end() && it + 1 != args.end());
  *(it + 1) = value;
}

// Runs regie-server expecting it to refuse to start; returns its result.
ProcessResult StartExpectingFailure(std::vector<std::string> args) {
  auto result = Run(args);
  BOOST_TEST(result.exit_code == 2);
  BOOST_TEST(Lines(result.err) == 1u, "stderr: " << result.err);
  return result;
}

// This year in the Netherlands, by the database's clock (as the server counts).
int ThisYear(pqxx::connection& connection) {
  return pqxx::nontransaction(connection)
      .exec1("SELECT extract(year FROM now() AT TIME ZONE 'Europe/Amsterdam')::integer")[0]
      .as<int>();
}

// `regie` with a private config file.
struct Cli {
  TempDir home;
  std::filesystem::path config = home.path() / "config.json";

  ProcessResult operator()(std::vector<std::string> args) const {
    args.insert(args.begin(), RegieBinary());
    return Run(args, {{"REGIE_CONFIG", config.string()}, {"REGIE_PROFILE", ""}});
  }

  void AddProfile(const std::string& name, const TestIdentity& who, const std::string& address,
                  const std::filesystem::path& ca) const {
    const auto r = (*this)({"config", "set-profile", name, "--server", address, "--client-cert",
                            who.certificate.string(), "--client-key", who.key.string(), "--ca-cert",
                            ca.string()});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  }

  // A profile per role of TestPki (admin, procurement, provider, auditor) against `address`.
  void AddRoleProfiles(const TestPki& pki, const std::string& address) const {
    AddProfile("admin", pki.admin, address, pki.ca_file());
    AddProfile("procurement", pki.procurement, address, pki.ca_file());
    AddProfile("provider", pki.provider, address, pki.ca_file());
    AddProfile("auditor", pki.auditor, address, pki.ca_file());
  }

  // The Duinstreek covenant with its term running until 2099 (so that dates from today fall
  // within it) and, when given, starting on 1 January of `start_year`; created and published with
  // the "procurement" profile. Returns its id.
  std::string PublishDuinstreekCovenant(std::optional<int> start_year = std::nullopt) const {
    auto fixture = DuinstreekCovenant();
    auto* term = fixture.mutable_covenant()->mutable_terms()->mutable_term();
    term->mutable_end_date()->set_year(2099);
    if (start_year) {
      term->mutable_start_date()->set_year(*start_year);
    }
    std::string json;
    BOOST_REQUIRE(google::protobuf::util::MessageToJsonString(fixture, &json).ok());
    const auto file = home.path() / "covenant.json";
    std::ofstream(file) << json;
    const auto created = (*this)({"--profile", "procurement", "covenant", "create", "-f", file});
    BOOST_REQUIRE_MESSAGE(created.exit_code == 0, created.err);
    const auto id = fixture.covenant_id();
    const auto published = (*this)({"--profile", "procurement", "covenant", "publish", id});
    BOOST_REQUIRE_MESSAGE(published.exit_code == 0, published.err);
    return id;
  }

  // The Duinstreek municipalities and region, created with the "admin" profile.
  void LoadDuinstreek() const {
    for (const auto& m : DuinstreekMunicipalities()) {
      const auto r = (*this)({"--profile", "admin", "municipality", "create", "--code", m.code,
                              "--name", m.display_name});
      BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
    }
    const auto r =
        (*this)({"--profile", "admin", "region", "create", "--id", "duinstreek", "--name",
                 "Regio Duinstreek", "--municipalities", "9901,9902,9903", "--lead", "9901"});
    BOOST_REQUIRE_MESSAGE(r.exit_code == 0, r.err);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(server_process)

BOOST_AUTO_TEST_CASE(a_bad_flag_value_stops_the_start_with_one_line) {
  const TestPki pki;
  const auto dsn = PgCluster::Shared().CreateMigratedDatabase();
  auto args = ServerArgs(pki, dsn);
  args.push_back("--db-pool-size");
  args.push_back("many");
  BOOST_TEST(Contains(StartExpectingFailure(args).err, "--db-pool-size"));
  args.back() = "0";
  BOOST_TEST(Contains(StartExpectingFailure(args).err, "--db-pool-size must be 1..200"));
}

BOOST_AUTO_TEST_CASE(a_missing_certificate_stops_the_start_with_one_line) {
  const TestPki pki;
  auto args = ServerArgs(pki, PgCluster::Shared().CreateMigratedDatabase());
  SetFlag(args, "--tls-cert", "/nonexistent/server.crt");
  const auto result = StartExpectingFailure(args);
  BOOST_TEST(Contains(result.err, "--tls-cert"));
  BOOST_TEST(Contains(result.err, "/nonexistent/server.crt"));
}

BOOST_AUTO_TEST_CASE(a_key_that_does_not_match_the_certificate_stops_the_start) {
  const TestPki pki;
  auto args = ServerArgs(pki, PgCluster::Shared().CreateMigratedDatabase());
  SetFlag(args, "--tls-key", pki.admin.key.string());
  BOOST_TEST(Contains(StartExpectingFailure(args).err, "does not belong to"));
}

BOOST_AUTO_TEST_CASE(an_unreachable_database_stops_the_start_with_one_line) {
  const TestPki pki;
  const auto result =
      StartExpectingFailure(ServerArgs(pki, "host=/nonexistent port=5999 dbname=regie user=x"));
  BOOST_TEST(Contains(result.err, "cannot reach the database"));
}

BOOST_AUTO_TEST_CASE(plaintext_is_refused_off_loopback) {
  const TestPki pki;
  auto args = ServerArgs(pki, PgCluster::Shared().CreateMigratedDatabase());
  SetFlag(args, "--listen", "0.0.0.0:0");
  args.push_back("--dev-plaintext");
  BOOST_TEST(Contains(StartExpectingFailure(args).err, "loopback"));
}

BOOST_AUTO_TEST_CASE(a_database_with_an_edited_migration_is_refused) {
  const TestPki pki;
  const auto dsn = PgCluster::Shared().CreateMigratedDatabase();
  {
    pqxx::connection connection(dsn);
    pqxx::nontransaction(connection)
        .exec0("UPDATE meta.schema_migrations SET checksum = 'edited' WHERE version = '0001'");
  }
  BOOST_TEST(Contains(StartExpectingFailure(ServerArgs(pki, dsn)).err, "was edited"));
  const auto migrate = Run({MigrateBinary(), "--database-url", dsn});
  BOOST_TEST(migrate.exit_code == 1);
  BOOST_TEST(Contains(migrate.err, "V0001__foundation.sql was edited"));
}

BOOST_AUTO_TEST_CASE(regie_migrate_applies_once_and_checks) {
  const auto dsn = PgCluster::Shared().CreateDatabase();
  BOOST_TEST(Run({MigrateBinary(), "--database-url", dsn, "--check"}).exit_code == 1);
  const auto first = Run({MigrateBinary(), "--database-url", dsn});
  BOOST_TEST(first.exit_code == 0, first.err);
  BOOST_TEST(Contains(first.out, "applied V0001__foundation.sql"));
  const auto second = Run({MigrateBinary(), "--database-url", dsn});
  BOOST_TEST(Contains(second.out, "0 applied"));
  BOOST_TEST(Run({MigrateBinary(), "--database-url", dsn, "--check"}).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(serves_health_and_reflection_and_drains_on_sigterm) {
  const TestPki pki;
  ServerProcess server(pki, PgCluster::Shared().CreateMigratedDatabase());
  auto channel = client::OpenChannel(pki.ProfileFor(pki.auditor, server.address()));
  client::RegieClient client(channel);
  BOOST_TEST(client.Health() == "SERVING");

  auto reflection = grpc::reflection::v1alpha::ServerReflection::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  auto stream = reflection->ServerReflectionInfo(&context);
  grpc::reflection::v1alpha::ServerReflectionRequest request;
  request.set_list_services("");
  BOOST_REQUIRE(stream->Write(request));
  stream->WritesDone();
  grpc::reflection::v1alpha::ServerReflectionResponse response;
  BOOST_REQUIRE(stream->Read(&response));
  std::set<std::string> services;
  for (const auto& s : response.list_services_response().service()) {
    services.insert(s.name());
  }
  BOOST_TEST(stream->Finish().ok());
  BOOST_TEST(services.count("regie.identity.v1.IdentityService") == 1u);
  BOOST_TEST(services.count("regie.audit.v1.AuditService") == 1u);
  BOOST_TEST(services.count("grpc.health.v1.Health") == 1u);

  BOOST_TEST(server.process().Stop(SIGTERM, std::chrono::seconds(15)) == 0);
  BOOST_TEST(Contains(server.process().Log(), "draining"));
}

BOOST_AUTO_TEST_CASE(sigterm_finishes_calls_in_flight_refuses_new_ones_and_exits_0) {
  const TestPki pki;
  const auto dsn = PgCluster::Shared().CreateMigratedDatabase();
  ServerProcess server(pki, dsn);
  const auto profile = pki.ProfileFor(pki.admin, server.address());
  auto channel = client::OpenChannel(profile);

  // A load balancer watching health.
  auto health = grpc::health::v1::Health::NewStub(channel);
  grpc::ClientContext watch_context;
  watch_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(60));
  auto watch = health->Watch(&watch_context, grpc::health::v1::HealthCheckRequest());
  grpc::health::v1::HealthCheckResponse seen;
  BOOST_REQUIRE(watch->Read(&seen));
  BOOST_TEST(seen.status() == grpc::health::v1::HealthCheckResponse::SERVING);

  // A call in flight: an insert that waits for a table lock this test holds.
  pqxx::connection blocker(dsn);
  pqxx::work lock(blocker);
  lock.exec0("LOCK TABLE covenants.municipalities IN EXCLUSIVE MODE");
  auto in_flight = std::async(std::launch::async, [&] {
    client::RegieClient admin(channel, std::chrono::seconds(60));
    return admin.CreateMunicipality("9999", "Draindorp", "");
  });
  pqxx::connection observer(dsn);
  // The server's sessions that this test's lock blocks: the call's insert, or, when the call needed
  // a new connection, the preparation of that insert on connect (which locks the table too). Any
  // other connection the server opens meanwhile (its audit sealer's, say) prepares the same insert
  // and waits too, so there may be more than one. Other sessions of the shared cluster may wait on
  // locks of their own.
  const std::string blocked =
      "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND " +
      std::to_string(blocker.backendpid()) + " = ANY(pg_blocking_pids(pid))";
  auto waiting = [&] { return pqxx::nontransaction(observer).exec1(blocked)[0].as<int>(); };
  // What the database's sessions were doing, for a failure message.
  auto sessions = [&] {
    std::string text;
    for (const auto& row : pqxx::nontransaction(observer).exec(
             "SELECT pid, state, wait_event_type, wait_event, pg_blocking_pids(pid)::text, "
             "left(query, 80) FROM pg_stat_activity WHERE datname = current_database()")) {
      for (const auto& field : row) {
        text += std::string(field.is_null() ? "-" : field.c_str()) + " | ";
      }
      text += "\n";
    }
    return text;
  };
  const auto finished = [&] {
    return in_flight.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
  };
  for (int i = 0; i < 600 && waiting() == 0 && !finished(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (finished()) {  // it should be waiting for the lock: say how it ended instead
    try {
      BOOST_FAIL("the call meant to be in flight returned " << in_flight.get().name());
    } catch (const client::RpcError& e) {
      BOOST_FAIL("the call meant to be in flight failed: " << client::Describe(e));
    }
  }
  BOOST_REQUIRE_MESSAGE(waiting() >= 1, "the call is not seen waiting for the lock; sessions:\n"
                                            << sessions() << "server log:\n"
                                            << server.process().Log());

  auto exit_code = std::async(
      std::launch::async, [&] { return server.process().Stop(SIGTERM, std::chrono::seconds(30)); });
  BOOST_REQUIRE(watch->Read(&seen));
  BOOST_TEST(seen.status() == grpc::health::v1::HealthCheckResponse::NOT_SERVING);
  bool refused = false;
  client::RetryPolicy no_retries;
  no_retries.max_attempts = 1;
  for (int i = 0; i < 50 && !refused; ++i) {
    try {
      // One attempt each: this is about what the server answers, not about the client's retries.
      client::RegieClient(client::OpenChannel(profile), std::chrono::seconds(2), no_retries)
          .WhoAmI();
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    } catch (const client::RpcError& e) {
      refused = e.code() == grpc::UNAVAILABLE;
    }
  }
  BOOST_TEST(refused, "a new call during the drain was not refused with UNAVAILABLE");

  lock.commit();
  BOOST_TEST(in_flight.get().code() == "9999");  // the call in flight finished, and succeeded
  BOOST_TEST(exit_code.get() == 0);
  BOOST_TEST(pqxx::nontransaction(observer)
                 .exec1("SELECT count(*) FROM covenants.municipalities WHERE code = '9999'")[0]
                 .as<int>() == 1);
}

BOOST_AUTO_TEST_CASE(the_covenants_daemon_serves_its_area_alone) {
  const TestPki pki;
  auto args = ServerArgs(pki, PgCluster::Shared().CreateMigratedDatabase());
  args[0] = CovenantsDaemon();
  ServerProcess daemon(args);
  client::RegieClient client(
      client::OpenChannel(pki.ProfileFor(pki.procurement, daemon.address())));
  BOOST_TEST(client.Health("regie.covenants.v1.ReferenceDataService") == "SERVING");
  BOOST_TEST(client.ListMunicipalities().empty());
  BOOST_TEST(client.WhoAmI().principal().organisation() == "9901");  // common services too
  BOOST_TEST(Contains(daemon.process().Log(), "regie-covenantsd listening"));
  BOOST_TEST(daemon.process().Stop(SIGTERM, std::chrono::seconds(15)) == 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(regie_cli)

BOOST_AUTO_TEST_CASE(health_tells_when_each_certificate_expires_and_warns_ahead) {
  TestPki pki;  // the CA and the server's certificate are valid for 30 days
  const auto dsn = PgCluster::Shared().CreateMigratedDatabase();
  ServerProcess server(pki, dsn);
  const Cli regie;
  regie.AddRoleProfiles(pki, server.address());
  regie.AddProfile("short", pki.Issue("auditor", "9901", "Kortlopend", 10), server.address(),
                   pki.ca_file());

  const auto calm = regie({"--profile", "procurement", "health", "--warn-days", "7"});
  BOOST_TEST(calm.exit_code == 0, calm.err);
  BOOST_TEST(calm.err.empty(), calm.err);
  for (const auto* label :
       {"server certificate expires", "your certificate expires", "CA certificate expires"}) {
    BOOST_TEST(Contains(calm.out, label), calm.out);
  }
  BOOST_TEST(Contains(calm.out, "(29 days)"), calm.out);

  const auto own_soon = regie({"--profile", "short", "health", "--warn-days", "14"});
  BOOST_TEST(own_soon.exit_code == 8, own_soon.err);
  BOOST_TEST(Lines(own_soon.err) == 1u, own_soon.err);
  BOOST_TEST(Contains(own_soon.err, "warning: your certificate (CN=Kortlopend"), own_soon.err);
  BOOST_TEST(Contains(own_soon.out, "SERVING"), own_soon.out);

  const auto all_soon = regie({"--profile", "procurement", "health", "--warn-days", "60"});
  BOOST_TEST(all_soon.exit_code == 8, all_soon.err);
  BOOST_TEST(Lines(all_soon.err) == 3u, all_soon.err);
  BOOST_TEST(Contains(all_soon.err, "warning: server certificate (CN=regie-server"), all_soon.err);
}

BOOST_AUTO_TEST_CASE(the_roles_use_regie_against_a_running_server) {
  const TestPki pki;
  const auto dsn = PgCluster::Shared().CreateMigratedDatabase();
  ServerProcess server(pki, dsn);
  const Cli regie;
  regie.AddRoleProfiles(pki, server.address());

  // The test certificates live 30 days, within health's default warning period.
  const auto health = regie({"--profile", "procurement", "health", "--warn-days", "7"});
  BOOST_TEST(health.exit_code == 0, health.err);
  BOOST_TEST(Contains(health.out, "SERVING"));

  const auto whoami = regie({"--profile", "provider", "-o", "json", "whoami"});
  BOOST_TEST(whoami.exit_code == 0, whoami.err);
  const auto json = nlohmann::json::parse(whoami.out);
  BOOST_TEST(json["principal"]["organisation"].get<std::string>() == "12345678");
  BOOST_TEST(json["principal"]["role"].get<std::string>() == "ROLE_PROVIDER");

  // Refusals are one line naming the field, with exit code 4.
  const auto no_reason =
      regie({"--profile", "admin", "admin", "cert", "revoke", "ABCD", "--reason", ""});
  BOOST_TEST(no_reason.exit_code == 4);
  BOOST_TEST(Lines(no_reason.err) == 1u);
  BOOST_TEST(Contains(no_reason.err, "INVALID_ARGUMENT: reason: is required"), no_reason.err);
  const auto not_allowed =
      regie({"--profile", "provider", "admin", "cert", "revoke", "ABCD", "--reason", "x"});
  BOOST_TEST(not_allowed.exit_code == 4);
  BOOST_TEST(Contains(not_allowed.err, "PERMISSION_DENIED"));

  const auto revoke =
      regie({"--profile", "admin", "admin", "cert", "revoke", "abcd", "--reason", "key lost"});
  BOOST_TEST(revoke.exit_code == 0, revoke.err);
  BOOST_TEST(Contains(revoke.out, "ABCD"));

  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let the sealer run
  const auto verified = regie({"--profile", "auditor", "audit", "verify"});
  BOOST_TEST(verified.exit_code == 0, verified.err);
  BOOST_TEST(Contains(verified.out, "audit log verified: 2 entries"), verified.out);

  // An UPDATE of one audit row: verify fails, names the row, and exits 6.
  {
    pqxx::connection connection(dsn);
    pqxx::work tx(connection);
    tx.exec0("SET LOCAL session_replication_role = replica");
    tx.exec0(
        "UPDATE audit.events SET actor_subject = 'CN=nobody' "
        "WHERE resource = 'revokedCertificates/ABCD'");
    tx.commit();
  }
  const auto tampered = regie({"--profile", "auditor", "audit", "verify"});
  BOOST_TEST(tampered.exit_code == 6);
  BOOST_TEST(Contains(tampered.err, "FAILED: seq 2 (event id"), tampered.err);
}

BOOST_AUTO_TEST_CASE(certificates_issued_by_regie_run_a_server) {
  const Cli regie;
  const auto ca_dir = regie.home.path() / "ca";
  const auto certs = regie.home.path() / "certs";
  BOOST_TEST(regie({"admin", "ca", "init", "--dir", ca_dir.string()}).exit_code == 0);
  const auto again = regie({"admin", "ca", "init", "--dir", ca_dir.string()});
  BOOST_TEST(again.exit_code == 3);
  BOOST_TEST(Contains(again.err, "already exists"));

  auto issue = [&](const std::string& role, const std::string& org, const std::string& stem) {
    return regie({"admin", "cert", "issue", "--ca-dir", ca_dir.string(), "--out", certs.string(),
                  "--file-stem", stem, "--role", role, "--org", org, "--name", "Someone"});
  };
  const auto bad_org = issue("provider", "123", "bad");
  BOOST_TEST(bad_org.exit_code == 2);
  BOOST_TEST(Contains(bad_org.err, "--org must be an 8-digit KvK number"));
  BOOST_TEST(issue("server", "regie", "server").exit_code == 0);
  const auto issued = issue("procurement", "region:duinstreek", "procurement");
  BOOST_TEST(issued.exit_code == 0, issued.err);
  BOOST_TEST(Contains(issued.out, "OU=procurement"));
  struct stat key_stat {};
  BOOST_REQUIRE(::stat((certs / "procurement.key").c_str(), &key_stat) == 0);
  BOOST_TEST((key_stat.st_mode & 0777) == 0600u);

  const auto dsn = PgCluster::Shared().CreateMigratedDatabase();
  ServerProcess server({ServerBinary(), "--listen", "127.0.0.1:0", "--database-url", dsn,
                        "--tls-ca", (ca_dir / "ca.crt").string(), "--tls-cert",
                        (certs / "server.crt").string(), "--tls-key",
                        (certs / "server.key").string()});
  const auto result =
      regie({"--address", server.address(), "--cert", (certs / "procurement.crt").string(), "--key",
             (certs / "procurement.key").string(), "--ca", (ca_dir / "ca.crt").string(), "whoami"});
  BOOST_TEST(result.exit_code == 0, result.err);
  BOOST_TEST(Contains(result.out, "region:duinstreek"));
}

BOOST_AUTO_TEST_CASE(reference_data_through_regie) {
  const TestPki pki;
  ServerProcess server(pki, PgCluster::Shared().CreateMigratedDatabase());
  const Cli regie;
  regie.AddProfile("admin", pki.admin, server.address(), pki.ca_file());
  regie.AddProfile("provider", pki.provider, server.address(), pki.ca_file());
  for (const auto& [code, name] : std::vector<std::pair<std::string, std::string>>{
           {"9901", "Duinhaven"}, {"9902", "Bollenveld"}, {"9903", "Zeewijk"}}) {
    const auto r =
        regie({"--profile", "admin", "municipality", "create", "--code", code, "--name", name});
    BOOST_TEST(r.exit_code == 0, r.err);
  }
  const auto created =
      regie({"--profile", "admin", "region", "create", "--id", "duinstreek", "--name",
             "Regio Duinstreek", "--municipalities", "9901,9902,9903", "--lead", "9901"});
  BOOST_TEST(created.exit_code == 0, created.err);
  BOOST_TEST(Contains(created.out, "9901,9902,9903"));

  const auto list = regie({"--profile", "provider", "municipality", "list"});
  BOOST_TEST(list.exit_code == 0, list.err);
  BOOST_TEST(Contains(list.out, "CODE"));
  BOOST_TEST(Contains(list.out, "9902  Bollenveld"), list.out);
  const auto regions =
      regie({"--profile", "provider", "-o", "json", "region", "list", "--municipality", "9903"});
  BOOST_TEST(regions.exit_code == 0, regions.err);
  const auto json = nlohmann::json::parse(regions.out);
  BOOST_REQUIRE_EQUAL(json.size(), 1u);
  BOOST_TEST(json[0]["lead_municipality"].get<std::string>() == "municipalities/9901");

  const auto unknown = regie({"--profile", "admin", "region", "create", "--id", "noord", "--name",
                              "Noord", "--municipalities", "9901,8888", "--lead", "9901"});
  BOOST_TEST(unknown.exit_code == 4);
  BOOST_TEST(Contains(unknown.err,
                      "region.municipalities[1]: municipalities/8888 is not a "
                      "registered municipality"),
             unknown.err);
  const auto refused = regie(
      {"--profile", "provider", "municipality", "create", "--code", "0363", "--name", "Amsterdam"});
  BOOST_TEST(refused.exit_code == 4);
  BOOST_TEST(Contains(refused.err, "PERMISSION_DENIED"));
}

BOOST_AUTO_TEST_CASE(covenants_through_regie_from_json_and_yaml_files) {
  TestPki pki;
  ServerProcess server(pki, PgCluster::Shared().CreateMigratedDatabase());
  const Cli regie;
  regie.AddRoleProfiles(pki, server.address());
  regie.LoadDuinstreek();

  const auto created = regie({"--profile", "procurement", "covenant", "create", "-f",
                              FixturePath("duinstreek/covenant.json")});
  BOOST_TEST(created.exit_code == 0, created.err);
  BOOST_TEST(Contains(created.out, "covenants/jeugd-wmo-duinstreek-2026"));
  BOOST_TEST(Contains(created.out, "DRAFT"));
  BOOST_TEST(Contains(created.out, "windows 01-01 07-01; applications close 90 days before"),
             created.out);

  // The same API in YAML, with a mistake in it: the field is named, exit code 4.
  const auto yaml = regie.home.path() / "dyslexie.yaml";
  std::ofstream(yaml) << R"(covenant_id: dyslexiezorg-duinhaven
covenant:
  terms:
    title: Dyslexiezorg Duinhaven
    legal_bases: [LEGAL_BASIS_JEUGDWET]
    procurement_model: PROCUREMENT_MODEL_OPEN_HOUSE
    municipalities: [municipalities/9901]
    term:
      start_date: {year: 2026, month: 1, day: 1}
      end_date: {year: 2025, month: 12, day: 31}
    accession_policy: {mode: ALWAYS_OPEN}
    change_procedure: At the consultation table.
    dispute_route: Mediation, then the court.
    reporting_calendar:
      quarterly_report_due_days: 30
      annual_statement_due: {month: 3, day: 1}
      audit_opinion_due: {month: 4, day: 1}
      complaints_report_due: {month: 4, day: 1}
)";
  const auto refused = regie({"--profile", "procurement", "covenant", "create", "-f", yaml});
  BOOST_TEST(refused.exit_code == 4);
  BOOST_TEST(Contains(refused.err, "covenant.terms.term.end_date: must be after start_date"),
             refused.err);
  // request_id is quoted, so it stays a string although it looks like a number.
  std::ofstream(yaml, std::ios::app) << "request_id: \"0363\"\n";
  {
    std::ifstream in(yaml);
    std::stringstream text;
    text << in.rdbuf();
    auto fixed = text.str();
    fixed.replace(fixed.find("year: 2025, month: 12"), 21, "year: 2027, month: 12");
    std::ofstream(yaml) << fixed;
  }
  const auto from_yaml = regie({"--profile", "procurement", "covenant", "create", "-f", yaml});
  BOOST_TEST(from_yaml.exit_code == 0, from_yaml.err);
  const auto bad_file = regie.home.path() / "bad.yaml";
  std::ofstream(bad_file) << "covenant_id: x\nunknown_field: 1\n";
  const auto unknown = regie({"--profile", "procurement", "covenant", "create", "-f", bad_file});
  BOOST_TEST(unknown.exit_code == 3);
  BOOST_TEST(Contains(unknown.err, "does not fit regie.covenants.v1.CreateCovenantRequest"),
             unknown.err);

  // Drafts stay private; publication opens them.
  BOOST_TEST(!Contains(regie({"--profile", "provider", "covenant", "list"}).out, "duinstreek"));
  const auto hidden =
      regie({"--profile", "provider", "covenant", "show", "jeugd-wmo-duinstreek-2026"});
  BOOST_TEST(hidden.exit_code == 4);
  BOOST_TEST(Contains(hidden.err, "NOT_FOUND"));
  BOOST_TEST(regie({"--profile", "procurement", "covenant", "publish", "jeugd-wmo-duinstreek-2026"})
                 .exit_code == 0);
  const auto listed = regie({"--profile", "provider", "covenant", "list", "--state", "published"});
  BOOST_TEST(listed.exit_code == 0, listed.err);
  BOOST_TEST(Contains(listed.out, "covenants/jeugd-wmo-duinstreek-2026  PUBLISHED"), listed.out);
  BOOST_TEST(!Contains(listed.out, "dyslexiezorg"));
  const auto shown = regie({"--profile", "provider", "-o", "json", "covenant", "show",
                            "jeugd-wmo-duinstreek-2026", "--as-of", "2027-06-01"});
  BOOST_TEST(shown.exit_code == 0, shown.err);
  BOOST_TEST(nlohmann::json::parse(shown.out)["terms"]["region"].get<std::string>() ==
             "regions/duinstreek");
  BOOST_TEST(
      regie({"--profile", "provider", "covenant", "list", "--state", "archived"}).exit_code == 2);
}

BOOST_AUTO_TEST_CASE(the_consultation_table_through_regie) {
  TestPki pki;
  const auto dsn = PgCluster::Shared().CreateMigratedDatabase();
  ServerProcess server(pki, dsn);
  const Cli regie;
  regie.AddRoleProfiles(pki, server.address());
  regie.LoadDuinstreek();
  const auto id = regie.PublishDuinstreekCovenant();
  pqxx::connection connection(dsn);
  pqxx::nontransaction sql(connection);
  const auto today =
      sql.exec1("SELECT (now() AT TIME ZONE 'Europe/Amsterdam')::date::text")[0].as<std::string>();
  const auto in_30_days =
      sql.exec1("SELECT ((now() AT TIME ZONE 'Europe/Amsterdam')::date + 30)::text")[0]
          .as<std::string>();

  const auto scheduled =
      regie({"--profile", "procurement", "meeting", "schedule", id, "--date", today, "--location",
             "Town hall Duinhaven", "--agenda", "Tariffs 2027", "--agenda", "Notice period"});
  BOOST_TEST(scheduled.exit_code == 0, scheduled.err);
  BOOST_TEST(Contains(scheduled.out, "covenants/" + id + "/meetings/1"), scheduled.out);
  BOOST_TEST(Contains(scheduled.out, "9901,9902,9903"), scheduled.out);
  const auto minutes_file = regie.home.path() / "minutes.txt";
  std::ofstream(minutes_file) << "All providers present.\nIndexation agreed.\n";
  const auto held = regie({"--profile", "procurement", "meeting", "minutes", id + "/1", "-f",
                           minutes_file, "--decision", "Tariffs of P1 rise by 3.25%."});
  BOOST_TEST(held.exit_code == 0, held.err);
  BOOST_TEST(Contains(held.out, "HELD"), held.out);

  // An indexation and a change of terms, proposed from YAML and adopted at the meeting.
  const auto indexation = regie.home.path() / "indexation.yaml";
  std::ofstream(indexation) << "title: Tariff indexation P1\n"
                               "rationale: OVA index 3.25%.\n"
                               "effective_date: \""
                            << in_30_days << "\"\n"
                            << "tariff_indexation: {basis_points: 325, lot_ids: [P1]}\n";
  // google.type.Date is a message, so the date is written as year, month and day.
  {
    std::ifstream in(indexation);
    std::stringstream text;
    text << in.rdbuf();
    auto yaml = text.str();
    const auto date = "\"" + in_30_days + "\"";
    yaml.replace(yaml.find(date), date.size(),
                 "{year: " + in_30_days.substr(0, 4) +
                     ", month: " + std::to_string(std::stoi(in_30_days.substr(5, 2))) +
                     ", day: " + std::to_string(std::stoi(in_30_days.substr(8, 2))) + "}");
    std::ofstream(indexation) << yaml;
  }
  const auto adopted = regie({"--profile", "procurement", "covenant", "amend", id, "-f", indexation,
                              "--adopt-at", id + "/1"});
  BOOST_TEST(adopted.exit_code == 0, adopted.err);
  BOOST_TEST(Contains(adopted.out, "ADOPTED"), adopted.out);
  BOOST_TEST(Contains(adopted.out, "tariff indexation 3.25% (P1)"), adopted.out);

  const auto notice = regie.home.path() / "notice.json";
  std::ofstream(notice) << R"({"title": "Shorter notice", "rationale": "Asked by providers.",
    "effective_date": {"year": 2098, "month": 1, "day": 1},
    "terms_change": {"terms": {"term": {"notice_period_months": 3}},
                     "update_mask": "term.noticePeriodMonths"}})";
  const auto proposed = regie({"--profile", "procurement", "covenant", "amend", id, "-f", notice});
  BOOST_TEST(proposed.exit_code == 0, proposed.err);
  BOOST_TEST(Contains(proposed.out, "PROPOSED"), proposed.out);
  BOOST_TEST(Contains(proposed.out, "terms: term.notice_period_months"), proposed.out);
  BOOST_TEST(
      regie({"--profile", "procurement", "amendment", "adopt", id + "/2", "--meeting", id + "/1"})
          .exit_code == 0);

  const auto versions = regie({"--profile", "provider", "covenant", "versions", id});
  BOOST_TEST(versions.exit_code == 0, versions.err);
  BOOST_TEST(Contains(versions.out, "as published"), versions.out);
  BOOST_TEST(Contains(versions.out, "OVA index 3.25%."), versions.out);
  BOOST_TEST(Lines(versions.out) == 4u, versions.out);
  const auto lot = regie({"--profile", "provider", "lot", "show", id, "P1", "--as-of", in_30_days});
  BOOST_TEST(lot.exit_code == 0, lot.err);
  BOOST_TEST(Contains(lot.out, "EUR 80.54 " + in_30_days + ".."), lot.out);
  const auto diff = regie({"--profile", "provider", "covenant", "diff", id, "2", "3"});
  BOOST_TEST(Contains(diff.out, "terms.term.notice_period_months"), diff.out);
  const auto requirements =
      regie({"--profile", "provider", "requirement", "list", id, "--lot", "P4"});
  BOOST_TEST(Contains(requirements.out, "R5"), requirements.out + requirements.err);
  const auto listed = regie({"--profile", "provider", "amendment", "list", id});
  BOOST_TEST(Contains(listed.out, "ADOPTED"), listed.out);
  BOOST_TEST(Lines(listed.out) == 3u, listed.out);

  const auto refused = regie({"--profile", "provider", "covenant", "amend", id, "-f", notice});
  BOOST_TEST(refused.exit_code == 4);
  BOOST_TEST(Contains(refused.err, "PERMISSION_DENIED"), refused.err);

  // Documents by hash: the same content twice is refused, a new one is the next revision.
  const auto agreement = regie.home.path() / "basisovereenkomst.pdf";
  std::ofstream(agreement) << "%PDF-1.7 base agreement, first text";
  const std::vector<std::string> record = {
      "--profile", "procurement",       "document", "record",
      id,          "base-agreement",    "--kind",   "base-agreement",
      "--title",   "Basisovereenkomst", "-f",       agreement.string()};
  const auto first = regie(record);
  BOOST_TEST(first.exit_code == 0, first.err);
  BOOST_TEST(Contains(first.out, "revision    1"), first.out);
  BOOST_TEST(Contains(regie(record).err, "DOCUMENT_UNCHANGED"));
  std::ofstream(agreement) << "%PDF-1.7 base agreement, second text";
  BOOST_TEST(Contains(regie(record).out, "revision    2"));
  const auto revisions =
      regie({"--profile", "provider", "document", "revisions", id, "base-agreement"});
  BOOST_TEST(revisions.exit_code == 0, revisions.err);
  BOOST_TEST(Lines(revisions.out) == 3u, revisions.out);
}

BOOST_AUTO_TEST_CASE(local_problems_and_unreachable_servers_have_their_own_exit_codes) {
  const TestPki pki;
  const Cli regie;
  const auto unknown = regie({"--profile", "nobody", "health"});
  BOOST_TEST(unknown.exit_code == 3);
  BOOST_TEST(Contains(unknown.err, "no profile named 'nobody'"));

  regie.AddProfile("offline", pki.procurement, "127.0.0.1:1", pki.ca_file());
  const auto offline = regie({"--profile", "offline", "--timeout", "2", "health"});
  BOOST_TEST(offline.exit_code == 5);
  BOOST_TEST(Contains(offline.err, "UNAVAILABLE"));

  BOOST_TEST(regie({"no-such-command"}).exit_code == 2);
  BOOST_TEST(regie({"--help"}).exit_code == 0);
}

BOOST_AUTO_TEST_CASE(a_read_is_retried_until_the_server_is_back_and_a_plain_write_is_not) {
  const TestPki pki;
  const auto dsn = PgCluster::Shared().CreateMigratedDatabase();
  std::string address;
  {
    ServerProcess first(pki, dsn);
    address = first.address();
    BOOST_TEST(first.process().Stop(SIGTERM, std::chrono::seconds(15)) == 0);
  }
  const Cli regie;
  regie.AddRoleProfiles(pki, address);

  // The server is down when `regie whoami` starts, and back a moment later: the read is retried
  // until it answers.
  const TempDir logs;
  BackgroundProcess waiting({RegieBinary(), "--profile", "auditor", "--retries", "8", "whoami"},
                            {{"REGIE_CONFIG", regie.config.string()}, {"REGIE_PROFILE", ""}},
                            logs.path() / "whoami.log");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  ServerProcess second(ServerArgs(pki, dsn, address));
  BOOST_TEST(waiting.Wait(std::chrono::seconds(60)) == 0, waiting.Log());
  const auto log = waiting.Log();
  BOOST_TEST(Contains(log, "regie: UNAVAILABLE: "), log);
  BOOST_TEST(Contains(log, "; retrying in "), log);
  BOOST_TEST(Contains(log, "(attempt 2 of 9)"), log);
  BOOST_TEST(Contains(log, "Accountant Duinstreek"), log);

  // A write that the server does not deduplicate is made once: the server is down, so it fails
  // at once with exit code 5 and nothing is retried.
  BOOST_TEST(second.process().Stop(SIGTERM, std::chrono::seconds(15)) == 0);
  const auto create = regie({"--profile", "admin", "--retries", "8", "municipality", "create",
                             "--code", "9999", "--name", "Nergenshuizen"});
  BOOST_TEST(create.exit_code == 5, create.err);
  BOOST_TEST(!Contains(create.err, "retrying"), create.err);
  BOOST_TEST(Lines(create.err) == 1u, create.err);
}

BOOST_AUTO_TEST_CASE(a_foreign_ca_certificate_cannot_connect) {
  TestPki pki;
  ServerProcess server(pki, PgCluster::Shared().CreateMigratedDatabase());
  const Cli regie;
  const auto foreign = pki.IssueForeign("procurement", "9901", "Intruder");
  regie.AddProfile("intruder", foreign, server.address(), pki.ca_file());
  const auto result = regie({"--profile", "intruder", "--timeout", "3", "whoami"});
  BOOST_TEST(result.exit_code == 5);
  BOOST_TEST(Contains(result.err, "UNAVAILABLE"));
}

BOOST_AUTO_TEST_CASE(an_admission_round_through_regie) {
  TestPki pki;
  const auto dsn = PgCluster::Shared().CreateMigratedDatabase();
  ServerProcess server(pki, dsn);
  const Cli regie;
  regie.AddRoleProfiles(pki, server.address());
  regie.AddProfile("decider", pki.Issue("procurement", "9902", "Beslisser Bollenveld"),
                   server.address(), pki.ca_file());
  regie.LoadDuinstreek();
  const auto id = regie.PublishDuinstreekCovenant();
  pqxx::connection connection(dsn);
  const auto today = pqxx::nontransaction(connection)
                         .exec1("SELECT (now() AT TIME ZONE 'Europe/Amsterdam')::date::text")[0]
                         .as<std::string>();

  // The provider registers and records its evidence.
  const auto registered = regie({"--profile", "provider", "provider", "register", "-f",
                                 FixturePath("duinstreek/provider.yaml")});
  BOOST_REQUIRE_MESSAGE(registered.exit_code == 0, registered.err);
  BOOST_TEST(Contains(registered.out, "Jeugdzorg Duinstreek"), registered.out);
  const auto document = regie.home.path() / "evidence.pdf";
  const std::vector<std::pair<std::string, std::string>> evidence = {
      {"vog", "certificate-of-conduct"},
      {"insurance", "liability-insurance"},
      {"hkz", "quality-mark"},
      {"complaints", "complaints-procedure"}};
  for (const auto& [evidence_id, kind] : evidence) {
    std::ofstream(document) << "content of " << evidence_id;
    const auto added =
        regie({"--profile", "provider", "evidence", "add", evidence_id, "--kind", kind, "--title",
               "Evidence " + evidence_id, "--issued", today, "-f", document});
    BOOST_REQUIRE_MESSAGE(added.exit_code == 0, added.err);
  }
  const auto listed =
      regie({"--profile", "procurement", "evidence", "list", "--provider", "12345678"});
  BOOST_TEST(Contains(listed.out, "providers/12345678/evidence/insurance"), listed.out);

  // It applies for P1 and P4, for the next window still open.
  const auto submitted =
      regie({"--profile", "provider", "application", "submit", id, "--lot", "P1", "--lot", "P4"});
  BOOST_REQUIRE_MESSAGE(submitted.exit_code == 0, submitted.err);
  std::smatch window_match;
  BOOST_REQUIRE(std::regex_search(submitted.out, window_match,
                                  std::regex("window +([0-9]{4}-[0-9]{2}-[0-9]{2})")));
  const std::string window = window_match[1];
  const std::string application = id + "/1";

  // Procurement assesses: R5 (EED) fails, with a motivation that cites it.
  const auto unmotivated = regie({"--profile", "procurement", "application", "assess", application,
                                  "--requirement", "R5", "--fail"});
  BOOST_TEST(unmotivated.exit_code == 4);
  BOOST_TEST(Contains(unmotivated.err, "assessment.motivation"), unmotivated.err);
  const std::vector<std::pair<std::string, std::string>> passes = {
      {"R1", "vog"}, {"R2", "insurance"}, {"R3", "hkz"}, {"R4", "complaints"}};
  for (const auto& [requirement, evidence_id] : passes) {
    const auto assessed =
        regie({"--profile", "procurement", "application", "assess", application, "--requirement",
               requirement, "--pass", "--evidence", evidence_id});
    BOOST_REQUIRE_MESSAGE(assessed.exit_code == 0, assessed.err);
  }
  const auto failed = regie({"--profile", "procurement", "application", "assess", application,
                             "--requirement", "R5", "--fail", "--motivation",
                             "R5: no EED-registered psychologist works for the provider."});
  BOOST_REQUIRE_MESSAGE(failed.exit_code == 0, failed.err);

  // Four eyes: the assessor cannot decide; a colleague does.
  const auto own = regie(
      {"--profile", "procurement", "application", "decide", application, "--lot", "P1", "--admit"});
  BOOST_TEST(own.exit_code == 4);
  BOOST_TEST(Contains(own.err, "FOUR_EYES"), own.err);
  const auto admitted = regie(
      {"--profile", "decider", "application", "decide", application, "--lot", "P1", "--admit"});
  BOOST_REQUIRE_MESSAGE(admitted.exit_code == 0, admitted.err);
  const auto rejected = regie(
      {"--profile", "decider", "application", "decide", application, "--lot", "P4", "--reject"});
  BOOST_REQUIRE_MESSAGE(rejected.exit_code == 0, rejected.err);
  BOOST_TEST(Contains(rejected.out, "DECIDED"), rejected.out);

  // The provider reads its letters.
  const auto letters = regie({"--profile", "provider", "application", "show", application});
  BOOST_TEST(Contains(letters.out, "You meet every published admission requirement"), letters.out);
  BOOST_TEST(Contains(letters.out, "R5 (revision 1) EED registration"), letters.out);

  // One participation, from the window date, and in the public register from then on.
  const auto participations = regie({"--profile", "procurement", "participation", "list", id});
  BOOST_TEST(Contains(participations.out, "12345678-P1"), participations.out);
  BOOST_TEST(!Contains(participations.out, "12345678-P4"), participations.out);
  BOOST_TEST(Contains(participations.out, window), participations.out);
  const auto public_register =
      regie({"--profile", "auditor", "register", "show", id, "--as-of", window});
  BOOST_TEST(public_register.exit_code == 0, public_register.err);
  BOOST_TEST(Contains(public_register.out, "Jeugdzorg Duinstreek"), public_register.out);

  // The equal-treatment report: one requirement version for everyone.
  const auto report =
      regie({"--profile", "auditor", "admission", "report", id, "--window", window});
  BOOST_TEST(report.exit_code == 0, report.err);
  BOOST_TEST(std::regex_search(report.out, std::regex("R5 +1 +yes +0 +1")), report.out);
}

BOOST_AUTO_TEST_CASE(a_settlement_through_regie) {
  TestPki pki;
  const auto dsn = PgCluster::Shared().CreateMigratedDatabase();
  ServerProcess server(pki, dsn);
  const Cli regie;
  regie.AddRoleProfiles(pki, server.address());
  regie.LoadDuinstreek();
  pqxx::connection connection(dsn);
  const int this_year = ThisYear(connection);
  const auto last_year = std::to_string(this_year - 1);
  // The term moved to begin last year, so that last year can be settled.
  const auto id = regie.PublishDuinstreekCovenant(this_year - 1);
  const auto registered = regie({"--profile", "provider", "provider", "register", "-f",
                                 FixturePath("duinstreek/provider.yaml")});
  BOOST_REQUIRE_MESSAGE(registered.exit_code == 0, registered.err);

  const auto indicators = regie({"--profile", "provider", "indicator", "list"});
  BOOST_TEST(Contains(indicators.out, "nji-drop-out"), indicators.out);
  BOOST_TEST(Contains(indicators.out, "lower is better"), indicators.out);
  const auto created = regie({"--profile", "procurement", "agreement", "create", "-f",
                              FixturePath("duinstreek/agreement.yaml")});
  BOOST_REQUIRE_MESSAGE(created.exit_code == 0, created.err);
  BOOST_TEST(Contains(created.out, "1, in force from " + last_year + "-01-01"), created.out);
  const auto shown = regie({"--profile", "provider", "agreement", "show", id + "/P6/results"});
  BOOST_TEST(Contains(shown.out, "floor 0.2, target 0.1, weight 0.2"), shown.out);

  // Before any accepted report the provider is skipped.
  const auto early =
      regie({"--profile", "procurement", "settle", "run", id, "--period", last_year});
  BOOST_REQUIRE_MESSAGE(early.exit_code == 0, early.err);
  BOOST_TEST(Contains(early.out, "SKIPPED"), early.out);
  BOOST_TEST(Contains(early.out, "no accepted quarterly report"), early.out);

  AcceptOracleYear(dsn, id, "12345678", this_year - 1, "P6");
  const auto run = regie({"--profile", "procurement", "settle", "run", id, "--period", last_year});
  BOOST_REQUIRE_MESSAGE(run.exit_code == 0, run.err);
  BOOST_TEST(Contains(run.out, "CREATED"), run.out);
  BOOST_TEST(Contains(run.out, "EUR 2,368,800.00"), run.out);
  const auto again =
      regie({"--profile", "procurement", "settle", "run", id, "--period", last_year});
  BOOST_TEST(Contains(again.out, "UNCHANGED"), again.out);

  const auto settlement = id + "/" + last_year + "-12345678-P6-results";
  const auto explained = regie({"--profile", "provider", "settle", "explain", settlement});
  BOOST_REQUIRE_MESSAGE(explained.exit_code == 0, explained.err);
  BOOST_TEST(Contains(explained.out, "Score S = 0.740000 (37/50)"), explained.out);
  BOOST_TEST(Contains(explained.out, "Paid result share R x S: EUR 88,800.00"), explained.out);
  const auto listed = regie({"-o", "json", "--profile", "provider", "settle", "list", id});
  BOOST_TEST(Contains(listed.out, "\"total_eurocents\": \"236880000\""), listed.out);

  const auto recovery = regie({"--profile", "provider", "settle", "recovery", "--planned",
                               "1000000", "--error-rate", "4%", "--agreement", id + "/P6/results"});
  BOOST_REQUIRE_MESSAGE(recovery.exit_code == 0, recovery.err);
  BOOST_TEST(Contains(recovery.out, "Total recovery: EUR 60,000.00"), recovery.out);

  // The running year cannot be settled: the server refuses (exit 4) and says from when.
  const auto refused = regie(
      {"--profile", "procurement", "settle", "run", id, "--period", std::to_string(this_year)});
  BOOST_TEST(refused.exit_code == 4);
  BOOST_TEST(Contains(refused.err, "PERIOD_NOT_ENDED"), refused.err);
  const auto bad_amount =
      regie({"--profile", "provider", "settle", "recovery", "--planned", "1.000.000",
             "--error-rate", "4", "--tolerance", "3", "--penalty", "50"});
  BOOST_TEST(bad_amount.exit_code != 0);
  BOOST_TEST(Contains(bad_amount.err, "--planned"), bad_amount.err);
}

// A fixture report file with its period moved to `year` (and each of `edits` applied: text
// replaced), written to `dir`.
std::filesystem::path ReportFile(
    const std::filesystem::path& dir, const std::string& fixture, int year,
    const std::vector<std::pair<std::string, std::string>>& edits = {}) {
  std::ifstream in(FixturePath("duinstreek/" + fixture));
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto text = std::regex_replace(buffer.str(), std::regex("period: 2026"),
                                 "period: " + std::to_string(year));
  for (const auto& [from, to] : edits) {
    const auto at = text.find(from);
    BOOST_REQUIRE_MESSAGE(at != std::string::npos, from);
    text.replace(at, from.size(), to);
  }
  const auto file = dir / (std::to_string(edits.size()) + "-" + fixture);
  std::ofstream(file) << text;
  return file;
}

BOOST_AUTO_TEST_CASE(a_quarter_reported_reviewed_verified_and_settled_through_regie) {
  TestPki pki;
  const auto dsn = PgCluster::Shared().CreateMigratedDatabase();
  ServerProcess server(pki, dsn);
  const Cli regie;
  regie.AddRoleProfiles(pki, server.address());
  regie.LoadDuinstreek();
  pqxx::connection connection(dsn);
  const int last_year = ThisYear(connection) - 1;
  const auto year = std::to_string(last_year);
  const auto id = regie.PublishDuinstreekCovenant(last_year);
  const auto registered = regie({"--profile", "provider", "provider", "register", "-f",
                                 FixturePath("duinstreek/provider.yaml")});
  BOOST_REQUIRE_MESSAGE(registered.exit_code == 0, registered.err);
  AdmitInThePast(dsn, id, "12345678", {"P1", "P4", "P6"},
                 std::chrono::sys_days(std::chrono::year(last_year) / 1 / 1));
  const auto& dir = regie.home.path();

  // Q1: submitted signed, retried safely, verified by the auditor, accepted.
  const auto q1 = ReportFile(dir, "report-q1.yaml", last_year);
  const auto submitted = regie({"--profile", "provider", "report", "submit", "-f", q1.string(),
                                "--request-id", "q1-first-try"});
  BOOST_REQUIRE_MESSAGE(submitted.exit_code == 0, submitted.err);
  BOOST_TEST(Contains(submitted.out, "reports/12345678-" + year + "-q1"), submitted.out);
  BOOST_TEST(Contains(submitted.out, "SUBMITTED"), submitted.out);
  BOOST_TEST(Contains(submitted.out, "EUR 15,600.00"), submitted.out);
  const auto retried = regie({"--profile", "provider", "report", "submit", "-f", q1.string(),
                              "--request-id", "q1-first-try"});
  BOOST_TEST(Contains(retried.out, "version    1"), retried.out);
  const auto q1_name = id + "/12345678-" + year + "-q1";
  const auto verified = regie({"--profile", "auditor", "report", "verify", q1_name});
  BOOST_TEST(verified.exit_code == 0, verified.err);
  BOOST_TEST(Contains(verified.out, "verified: signed by"), verified.out);
  const auto accepted =
      regie({"--profile", "procurement", "report", "review", q1_name, "--accept"});
  BOOST_REQUIRE_MESSAGE(accepted.exit_code == 0, accepted.err);
  BOOST_TEST(Contains(accepted.out, "ACCEPTED"), accepted.out);

  // Q2: streamed, questioned, corrected, and the correction accepted.
  const auto q2 = ReportFile(dir, "report-q2.yaml", last_year);
  const auto uploaded = regie({"--profile", "provider", "report", "upload", "-f", q2.string()});
  BOOST_REQUIRE_MESSAGE(uploaded.exit_code == 0, uploaded.err);
  BOOST_TEST(Contains(uploaded.err, "sent 2 line(s)"), uploaded.err);
  const auto q2_name = id + "/12345678-" + year + "-q2";
  const auto questioned =
      regie({"--profile", "procurement", "report", "review", q2_name, "--question", "--reason",
             "Declared hours in Bollenveld look high"});
  BOOST_TEST(Contains(questioned.out, "QUESTIONED"), questioned.out);
  const auto corrected_file =
      ReportFile(dir, "report-q2.yaml", last_year,
                 {{"amount_eurocents: 1482000", "amount_eurocents: 1404000"}});
  const auto corrected =
      regie({"--profile", "provider", "report", "submit", "-f", corrected_file.string()});
  BOOST_REQUIRE_MESSAGE(corrected.exit_code == 0, corrected.err);
  BOOST_TEST(Contains(corrected.out, "version    2"), corrected.out);
  BOOST_TEST(
      regie({"--profile", "procurement", "report", "review", q2_name, "--accept"}).exit_code == 0);
  const auto versions = regie({"--profile", "auditor", "report", "versions", q2_name});
  BOOST_TEST(Contains(versions.out, "QUESTIONED"), versions.out);
  BOOST_TEST(Contains(versions.out, "ACCEPTED"), versions.out);
  const auto listed = regie(
      {"--profile", "auditor", "report", "list", id, "--state", "ACCEPTED", "--period", year});
  BOOST_TEST(Contains(listed.out, "12345678-" + year + "-q1"), listed.out);
  BOOST_TEST(Contains(listed.out, "12345678-" + year + "-q2"), listed.out);

  // Settlement reads the accepted versions: the domain oracle's EUR 2,368,800.
  const auto agreement = regie({"--profile", "procurement", "agreement", "create", "-f",
                                FixturePath("duinstreek/agreement.yaml")});
  BOOST_REQUIRE_MESSAGE(agreement.exit_code == 0, agreement.err);
  const auto settled = regie({"--profile", "procurement", "settle", "run", id, "--period", year});
  BOOST_REQUIRE_MESSAGE(settled.exit_code == 0, settled.err);
  BOOST_TEST(Contains(settled.out, "EUR 2,368,800.00"), settled.out);

  // Aggregates: the municipalities see their figures, the auditor sees small counts suppressed.
  const auto open = regie({"--profile", "procurement", "query", "aggregate", id, "--by",
                           "municipality,lot", "--period", year});
  BOOST_REQUIRE_MESSAGE(open.exit_code == 0, open.err);
  BOOST_TEST(Contains(open.out, "9901 P1"), open.out);
  BOOST_TEST(!Contains(open.out, "suppressed"), open.out);
  const auto shared =
      regie({"--profile", "auditor", "query", "aggregate", id, "--by", "municipality"});
  BOOST_REQUIRE_MESSAGE(shared.exit_code == 0, shared.err);
  BOOST_TEST(Contains(shared.out, "x: suppressed"), shared.out);
  const auto budget = regie({"--profile", "procurement", "query", "budget", id, "--year", year});
  BOOST_REQUIRE_MESSAGE(budget.exit_code == 0, budget.err);
  BOOST_TEST(Contains(budget.out, "EUR 17,640.00"), budget.out);  // 9901 P1: Q1, both codes
  BOOST_TEST(Contains(budget.out, "declared without budget"), budget.out);
  BOOST_TEST(Contains(budget.out, "straight line through Q2"), budget.out);
  BOOST_TEST(regie({"--profile", "provider", "query", "budget", id, "--year", year}).exit_code ==
             4);
  const auto peers = regie({"--profile", "provider", "query", "peers", id, "--indicator",
                            "nji-drop-out", "--period", year});
  BOOST_REQUIRE_MESSAGE(peers.exit_code == 0, peers.err);
  BOOST_TEST(Contains(peers.out, "A (you)"), peers.out);
  BOOST_TEST(Contains(peers.out, "0.1400"), peers.out);  // 14 / 100
  BOOST_TEST(Contains(peers.out, "lower is better"), peers.out);
  // Exports: any query as CSV or JSON, and the production statement generated from the reports.
  const auto csv =
      regie({"--profile", "auditor", "export", "csv", "aggregate", id, "--by", "municipality"});
  BOOST_REQUIRE_MESSAGE(csv.exit_code == 0, csv.err);
  BOOST_TEST(csv.out.rfind("GROUP,PROVIDERS,IN CARE,", 0) == 0u, csv.out);
  BOOST_TEST(Contains(csv.out, ",x,"), csv.out);
  BOOST_TEST(Contains(csv.err, "x: suppressed"), csv.err);
  const auto json =
      regie({"--profile", "procurement", "export", "json", "budget", id, "--year", year});
  BOOST_REQUIRE_MESSAGE(json.exit_code == 0, json.err);
  BOOST_TEST(nlohmann::json::parse(json.out)["through_quarter"] == 2);
  const auto statement = regie({"--profile", "procurement", "export", "production-statement",
                                "--year", year, "--municipality", "9901"});
  BOOST_REQUIRE_MESSAGE(statement.exit_code == 0, statement.err);
  BOOST_TEST(statement.out.rfind("municipality_code,year,covenant,provider_kvk,", 0) == 0u,
             statement.out);
  BOOST_TEST(Contains(statement.out,
                      "9901," + year + "," + id + ",12345678,Jeugdzorg Duinstreek,P1,45,45A48,"),
             statement.out);
  BOOST_TEST(Contains(statement.out, ",15600.00\r\n"), statement.out);
  BOOST_TEST(Contains(statement.err, "total EUR 17,640.00 over 2 line(s)"), statement.err);
  BOOST_TEST(regie({"--profile", "provider", "export", "production-statement", "--year", year,
                    "--municipality", "9901"})
                 .exit_code == 4);
  const auto bad_dimension =
      regie({"--profile", "auditor", "query", "aggregate", id, "--by", "provider"});
  BOOST_TEST(bad_dimension.exit_code == 3);

  // The OCDS export validates against the official profile schema with a real JSON Schema
  // validator; a deliberately broken copy does not.
  const auto ocds = dir / "ocds.json";
  const auto exported =
      regie({"--profile", "auditor", "export", "ocds", id, "--output", ocds.string()});
  BOOST_REQUIRE_MESSAGE(exported.exit_code == 0, exported.err);
  BOOST_TEST(Contains(exported.err, "wrote 6 releases"), exported.err);  // tender, 3 awards, 2
                                                                         // implementation updates
  const auto validator = FixturePath("../ocds/validate_ocds.py");
  const auto valid = Run({"python3", validator, ocds.string()});
  BOOST_TEST(valid.exit_code == 0, valid.out << valid.err);
  auto package = nlohmann::json::parse(std::ifstream(ocds));
  BOOST_TEST(package["releases"][0]["ocid"] == "ocds-regie1-" + id);
  const auto& p6_award = package["releases"][3]["awards"][0];
  BOOST_TEST(p6_award["id"] == "12345678-P6");
  BOOST_TEST(p6_award["agreedMetrics"].size() == 5u);
  package["releases"][1]["awards"][0]["status"] = "granted";    // not in the codelist
  package["releases"][2]["id"] = package["releases"][1]["id"];  // a repeated release id
  package["releases"][0]["ocid"] = id;                          // no OCID prefix
  const auto broken = dir / "broken-ocds.json";
  std::ofstream(broken) << package.dump(2);
  const auto invalid = Run({"python3", validator, broken.string()});
  BOOST_TEST(invalid.exit_code == 1);
  BOOST_TEST(Contains(invalid.out, "'granted' is not one of"), invalid.out);
  BOOST_TEST(Contains(invalid.out, "appears twice"), invalid.out);
  BOOST_TEST(Contains(invalid.out, "lacks a prefix"), invalid.out);

  // The audit trail of a report, and a report as it stood on a day.
  const auto trail = regie({"--profile", "auditor", "audit", "log", "--resource",
                            "covenants/" + id + "/reports/12345678-" + year + "-q2"});
  BOOST_REQUIRE_MESSAGE(trail.exit_code == 0, trail.err);
  BOOST_TEST(Contains(trail.out, "UploadReport"), trail.out);
  BOOST_TEST(Contains(trail.out, "ReviewReport"), trail.out);
  BOOST_TEST(Contains(trail.out, "QUESTIONED"), trail.out);
  const auto today = pqxx::nontransaction(connection)
                         .exec1("SELECT (now() AT TIME ZONE 'Europe/Amsterdam')::date::text")[0]
                         .as<std::string>();
  const auto then =
      regie({"--profile", "auditor", "audit", "as-of",
             "covenants/" + id + "/reports/12345678-" + year + "-q1", "--date", today});
  BOOST_REQUIRE_MESSAGE(then.exit_code == 0, then.err);
  BOOST_TEST(Contains(then.out, "\"state\": \"ACCEPTED\""), then.out);

  // Refusals: a BSN in the remarks (exit 4, the field named), a review by a provider.
  const auto with_bsn = ReportFile(dir, "report-q1.yaml", last_year,
                                   {{"no particulars.", "client 1234.56.782 moved away."}});
  const auto bsn = regie({"--profile", "provider", "report", "submit", "-f", with_bsn.string()});
  BOOST_TEST(bsn.exit_code == 4);
  BOOST_TEST(Contains(bsn.err, "content.remarks"), bsn.err);
  BOOST_TEST(Contains(bsn.err, "BSN"), bsn.err);
  const auto by_provider =
      regie({"--profile", "provider", "report", "review", q1_name, "--reject", "--reason", "x"});
  BOOST_TEST(by_provider.exit_code == 4);

  // A stored byte changed behind the server's back: verification fails with exit 6.
  pqxx::nontransaction(connection)
      .exec("UPDATE reports.amount_lines SET amount_eurocents = 1 WHERE product_code = '45A49'");
  const auto tampered = regie({"--profile", "auditor", "report", "verify", q1_name});
  BOOST_TEST(tampered.exit_code == 6);
  BOOST_TEST(Contains(tampered.err, "altered"), tampered.err);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::testing
