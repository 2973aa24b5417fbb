// regie-server's App in this process, on 127.0.0.1 port 0 with mutual TLS, called through the
// typed client library over real TLS connections.

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <boost/test/unit_test.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <pqxx/pqxx>
#include <thread>

#include "accepted_reports.hpp"
#include "audit_verify.hpp"
#include "covenant_rules.hpp"
#include "covenants_bundle.hpp"
#include "e2e_helpers.hpp"
#include "fixtures.hpp"
#include "grpc/health/v1/health.grpc.pb.h"
#include "lot_rules.hpp"
#include "outcomes_bundle.hpp"
#include "pg_cluster.hpp"
#include "providers_bundle.hpp"
#include "reports_bundle.hpp"
#include "test_server.hpp"

namespace regie::testing {
namespace {

using client::RegieClient;
using client::RpcError;

std::string CaPem(const TestPki& pki) { return pki.ca().certificate_pem; }

struct TlsAttempt {
  bool connected = false;
  // The reason of the first OpenSSL error, e.g. SSL_R_UNEXPECTED_EOF_WHILE_READING when the server
  // hung up on the hello.
  int reason = 0;
};

// A TCP connection to 127.0.0.1:`port`; the caller closes it.
int ConnectLoopback(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  BOOST_TEST_REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  BOOST_TEST_REQUIRE(connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  return fd;
}

// The whole answer (status line, headers and body) to an HTTP/1.0 GET of `path` on `port`.
std::string HttpGet(int port, const std::string& path) {
  const int fd = ConnectLoopback(port);
  const std::string request = "GET " + path + " HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
  BOOST_TEST_REQUIRE(send(fd, request.data(), request.size(), 0) ==
                     static_cast<ssize_t>(request.size()));
  std::string answer;
  char buffer[4096];
  for (ssize_t n; (n = recv(fd, buffer, sizeof buffer, 0)) > 0;) {
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  close(fd);
  return answer;
}

// A TLS handshake with the server on 127.0.0.1:`port` offering only `version` (TLS1_1_VERSION,
// ...), as `identity`, asking for HTTP/2 as gRPC does. The client's own floor is lowered so that
// it really offers old versions: whatever refuses them is the server.
TlsAttempt HandshakeWith(int port, int version, const TestPki& pki, const TestIdentity& identity) {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> context(SSL_CTX_new(TLS_client_method()),
                                                            &SSL_CTX_free);
  BOOST_TEST_REQUIRE(context != nullptr);
  SSL_CTX_set_security_level(context.get(), 0);
  SSL_CTX_set_min_proto_version(context.get(), version);
  SSL_CTX_set_max_proto_version(context.get(), version);
  BOOST_TEST_REQUIRE(SSL_CTX_use_certificate_file(context.get(), identity.certificate.c_str(),
                                                  SSL_FILETYPE_PEM) == 1);
  BOOST_TEST_REQUIRE(
      SSL_CTX_use_PrivateKey_file(context.get(), identity.key.c_str(), SSL_FILETYPE_PEM) == 1);
  BOOST_TEST_REQUIRE(SSL_CTX_load_verify_locations(context.get(), pki.ca_file().c_str(), nullptr) ==
                     1);
  const int fd = ConnectLoopback(port);
  std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(context.get()), &SSL_free);
  static const unsigned char kHttp2[] = {2, 'h', '2'};
  SSL_set_alpn_protos(ssl.get(), kHttp2, sizeof kHttp2);
  SSL_set_fd(ssl.get(), fd);
  ERR_clear_error();
  TlsAttempt attempt;
  attempt.connected = SSL_connect(ssl.get()) == 1;
  attempt.reason = ERR_GET_REASON(ERR_peek_error());
  if (attempt.connected) {
    SSL_shutdown(ssl.get());
  }
  ERR_clear_error();
  close(fd);
  return attempt;
}

// Polls until `predicate` holds or 10 seconds pass.
bool Eventually(const std::function<bool()>& predicate) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < until) {
    if (predicate()) {
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(server_identity)

BOOST_AUTO_TEST_CASE(health_answers_serving_for_the_server_and_each_service) {
  TestPki pki;
  TestServer server(pki);
  auto client = server.Client(pki.procurement);
  BOOST_TEST(client.Health() == "SERVING");
  BOOST_TEST(client.Health("regie.identity.v1.IdentityService") == "SERVING");
  BOOST_TEST(client.Health("regie.audit.v1.AuditService") == "SERVING");
  BOOST_CHECK_EXCEPTION(client.Health("regie.nothing.v1.Nothing"), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::NOT_FOUND; });
}

BOOST_AUTO_TEST_CASE(whoami_is_read_from_the_certificate) {
  TestPki pki;
  TestServer server(pki);
  const auto procurement = server.Client(pki.procurement).WhoAmI();
  BOOST_TEST(procurement.principal().role() == identity::v1::ROLE_PROCUREMENT);
  BOOST_TEST(procurement.principal().organisation() == "9901");
  BOOST_TEST(procurement.principal().display_name() == "Inkoper Duinhaven");
  BOOST_TEST(procurement.principal().certificate_serial() == pki.procurement.serial);

  const auto auditor = server.Client(pki.auditor).WhoAmI();
  BOOST_TEST(auditor.principal().role() == identity::v1::ROLE_AUDITOR);
  BOOST_REQUIRE_EQUAL(auditor.principal().scope_size(), 2);
  BOOST_TEST(auditor.principal().scope(1) == "9902");

  const auto provider = server.Client(pki.provider).WhoAmI();
  BOOST_TEST(provider.principal().organisation() == "12345678");
  const auto& allowed = provider.allowed_methods();
  const bool may_revoke =
      std::find(allowed.begin(), allowed.end(),
                "/regie.identity.v1.IdentityService/RevokeCertificate") != allowed.end();
  BOOST_TEST(!may_revoke);
  BOOST_TEST(allowed.size() > 0);
}

BOOST_AUTO_TEST_CASE(invalid_input_names_every_field_and_changes_nothing) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  server.app().SealNow();
  const auto before = admin.GetAuditLogState();
  try {
    admin.RevokeCertificate("not-hex", "", "ok-id");
    BOOST_FAIL("expected INVALID_ARGUMENT");
  } catch (const RpcError& e) {
    BOOST_TEST(e.code() == grpc::INVALID_ARGUMENT);
    BOOST_TEST(e.reason() == "INVALID_ARGUMENT");
    BOOST_REQUIRE_EQUAL(e.violations().size(), 2u);
    BOOST_TEST(e.violations()[0].rfind("serial: ", 0) == 0);
    BOOST_TEST(e.violations()[1].rfind("reason: ", 0) == 0);
  }
  server.app().SealNow();
  const auto after = admin.GetAuditLogState();
  BOOST_TEST(after.sealed_size() == before.sealed_size());
  BOOST_TEST(after.pending_events() == 0);
  BOOST_TEST(admin.ListRevokedCertificates().empty());
}

BOOST_AUTO_TEST_CASE(revoking_twice_returns_the_first_revocation) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  const auto first = admin.RevokeCertificate("00abc", "key lost", "r1");
  BOOST_TEST(first.name() == "revokedCertificates/ABC");
  const auto second = admin.RevokeCertificate("ABC", "other", "r2");
  BOOST_TEST(second.reason() == "key lost");
  BOOST_TEST(admin.ListRevokedCertificates().size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(server_security)

BOOST_AUTO_TEST_CASE(a_client_without_a_certificate_is_refused) {
  TestPki pki;
  TestServer server(pki);
  grpc::SslCredentialsOptions tls;
  tls.pem_root_certs = CaPem(pki);
  RegieClient anonymous(grpc::CreateChannel(server.address(), grpc::SslCredentials(tls)),
                        std::chrono::seconds(3));
  BOOST_CHECK_EXCEPTION(anonymous.WhoAmI(), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::UNAVAILABLE; });
  BOOST_CHECK_THROW(anonymous.Health(), RpcError);
}

BOOST_AUTO_TEST_CASE(a_certificate_from_another_ca_is_refused) {
  TestPki pki;
  TestServer server(pki);
  const auto foreign = pki.IssueForeign("admin", "regie", "Intruder");
  auto intruder = server.Client(foreign);
  BOOST_CHECK_EXCEPTION(intruder.WhoAmI(), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::UNAVAILABLE; });
  BOOST_CHECK_THROW(intruder.Health(), RpcError);
}

BOOST_AUTO_TEST_CASE(probes_get_health_in_plaintext_on_their_own_port_and_nothing_else) {
  TestPki pki;
  TestServer server(pki, auth::AccessPolicy::Default(),
                    [](server::AppConfig& config) { config.health_listen = "127.0.0.1:0"; });
  const int port = server.app().health_port();
  BOOST_TEST_REQUIRE(port > 0);
  auto channel =
      grpc::CreateChannel("127.0.0.1:" + std::to_string(port), grpc::InsecureChannelCredentials());
  auto health = grpc::health::v1::Health::NewStub(channel);
  const auto status_of = [&](const std::string& service) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    grpc::health::v1::HealthCheckResponse response;
    const auto status = health->Check(&context, request, &response);
    return status.ok()
               ? grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status())
               : std::string(client::StatusCodeName(status.error_code()));
  };
  BOOST_TEST(status_of("") == "SERVING");
  BOOST_TEST(status_of("regie.identity.v1.IdentityService") == "SERVING");
  BOOST_TEST(status_of("regie.reports.v1.ReportService") == "SERVING");
  BOOST_TEST(status_of("liveness") == "SERVING");

  // No Regie service listens there: without mutual TLS nothing but health answers.
  auto identity = identity::v1::IdentityService::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(5));
  identity::v1::WhoAmIResponse who;
  BOOST_TEST(identity->WhoAmI(&context, identity::v1::WhoAmIRequest(), &who).error_code() ==
             grpc::StatusCode::UNIMPLEMENTED);

  // Draining shows there as on the main port, for as long as the delay lasts.
  auto draining = std::async(std::launch::async, [&] {
    server.app().Shutdown(std::chrono::milliseconds(3000), std::chrono::milliseconds(100));
  });
  BOOST_TEST(Eventually([&] { return status_of("") == "NOT_SERVING"; }));
  // A draining process is alive: a liveness probe must not have it restarted.
  BOOST_TEST(status_of("liveness") == "SERVING");
  draining.get();
}

BOOST_AUTO_TEST_CASE(tls_1_2_is_the_oldest_version_the_server_speaks) {
  TestPki pki;
  TestServer server(pki);
  const int port = server.app().port();
  BOOST_TEST(HandshakeWith(port, TLS1_3_VERSION, pki, pki.admin).connected);
  BOOST_TEST(HandshakeWith(port, TLS1_2_VERSION, pki, pki.admin).connected);
  for (int version : {TLS1_1_VERSION, TLS1_VERSION}) {
    const auto old = HandshakeWith(port, version, pki, pki.admin);
    BOOST_TEST(!old.connected);
    // Refused by the server, which hangs up on the hello (or alerts), not by this client (which
    // would fail before sending anything, e.g. with "no protocols available").
    BOOST_TEST((old.reason == SSL_R_UNEXPECTED_EOF_WHILE_READING ||
                old.reason == SSL_R_TLSV1_ALERT_PROTOCOL_VERSION),
               ERR_reason_error_string(ERR_PACK(ERR_LIB_SSL, 0, old.reason)));
  }
}

BOOST_AUTO_TEST_CASE(a_renewed_server_certificate_is_served_without_a_restart) {
  // The server's certificate and key sit in a directory reached through a symbolic link, as a
  // Kubernetes Secret volume lays them out, so that both change in one rename.
  TestPki pki;
  TempDir tls;
  const auto install = [&](const TestIdentity& identity, const std::string& version) {
    const auto dir = tls.path() / version;
    std::filesystem::create_directory(dir);
    std::filesystem::copy_file(identity.certificate, dir / "server.crt");
    std::filesystem::copy_file(identity.key, dir / "server.key");
    std::filesystem::create_directory_symlink(dir, tls.path() / "next");
    std::filesystem::rename(tls.path() / "next", tls.path() / "current");
  };
  install(pki.server, "v1");
  TestServer server(pki, auth::AccessPolicy::Default(), [&](server::AppConfig& config) {
    config.tls_cert_file = (tls.path() / "current" / "server.crt").string();
    config.tls_key_file = (tls.path() / "current" / "server.key").string();
    config.tls_reload_seconds = 1;
  });
  auto served_serial = [&] {
    auto client = server.Client(pki.auditor);  // a new channel: a new TLS handshake
    return auth::ParseCertificate(client.CheckHealth().server_certificate_pem).serial_hex;
  };
  auto open = server.Client(pki.procurement);
  BOOST_TEST(open.Health() == "SERVING");
  BOOST_TEST(served_serial() == pki.server.serial);

  const auto renewed = pki.Issue("server", "regie", "regie-server");
  install(renewed, "v2");
  std::string serial;
  for (int i = 0; i < 100 && serial != renewed.serial; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    serial = served_serial();  // every handshake in between succeeds, with the old or the new
  }
  BOOST_TEST(serial == renewed.serial);
  BOOST_TEST(open.Health() == "SERVING");  // the connection made before carries on
  BOOST_TEST(open.WhoAmI().principal().organisation() == "9901");
}

BOOST_AUTO_TEST_CASE(a_message_over_the_size_limit_is_refused_before_it_is_read) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  // 4 MiB per message (ServerHostOptions::max_message_bytes): a reason of 5 MiB never reaches the
  // service.
  BOOST_CHECK_EXCEPTION(admin.RevokeCertificate("ABCD", std::string(5 * 1024 * 1024, 'x'), ""),
                        RpcError, [](const RpcError& e) {
                          return e.code() == grpc::RESOURCE_EXHAUSTED &&
                                 std::string(e.what()).find("larger than max") != std::string::npos;
                        });
  BOOST_TEST(admin.ListRevokedCertificates().empty());
  BOOST_TEST(admin.Health() == "SERVING");
}

BOOST_AUTO_TEST_CASE(a_plaintext_connection_is_refused) {
  TestPki pki;
  TestServer server(pki);
  RegieClient plaintext(grpc::CreateChannel(server.address(), grpc::InsecureChannelCredentials()),
                        std::chrono::seconds(3));
  BOOST_CHECK_EXCEPTION(plaintext.Health(), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::UNAVAILABLE; });
}

BOOST_AUTO_TEST_CASE(a_revoked_certificate_is_refused_and_others_are_not) {
  TestPki pki;
  TestServer server(pki);
  const auto colleague = pki.Issue("procurement", "9901", "Collega");
  auto revoked_user = server.Client(colleague);
  BOOST_CHECK_NO_THROW(revoked_user.WhoAmI());
  server.Client(pki.admin).RevokeCertificate(colleague.serial, "left the municipality", "");
  BOOST_CHECK_EXCEPTION(revoked_user.WhoAmI(), RpcError, [](const RpcError& e) {
    return Refused(e, grpc::UNAUTHENTICATED, "CERTIFICATE_REVOKED");
  });
  BOOST_CHECK_NO_THROW(server.Client(pki.procurement).WhoAmI());
}

// Revokes a new certificate in the server's database, as another process (a separate daemon,
// say) would, and tells whether the server then refuses it within Eventually's 10 s.
bool RevokedElsewhereIsRefused(TestPki& pki, const TestServer& server) {
  const auto colleague = pki.Issue("provider", "12345678", "Collega");
  auto user = server.Client(colleague);
  BOOST_CHECK_NO_THROW(user.WhoAmI());
  {
    pqxx::connection connection(server.dsn());
    pqxx::nontransaction(connection)
        .exec_params(
            "INSERT INTO auth.revoked_certificates (serial, reason, revoked_by) "
            "VALUES ($1, 'elsewhere', 'CN=other')",
            colleague.serial);
  }
  return Eventually([&] {
    try {
      user.WhoAmI();
      return false;
    } catch (const RpcError& e) {
      return Refused(e, grpc::UNAUTHENTICATED, "CERTIFICATE_REVOKED");
    }
  });
}

BOOST_AUTO_TEST_CASE(a_revocation_made_elsewhere_reaches_this_server_on_reload) {
  TestPki pki;
  TestServer server(pki);
  BOOST_TEST(RevokedElsewhereIsRefused(pki, server));
}

// The background work keeps an interval each: sealing once an hour delays neither the reload of
// revocations (200 ms in tests) nor the calendar.
BOOST_AUTO_TEST_CASE(revocations_and_the_calendar_keep_their_interval_when_sealing_is_rare) {
  TestPki pki;
  TestServer server(pki, auth::AccessPolicy::Default(), [](server::AppConfig& config) {
    config.seal_interval_ms = 3600000;
    config.calendar_interval_ms = 100;
  });
  BOOST_TEST(RevokedElsewhereIsRefused(pki, server));

  auto admin = server.Client(pki.admin);
  LoadDuinstreekReferenceData(admin);
  auto inkoop = server.Client(pki.procurement);
  const auto name = PublishCovenantSince(inkoop, 2026);  // in its term: the calendar starts it
  BOOST_TEST(Eventually(
      [&] { return inkoop.GetCovenant(name).state() == covenants::v1::Covenant::ACTIVE; }));
}

BOOST_AUTO_TEST_CASE(an_rpc_absent_from_the_policy_table_cannot_be_called) {
  TestPki pki;
  std::vector<auth::PolicyRule> rules;
  for (const auto& rule : auth::AccessPolicy::Default().rules()) {
    if (rule.method != "/regie.identity.v1.IdentityService/WhoAmI") {
      rules.push_back(rule);
    }
  }
  const auth::AccessPolicy without_whoami(rules);
  TestServer server(pki, without_whoami);
  for (const auto* who : {&pki.admin, &pki.procurement, &pki.auditor}) {
    BOOST_CHECK_EXCEPTION(server.Client(*who).WhoAmI(), RpcError, [](const RpcError& e) {
      return Refused(e, grpc::PERMISSION_DENIED, "RPC_NOT_IN_POLICY");
    });
  }
  BOOST_CHECK_NO_THROW(server.Client(pki.admin).ListRevokedCertificates());
}

BOOST_AUTO_TEST_CASE(a_role_outside_the_row_is_refused) {
  TestPki pki;
  TestServer server(pki);
  BOOST_CHECK_EXCEPTION(
      server.Client(pki.provider).RevokeCertificate("AB", "x", ""), RpcError,
      [](const RpcError& e) { return Refused(e, grpc::PERMISSION_DENIED, "ROLE_NOT_ALLOWED"); });
  BOOST_CHECK_EXCEPTION(server.Client(pki.procurement).GetAuditLogState(), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::PERMISSION_DENIED; });
}

BOOST_AUTO_TEST_CASE(a_certificate_naming_no_role_is_refused) {
  TestPki pki;
  TestServer server(pki);
  // The server's own certificate chains to the CA but names no user role.
  BOOST_CHECK_EXCEPTION(server.Client(pki.server).WhoAmI(), RpcError, [](const RpcError& e) {
    return Refused(e, grpc::UNAUTHENTICATED, "INVALID_CERTIFICATE_SUBJECT");
  });
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(server_audit)

BOOST_AUTO_TEST_CASE(every_mutation_is_audited_and_the_log_verifies_remotely) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  admin.RevokeCertificate("A1", "one", "request-1");
  admin.RevokeCertificate("A2", "two", "request-2");
  server.app().SealNow();
  auto auditor = server.Client(pki.auditor);
  const auto verification = client::VerifyAuditLog(auditor, CaPem(pki));
  BOOST_TEST(verification.result.ok, verification.result.failure);
  BOOST_TEST(verification.result.entries == 3);  // the server's signing key, then the two
  BOOST_TEST(verification.result.last_checkpoint_seq == 3);
  std::vector<audit::v1::Entry> entries;
  auditor.ForEachAuditEntry(1, [&](const audit::v1::Entry& e) { entries.push_back(e); });
  BOOST_REQUIRE_EQUAL(entries.size(), 3u);
  const auto& event = entries[1].event();
  BOOST_TEST(event.rpc() == "/regie.identity.v1.IdentityService/RevokeCertificate");
  BOOST_TEST(event.actor_role() == "admin");
  BOOST_TEST(event.actor_subject() == "CN=Beheerder,OU=admin,O=regie");
  BOOST_TEST(event.resource() == "revokedCertificates/A1");
  BOOST_TEST(event.request_id() == "request-1");
  BOOST_TEST(event.request_digest().size() == 32u);
}

BOOST_AUTO_TEST_CASE(an_updated_audit_row_fails_remote_verification_and_is_named) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  admin.RevokeCertificate("B1", "one", "");
  admin.RevokeCertificate("B2", "two", "");
  server.app().SealNow();
  {
    pqxx::connection connection(server.dsn());
    pqxx::work tx(connection);
    tx.exec0("SET LOCAL session_replication_role = replica");
    tx.exec0(
        "UPDATE audit.events SET change = '{\"serial\": \"B9\"}' "
        "WHERE resource = 'revokedCertificates/B1'");
    tx.commit();
  }
  const auto verification = client::VerifyAuditLog(admin, CaPem(pki));
  BOOST_TEST(!verification.result.ok);
  BOOST_TEST(verification.result.failed_seq == 2);
  BOOST_TEST(verification.result.failure.find("seq 2 (event id") != std::string::npos,
             verification.result.failure);
}

BOOST_AUTO_TEST_CASE(an_untrusted_ca_does_not_vouch_for_the_checkpoints) {
  TestPki pki;
  TestServer server(pki);
  server.app().SealNow();
  auto auditor = server.Client(pki.auditor);
  const TestPki other;
  const auto verification = client::VerifyAuditLog(auditor, other.ca().certificate_pem);
  BOOST_TEST(!verification.result.ok);
  BOOST_TEST(verification.result.failure.find("not trusted") != std::string::npos,
             verification.result.failure);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(server_reference)

BOOST_AUTO_TEST_CASE(administrators_maintain_reference_data_and_everyone_reads_it) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  BOOST_TEST(server.Client(pki.auditor).Health("regie.covenants.v1.ReferenceDataService") ==
             "SERVING");
  for (const auto& [code, name] : std::vector<std::pair<std::string, std::string>>{
           {"9901", "Duinhaven"}, {"9902", "Bollenveld"}, {"9903", "Zeewijk"}}) {
    admin.CreateMunicipality(code, name, "");
  }
  covenants::v1::Region duinstreek;
  duinstreek.set_region_id("duinstreek");
  duinstreek.set_display_name("Regio Duinstreek");
  for (const auto* code : {"9901", "9902", "9903"}) {
    duinstreek.add_municipalities(std::string("municipalities/") + code);
  }
  duinstreek.set_lead_municipality("municipalities/9901");
  const auto created = admin.CreateRegion(duinstreek, "create-duinstreek");
  BOOST_TEST(created.name() == "regions/duinstreek");

  auto provider = server.Client(pki.provider);
  BOOST_TEST(provider.ListMunicipalities().size() == 3u);
  BOOST_TEST(provider.GetMunicipality("municipalities/9902").display_name() == "Bollenveld");
  BOOST_TEST(provider.GetRegion("regions/duinstreek").municipalities_size() == 3);
  BOOST_TEST(provider.ListRegions("municipalities/9903").size() == 1u);
  BOOST_TEST(provider.ListRegions("municipalities/0363").empty());

  BOOST_CHECK_EXCEPTION(
      provider.CreateMunicipality("0363", "Amsterdam", ""), RpcError,
      [](const RpcError& e) { return Refused(e, grpc::PERMISSION_DENIED, "ROLE_NOT_ALLOWED"); });
  BOOST_CHECK_EXCEPTION(server.Client(pki.procurement).CreateRegion(duinstreek, ""), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::PERMISSION_DENIED; });
  BOOST_CHECK_EXCEPTION(
      admin.CreateMunicipality("9901", "Again", ""), RpcError,
      [](const RpcError& e) { return Refused(e, grpc::ALREADY_EXISTS, "MUNICIPALITY_EXISTS"); });
  BOOST_CHECK_EXCEPTION(provider.GetMunicipality("municipalities/0363"), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::NOT_FOUND; });
  BOOST_CHECK_EXCEPTION(provider.GetRegion("regions/Bad Name"), RpcError, [](const RpcError& e) {
    return e.code() == grpc::INVALID_ARGUMENT && e.violations().size() == 1u &&
           e.violations()[0].rfind("name: ", 0) == 0;
  });

  // Every creation is in the audit log, which still verifies.
  server.app().SealNow();
  const auto verification = client::VerifyAuditLog(admin, CaPem(pki));
  BOOST_TEST(verification.result.ok, verification.result.failure);
  BOOST_TEST(verification.result.entries == 5);  // signing key, three municipalities, the region
}

BOOST_AUTO_TEST_CASE(a_region_of_unknown_municipalities_is_refused_field_by_field) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  admin.CreateMunicipality("9901", "Duinhaven", "");
  covenants::v1::Region region;
  region.set_region_id("noord");
  region.set_display_name("Noord");
  region.add_municipalities("municipalities/9901");
  region.add_municipalities("municipalities/8888");
  region.set_lead_municipality("municipalities/9901");
  try {
    admin.CreateRegion(region, "");
    BOOST_FAIL("expected INVALID_ARGUMENT");
  } catch (const RpcError& e) {
    BOOST_TEST(e.code() == grpc::INVALID_ARGUMENT);
    BOOST_REQUIRE_EQUAL(e.violations().size(), 1u);
    BOOST_TEST(e.violations()[0] ==
               "region.municipalities[1]: municipalities/8888 is not a registered municipality");
  }
  BOOST_TEST(admin.ListRegions().empty());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(server_covenants)

namespace {

bool NotFound(const RpcError& e) { return e.code() == grpc::NOT_FOUND; }

}  // namespace

BOOST_AUTO_TEST_CASE(a_covenant_from_draft_to_published_through_every_role) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  LoadDuinstreekReferenceData(admin);
  auto inkoop = server.Client(pki.procurement);  // 9901 Duinhaven
  auto provider = server.Client(pki.provider);
  auto auditor = server.Client(pki.auditor);  // scope 9901,9902
  auto outsider = server.Client(pki.Issue("procurement", "0363", "Inkoper Amsterdam"));
  const auto fixture = DuinstreekCovenant();
  const std::string name = "covenants/jeugd-wmo-duinstreek-2026";

  // Someone outside the covenant cannot create it.
  BOOST_CHECK_EXCEPTION(outsider.CreateCovenant(fixture), RpcError, [](const RpcError& e) {
    return Refused(e, grpc::PERMISSION_DENIED, "NOT_A_PARTICIPANT");
  });
  const auto draft = inkoop.CreateCovenant(fixture);
  BOOST_TEST(draft.name() == name);
  BOOST_TEST(draft.state() == covenants::v1::Covenant::DRAFT);
  BOOST_TEST(draft.owner() == "municipalities/9901");
  BOOST_TEST(draft.version() == 1);
  BOOST_TEST(draft.terms().title() == fixture.covenant().terms().title());
  BOOST_CHECK_EXCEPTION(inkoop.CreateCovenant(fixture), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::ALREADY_EXISTS; });

  // Nobody but its managers and auditors in scope sees a draft.
  BOOST_CHECK_EXCEPTION(provider.GetCovenant(name), RpcError, NotFound);
  BOOST_CHECK_EXCEPTION(outsider.GetCovenant(name), RpcError, NotFound);
  BOOST_TEST(provider.ListCovenants().empty());
  BOOST_TEST(outsider.ListCovenants().empty());
  BOOST_TEST(auditor.GetCovenant(name).state() == covenants::v1::Covenant::DRAFT);
  BOOST_TEST(inkoop.ListCovenants().size() == 1u);

  // A draft changes with a field mask and the current etag.
  auto change = draft;
  change.mutable_terms()->set_title("Jeugdhulp en Wmo Duinstreek 2026-2029");
  const auto renamed = inkoop.UpdateCovenant(change, {"terms.title"}, "");
  BOOST_TEST(renamed.terms().title() == "Jeugdhulp en Wmo Duinstreek 2026-2029");
  BOOST_TEST(renamed.etag() != draft.etag());
  BOOST_CHECK_EXCEPTION(
      inkoop.UpdateCovenant(change, {"terms.title"}, ""), RpcError,
      [](const RpcError& e) { return Refused(e, grpc::ABORTED, "ETAG_MISMATCH"); });
  change.set_etag(renamed.etag());
  BOOST_CHECK_EXCEPTION(inkoop.UpdateCovenant(change, {"state"}, ""), RpcError,
                        [](const RpcError& e) {
                          return e.code() == grpc::INVALID_ARGUMENT &&
                                 e.violations().front().rfind("update_mask: ", 0) == 0;
                        });
  change.mutable_terms()->mutable_term()->mutable_end_date()->set_year(2025);
  BOOST_CHECK_EXCEPTION(
      inkoop.UpdateCovenant(change, {"terms.term.end_date"}, ""), RpcError, [](const RpcError& e) {
        return e.code() == grpc::INVALID_ARGUMENT &&
               e.violations().front().rfind("covenant.terms.term.end_date: ", 0) == 0;
      });
  BOOST_CHECK_EXCEPTION(outsider.UpdateCovenant(change, {"terms.title"}, ""), RpcError, NotFound);
  BOOST_CHECK_EXCEPTION(auditor.UpdateCovenant(change, {"terms.title"}, ""), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::PERMISSION_DENIED; });
  BOOST_TEST(inkoop.GetCovenant(name).etag() == renamed.etag());  // refusals changed nothing

  // Publication fixes the terms and shows the covenant to everyone.
  const auto published = inkoop.PublishCovenant(name, renamed.etag(), "");
  BOOST_TEST(published.state() == covenants::v1::Covenant::PUBLISHED);
  BOOST_TEST(published.has_publish_time());
  BOOST_TEST(provider.GetCovenant(name).terms().title() == renamed.terms().title());
  BOOST_TEST(outsider.ListCovenants().size() == 1u);
  change.set_etag(published.etag());
  BOOST_CHECK_EXCEPTION(inkoop.UpdateCovenant(change, {"terms.title"}, ""), RpcError,
                        [](const RpcError& e) {
                          return Refused(e, grpc::FAILED_PRECONDITION, "COVENANT_STATE") &&
                                 std::string(e.what()).find("is published") != std::string::npos;
                        });
  BOOST_CHECK_EXCEPTION(inkoop.PublishCovenant(name, "", ""), RpcError, [](const RpcError& e) {
    return Refused(e, grpc::FAILED_PRECONDITION, "COVENANT_STATE") &&
           std::string(e.what()) == "cannot publish a covenant in state published";
  });

  // Filters, and the audit log after it all.
  covenants::v1::ListCovenantsRequest filter;
  filter.set_municipality("municipalities/9903");
  BOOST_TEST(provider.ListCovenants(filter).size() == 1u);
  filter.set_legal_basis(covenants::v1::LEGAL_BASIS_PARTICIPATIEWET);
  BOOST_TEST(provider.ListCovenants(filter).empty());
  BOOST_TEST(inkoop.GetCovenant(name, "2025-01-01").version() == 1);
  server.app().SealNow();
  const auto verification = client::VerifyAuditLog(auditor, CaPem(pki));
  BOOST_TEST(verification.result.ok, verification.result.failure);
}

BOOST_AUTO_TEST_CASE(versions_and_their_differences) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  LoadDuinstreekReferenceData(admin);
  auto inkoop = server.Client(pki.procurement);
  const auto name = inkoop.CreateCovenant(DuinstreekCovenant()).name();
  inkoop.PublishCovenant(name, "", "");
  {  // a second version from 2027, as an adopted amendment will record it
    auto terms = DuinstreekCovenant().covenant().terms();
    terms.mutable_term()->set_notice_period_months(3);
    terms.set_dispute_route("Mediation first, then the court.");
    covenants::SetServerFields(nullptr, terms);
    pqxx::connection connection(server.dsn());
    pqxx::nontransaction(connection)
        .exec_params(
            "INSERT INTO covenants.covenant_versions "
            "(covenant_id, version, effective_from, terms) "
            "VALUES ('jeugd-wmo-duinstreek-2026', 2, '2027-01-01', $1::jsonb)",
            covenants::TermsToJson(terms));
  }
  auto provider = server.Client(pki.provider);
  const auto versions = provider.ListCovenantVersions(name);
  BOOST_REQUIRE_EQUAL(versions.size(), 2u);
  BOOST_TEST(versions[1].effective_date().year() == 2027);

  BOOST_TEST(provider.GetCovenant(name, "2026-12-31").terms().term().notice_period_months() == 6);
  BOOST_TEST(provider.GetCovenant(name, "2027-01-01").terms().term().notice_period_months() == 3);

  const auto changes = provider.DiffCovenantVersions(name, 1, 2);
  BOOST_REQUIRE_EQUAL(changes.size(), 2u);
  BOOST_TEST(changes[0].field() == "terms.dispute_route");
  BOOST_TEST(changes[1].field() == "terms.term.notice_period_months");
  BOOST_TEST(changes[1].before() == "6");
  BOOST_TEST(changes[1].after() == "3");
  BOOST_CHECK_EXCEPTION(provider.DiffCovenantVersions(name, 1, 7), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::NOT_FOUND; });
  BOOST_CHECK_EXCEPTION(provider.DiffCovenantVersions(name, 0, 2), RpcError, [](const RpcError& e) {
    return e.code() == grpc::INVALID_ARGUMENT && e.violations().size() == 1u &&
           e.violations()[0].rfind("from_version: ", 0) == 0;
  });
}

BOOST_AUTO_TEST_CASE(deadlines_of_running_covenants_only) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  LoadDuinstreekReferenceData(admin);
  auto inkoop = server.Client(pki.procurement);
  const auto name = inkoop.CreateCovenant(DuinstreekCovenant()).name();
  covenants::v1::ListDeadlinesRequest request;
  request.mutable_from_date()->set_year(2026);
  request.mutable_from_date()->set_month(12);
  request.mutable_from_date()->set_day(1);
  request.set_within_days(90);
  BOOST_TEST(inkoop.ListDeadlines(request).empty());  // a draft has no deadlines yet
  inkoop.PublishCovenant(name, "", "");
  const auto deadlines = server.Client(pki.provider).ListDeadlines(request);
  BOOST_REQUIRE_EQUAL(deadlines.size(), 2u);
  BOOST_TEST(deadlines[0].kind() == covenants::v1::Deadline::ACCESSION_WINDOW);
  BOOST_TEST(deadlines[0].date().year() == 2027);
  BOOST_TEST(deadlines[1].kind() == covenants::v1::Deadline::QUARTERLY_REPORT);
  BOOST_TEST(deadlines[1].covenant() == name);
  BOOST_TEST(deadlines[1].description() == "quarterly report Q4 2026 due");
  request.set_within_days(731);
  BOOST_CHECK_EXCEPTION(inkoop.ListDeadlines(request), RpcError, [](const RpcError& e) {
    return e.code() == grpc::INVALID_ARGUMENT &&
           e.violations().front().rfind("within_days", 0) == 0;
  });
  request.set_within_days(0);  // the default horizon, from today: answers without error
  request.clear_from_date();
  BOOST_CHECK_NO_THROW(inkoop.ListDeadlines(request));
}

BOOST_AUTO_TEST_CASE(the_calendar_activates_then_managers_extend_and_terminate) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  LoadDuinstreekReferenceData(admin);
  auto inkoop = server.Client(pki.procurement);
  const auto name = PublishCovenantSince(inkoop, 2026);  // a term that has started, until 2099
  BOOST_CHECK_EXCEPTION(inkoop.ExtendCovenant(name, ""), RpcError, [](const RpcError& e) {
    return Refused(e, grpc::FAILED_PRECONDITION, "COVENANT_STATE");
  });
  server.app().TickNow();  // the calendar: the start date has passed
  BOOST_TEST(inkoop.GetCovenant(name).state() == covenants::v1::Covenant::ACTIVE);

  BOOST_CHECK_EXCEPTION(server.Client(pki.provider).ExtendCovenant(name, ""), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::PERMISSION_DENIED; });
  const auto once = inkoop.ExtendCovenant(name, "");
  BOOST_TEST(once.state() == covenants::v1::Covenant::EXTENDED);
  BOOST_TEST(once.extensions_used() == 1);
  BOOST_TEST(once.term_end_date().year() == 2100);
  inkoop.ExtendCovenant(name, "");
  BOOST_CHECK_EXCEPTION(inkoop.ExtendCovenant(name, ""), RpcError, [](const RpcError& e) {
    return Refused(e, grpc::FAILED_PRECONDITION, "NO_EXTENSION_LEFT");
  });

  BOOST_CHECK_EXCEPTION(
      inkoop.TerminateCovenant(name, "", "", ""), RpcError, [](const RpcError& e) {
        return e.code() == grpc::INVALID_ARGUMENT && e.violations().at(0).rfind("reason: ", 0) == 0;
      });
  BOOST_CHECK_EXCEPTION(inkoop.TerminateCovenant(name, "budget cut", "2020-01-01", ""), RpcError,
                        [](const RpcError& e) {
                          return e.code() == grpc::INVALID_ARGUMENT &&
                                 e.violations().at(0).rfind("effective_date: ", 0) == 0;
                        });
  const auto ended = inkoop.TerminateCovenant(name, "the region merges its covenants", "", "");
  BOOST_TEST(ended.state() == covenants::v1::Covenant::TERMINATED);
  BOOST_TEST(ended.termination().reason() == "the region merges its covenants");
  BOOST_TEST(ended.termination().terminated_by() == "CN=Inkoper Duinhaven,OU=procurement,O=9901");
  BOOST_CHECK_EXCEPTION(inkoop.ExtendCovenant(name, ""), RpcError, [](const RpcError& e) {
    return Refused(e, grpc::FAILED_PRECONDITION, "COVENANT_STATE") &&
           std::string(e.what()).find("state terminated") != std::string::npos;
  });
  server.app().SealNow();
  BOOST_TEST(client::VerifyAuditLog(admin, CaPem(pki)).result.ok);
}

BOOST_AUTO_TEST_CASE(answers_are_published_to_all_with_the_asker_hidden) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  LoadDuinstreekReferenceData(admin);
  auto inkoop = server.Client(pki.procurement);
  auto asker = server.Client(pki.provider);  // KvK 12345678
  auto competitor = server.Client(pki.Issue("provider", "87654321", "Concurrent"));
  auto auditor = server.Client(pki.auditor);
  const auto name = inkoop.CreateCovenant(DuinstreekCovenant()).name();
  BOOST_CHECK_EXCEPTION(asker.AskQuestion(name, "Is dyslexia care in scope?", ""), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::NOT_FOUND; });
  inkoop.PublishCovenant(name, "", "");

  const auto asked = asker.AskQuestion(name, "Is dyslexia care in scope?", "");
  BOOST_TEST(asked.state() == covenants::v1::Question::OPEN);
  BOOST_TEST(asked.name() == name + "/questions/1");
  BOOST_CHECK_EXCEPTION(asker.AskQuestion(name, "", ""), RpcError, [](const RpcError& e) {
    return e.code() == grpc::INVALID_ARGUMENT && e.violations().at(0).rfind("text: ", 0) == 0;
  });
  BOOST_CHECK_EXCEPTION(inkoop.AskQuestion(name, "May I?", ""), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::PERMISSION_DENIED; });

  // Open: the asker, the managers and auditors in scope see it; a competitor does not.
  BOOST_TEST(asker.ListQuestions(name).size() == 1u);
  BOOST_TEST(competitor.ListQuestions(name).empty());
  BOOST_TEST(inkoop.ListQuestions(name).at(0).asker_organisation() == "12345678");
  BOOST_TEST(auditor.ListQuestions(name).size() == 1u);

  BOOST_CHECK_EXCEPTION(asker.AnswerQuestion(asked.name(), "yes", ""), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::PERMISSION_DENIED; });
  const auto answered = inkoop.AnswerQuestion(asked.name(), "Yes, in lot P4.", "");
  BOOST_TEST(answered.state() == covenants::v1::Question::ANSWERED);
  BOOST_TEST(answered.has_answer_time());
  BOOST_CHECK_EXCEPTION(
      inkoop.AnswerQuestion(asked.name(), "Again", ""), RpcError,
      [](const RpcError& e) { return Refused(e, grpc::FAILED_PRECONDITION, "QUESTION_ANSWERED"); });
  BOOST_CHECK_EXCEPTION(inkoop.AnswerQuestion(name + "/questions/99", "?", ""), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::NOT_FOUND; });

  // Answered: everyone sees question and answer at once; only the asker sees who asked.
  const auto seen_by_competitor = competitor.ListQuestions(name);
  BOOST_REQUIRE_EQUAL(seen_by_competitor.size(), 1u);
  BOOST_TEST(seen_by_competitor[0].answer() == "Yes, in lot P4.");
  BOOST_TEST(seen_by_competitor[0].asker_organisation().empty());
  BOOST_TEST(asker.ListQuestions(name).at(0).asker_organisation() == "12345678");
  BOOST_TEST(admin.ListQuestions(name).at(0).asker_organisation().empty());
  server.app().SealNow();
  BOOST_TEST(client::VerifyAuditLog(auditor, CaPem(pki)).result.ok);
}

BOOST_AUTO_TEST_CASE(region_staff_manage_a_region_covenant) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  LoadDuinstreekReferenceData(admin);
  auto region = server.Client(pki.Issue("procurement", "region:duinstreek", "Regio-inkoper"));
  const auto created = region.CreateCovenant(DuinstreekCovenant());
  BOOST_TEST(created.owner() == "regions/duinstreek");
  BOOST_TEST(region.PublishCovenant(created.name(), "", "").state() ==
             covenants::v1::Covenant::PUBLISHED);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(server_database)

BOOST_AUTO_TEST_CASE(a_database_outage_answers_unavailable_and_heals_by_itself) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  admin.RevokeCertificate("C1", "before", "");
  PgCluster::Shared().Stop();
  BOOST_CHECK_EXCEPTION(
      admin.RevokeCertificate("C2", "during", ""), RpcError,
      [](const RpcError& e) { return Refused(e, grpc::UNAVAILABLE, "DATABASE_UNAVAILABLE"); });
  BOOST_TEST(Eventually([&] { return admin.Health() == "NOT_SERVING"; }));
  BOOST_CHECK_NO_THROW(admin.WhoAmI());  // needs no database
  PgCluster::Shared().Start();
  BOOST_TEST(Eventually([&] { return admin.Health() == "SERVING"; }));
  BOOST_CHECK_NO_THROW(admin.RevokeCertificate("C2", "after", ""));
  BOOST_TEST(admin.ListRevokedCertificates().size() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(server_metrics)

BOOST_AUTO_TEST_CASE(a_scrape_counts_rpcs_and_shows_the_pool_the_audit_chain_and_expiry_dates) {
  TestPki pki;
  TestServer server(pki, auth::AccessPolicy::Default(),
                    [](server::AppConfig& config) { config.metrics_listen = "127.0.0.1:0"; });
  const int port = server.app().metrics_port();
  BOOST_TEST_REQUIRE(port > 0);
  auto auditor = server.Client(pki.auditor);
  auditor.WhoAmI();
  auditor.WhoAmI();
  auto provider = server.Client(pki.provider);
  BOOST_CHECK_THROW(provider.RevokeCertificate("ABCD", "not mine to revoke", ""), client::RpcError);
  server.app().SealNow();

  const auto answer = HttpGet(port, "/metrics");
  BOOST_TEST(answer.rfind("HTTP/1.1 200", 0) == 0, answer.substr(0, 200));
  BOOST_TEST(Contains(answer, "Content-Type: text/plain"), answer.substr(0, 400));
  const auto has = [&](const std::string& line) {
    BOOST_TEST(Contains(answer, "\n" + line + "\n"), line << " is not in:\n" << answer);
  };
  has(R"(regie_rpc_total{code="OK",method="/regie.identity.v1.IdentityService/WhoAmI"} 2)");
  has(R"(regie_rpc_total{code="PERMISSION_DENIED",method="/regie.identity.v1.IdentityService/RevokeCertificate"} 1)");
  has(R"(regie_rpc_duration_seconds_count{code="OK",method="/regie.identity.v1.IdentityService/WhoAmI"} 2)");
  has(R"(regie_rpc_duration_seconds_bucket{code="OK",method="/regie.identity.v1.IdentityService/WhoAmI",le="+Inf"} 2)");
  BOOST_TEST(Contains(answer, "\nregie_db_pool_connections{state=\"idle\"} "));
  BOOST_TEST(Contains(answer, "\nregie_db_pool_opened_total "));
  has(R"(regie_batch_queued{writes="report_submissions"} 0)");
  has(R"(regie_batches_total{writes="report_submissions"} 0)");
  // The server registered its signing key at start: the chain has at least that entry.
  BOOST_TEST(!Contains(answer, "\nregie_audit_sealed_entries 0\n"));
  BOOST_TEST(Contains(answer, "\nregie_audit_last_checkpoint_timestamp_seconds "));
  const auto not_after = [&](const std::filesystem::path& file) {
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
        auth::ParseCertificate(client::ReadTextFile(file, "certificate"))
            .not_after.time_since_epoch());
    return std::to_string(seconds.count());
  };
  has(R"(regie_tls_certificate_expiry_timestamp_seconds{certificate="server"} )" +
      not_after(pki.server.certificate));
  has(R"(regie_tls_certificate_expiry_timestamp_seconds{certificate="ca"} )" +
      not_after(pki.ca_file()));
  // Nothing about who called: no names, roles' organisations or request ids.
  for (const auto* secret : {"Accountant", "Aanbieder", "O=", "request_id", "organisation"}) {
    BOOST_TEST(!Contains(answer, secret), secret);
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(server_areas)

// A deployment with a server per service area (regie-covenantsd, regie-reportsd, ...; the
// Kubernetes manifests of deploy/kubernetes/per-area): a profile names the address of each area
// served apart, and the client sends every call to the server of its area.
BOOST_AUTO_TEST_CASE(a_profile_with_area_addresses_reaches_each_area_on_its_own_server) {
  TestPki pki;
  TestServer main(pki, auth::AccessPolicy::Default(), nullptr,
                  {covenants::MakeCovenantsBundle, providers::MakeProvidersBundle,
                   outcomes::MakeOutcomesBundle});
  TestServer reports_server(pki, auth::AccessPolicy::Default(),
                            [&](server::AppConfig& config) { config.database_url = main.dsn(); },
                            {reports::MakeReportsBundle});
  auto admin = main.Client(pki.admin);
  auto provider = main.Client(pki.provider);
  LoadDuinstreekReferenceData(admin);
  auto profile = pki.ProfileFor(pki.procurement, main.address());
  client::AddAreaAddress(profile, "reports=" + reports_server.address(), "--area");
  client::RegieClient procurement(client::OpenChannels(profile));

  const int year = YearOf(DatabaseToday(main)) - 1;
  const auto covenant = PublishCovenantSince(procurement, year);  // the covenants area: main
  RegisterProvider(provider, "12345678", "Jeugdzorg Duinstreek");
  AcceptOracleYear(main.dsn(), covenant.substr(covenant.find('/') + 1), "12345678", year, "P6");
  reports::v1::ListReportsRequest request;
  request.set_parent(covenant);
  using Reports = reports::v1::ReportService::Stub;
  BOOST_TEST(procurement.Unary(&Reports::ListReports, request).reports_size() > 0);
  const std::string listed =
      R"(regie_rpc_total{code="OK",method="/regie.reports.v1.ReportService/ListReports"} 1)";
  BOOST_TEST(Contains(reports_server.app().metrics().Text(), listed));
  BOOST_TEST(!Contains(main.app().metrics().Text(), "ReportService"));
  // Health of a service is asked of its area's server; identity is on every server.
  BOOST_TEST(procurement.Health(reports::v1::ReportService::service_full_name()) == "SERVING");
  BOOST_TEST(procurement.WhoAmI().principal().organisation() == "9901");
  BOOST_TEST(Contains(main.app().metrics().Text(), "IdentityService/WhoAmI"));

  // Without the area's address the call goes to the main server, which does not serve it.
  try {
    main.Client(pki.procurement).Unary(&Reports::ListReports, request);
    BOOST_FAIL("the main server answered a reports call");
  } catch (const client::RpcError& e) {
    BOOST_TEST(e.code() == grpc::UNIMPLEMENTED, client::Describe(e));
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(server_replicas)

BOOST_AUTO_TEST_CASE(auditor_queries_read_the_standby_and_the_primary_when_it_stops) {
  ReplicatedDatabase database;
  const auto& dsn = database.dsn;
  auto& standby = database.standby;
  TestPki pki;
  TestServer server(pki, auth::AccessPolicy::Default(),
                    [&](server::AppConfig& config) { database.Use(config); });
  const auto metric = [&](const std::string& line) {
    return Contains(server.app().metrics().Text(), "\n" + line + "\n");
  };
  BOOST_TEST(metric("regie_db_replica_usable 1"));

  // Writes, and a provider reading back what it wrote, go to the primary.
  auto admin = server.Client(pki.admin);
  auto procurement = server.Client(pki.procurement);
  auto provider = server.Client(pki.provider);
  LoadDuinstreekReferenceData(admin);
  const int year = [&] {
    pqxx::connection connection(dsn);
    return pqxx::nontransaction(connection)
        .exec1("SELECT extract(year FROM now() AT TIME ZONE 'Europe/Amsterdam')::integer")[0]
        .as<int>();
  }() - 1;
  const auto covenant = PublishCovenantSince(procurement, year);
  RegisterProvider(provider, "12345678", "Jeugdzorg Duinstreek");
  AcceptOracleYear(dsn, covenant.substr(covenant.find('/') + 1), "12345678", year, "P6");
  BOOST_TEST(ServerSessions(standby, dsn) == 0);

  // An auditor's aggregate is read on the standby, once it has replayed the year.
  client::RetryPolicy once;
  once.max_attempts = 1;  // the server must degrade by itself, not through the client's retries
  client::RegieClient auditor(client::OpenChannel(pki.ProfileFor(pki.auditor, server.address())),
                              std::chrono::seconds(10), once);
  reports::v1::AggregateReportsRequest request;
  request.set_parent(covenant);
  request.add_group_by(reports::v1::MUNICIPALITY);
  request.set_period(std::to_string(year));
  using Queries = reports::v1::QueryService::Stub;
  BOOST_TEST(Eventually(
      [&] { return auditor.Unary(&Queries::AggregateReports, request).rows_size() > 0; }));
  BOOST_TEST(ServerSessions(standby, dsn) > 0);

  // The standby stops: the same questions are answered from the primary, without an error.
  standby.Stop();
  for (int i = 0; i < 5; ++i) {
    BOOST_TEST(auditor.Unary(&Queries::AggregateReports, request).rows_size() > 0);
  }
  BOOST_TEST(Eventually([&] { return metric("regie_db_replica_usable 0"); }));
}

// Clients behind a TCP balancer spread over new server replicas only when they connect again:
// with --max-connection-age-seconds the server closes a client's connection (GOAWAY) after about
// that long, and the client's next call connects anew. Without it the connection stays.
BOOST_AUTO_TEST_CASE(client_connections_are_closed_at_their_maximum_age_and_made_again) {
  TestPki pki;
  TestServer aging(pki, auth::AccessPolicy::Default(), [](server::AppConfig& config) {
    config.max_connection_age_seconds = 1;
    config.drain_grace_ms = 200;
  });
  TestServer lasting(pki);
  const auto connected = [&](const TestServer& server) {
    auto channel = client::OpenChannel(pki.ProfileFor(pki.auditor, server.address()));
    client::RegieClient(channel, std::chrono::seconds(10)).WhoAmI();
    BOOST_TEST_REQUIRE(channel->GetState(false) == GRPC_CHANNEL_READY);
    return channel;
  };
  const auto to_aging = connected(aging);
  const auto to_lasting = connected(lasting);
  BOOST_TEST(Eventually([&] { return to_aging->GetState(false) != GRPC_CHANNEL_READY; }));
  BOOST_TEST(to_lasting->GetState(false) == GRPC_CHANNEL_READY);
  BOOST_TEST(client::RegieClient(to_aging, std::chrono::seconds(10)).WhoAmI().principal().role() ==
             identity::v1::ROLE_AUDITOR);
  BOOST_TEST(to_aging->GetState(false) == GRPC_CHANNEL_READY);
}

// Read-your-writes with a standby that is behind: replay paused, so that only the primary has
// what is written next. The procurement officer who wrote reads it back; the auditor, whose reads
// the standby serves, does not see it until the standby replays it.
BOOST_AUTO_TEST_CASE(a_writer_reads_its_own_write_while_auditors_read_a_standby_that_is_behind) {
  ReplicatedDatabase database;
  TestPki pki;
  TestServer server(pki, auth::AccessPolicy::Default(), [&](server::AppConfig& config) {
    database.Use(config);
    config.max_replica_lag_ms = 60000;  // the paused standby stays fit for reads meanwhile
  });
  auto admin = server.Client(pki.admin);
  auto procurement = server.Client(pki.procurement);
  auto auditor = server.Client(pki.auditor);
  LoadDuinstreekReferenceData(admin);
  const auto found = [](client::RegieClient& client, const std::string& name) {
    covenants::v1::GetCovenantRequest request;
    request.set_name(name);
    try {
      client.Unary(&covenants::v1::CovenantService::Stub::GetCovenant, request);
      return true;
    } catch (const client::RpcError& e) {
      BOOST_TEST_REQUIRE(e.code() == grpc::NOT_FOUND, client::Describe(e));
      return false;
    }
  };
  auto draft = DuinstreekCovenant();  // the auditor's scope (9901, 9902) takes part: it may read
  draft.set_covenant_id("before-the-pause");
  const auto before = procurement.CreateCovenant(draft).name();
  BOOST_TEST(Eventually([&] { return found(auditor, before); }));

  pqxx::connection on_standby(database.standby.SameDatabase(database.dsn));
  pqxx::nontransaction(on_standby).exec("SELECT pg_wal_replay_pause()");
  draft.set_covenant_id("while-paused");
  const auto paused = procurement.CreateCovenant(draft).name();
  BOOST_TEST(found(procurement, paused));
  BOOST_TEST(!found(auditor, paused));
  BOOST_TEST(found(auditor, before));
  BOOST_TEST(ServerSessions(database.standby, database.dsn) > 0);

  pqxx::nontransaction(on_standby).exec("SELECT pg_wal_replay_resume()");
  BOOST_TEST(Eventually([&] { return found(auditor, paused); }));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::testing
