#include "e2e_helpers.hpp"

#include <pqxx/pqxx>

#include "covenant_rules.hpp"
#include "deadlines.hpp"
#include "fixtures.hpp"

namespace regie::testing {

bool Refused(const client::RpcError& e, grpc::StatusCode code, const std::string& reason) {
  return e.code() == code && (reason.empty() || e.reason() == reason);
}

bool NamesField(const client::RpcError& e, const std::string& field) {
  return e.code() == grpc::INVALID_ARGUMENT && !e.violations().empty() &&
         e.violations()[0].rfind(field + ": ", 0) == 0;
}

std::chrono::sys_days DatabaseToday(const TestServer& server) {
  pqxx::connection connection(server.dsn());
  const auto text = pqxx::nontransaction(connection)
                        .exec1("SELECT (now() AT TIME ZONE 'Europe/Amsterdam')::date::text")[0]
                        .as<std::string>();
  return covenants::ToDays(*covenants::ParseIsoDate(text));
}

providers::v1::Provider RegisterProvider(client::RegieClient& provider, const std::string& kvk,
                                         const std::string& display_name) {
  providers::v1::RegisterProviderRequest request;
  auto* p = request.mutable_provider();
  p->set_kvk_number(kvk);
  p->set_display_name(display_name);
  p->set_legal_form(providers::v1::LEGAL_FORM_FOUNDATION);
  p->add_agb_codes("41410001");
  auto* address = p->add_addresses();
  address->set_street("Strandweg");
  address->set_house_number("12");
  address->set_postal_code("2201 AB");
  address->set_city("Duinhaven");
  address->set_municipality("municipalities/9901");
  auto* contact = p->add_contacts();
  contact->set_full_name("J. de Vries");
  contact->set_role("director");
  contact->set_email("directie@example.nl");
  return provider.Unary(&providers::v1::ProviderService::Stub::RegisterProvider, request);
}

std::string PublishCovenantSince(client::RegieClient& procurement, int start_year) {
  auto fixture = DuinstreekCovenant();
  auto* term = fixture.mutable_covenant()->mutable_terms()->mutable_term();
  term->mutable_start_date()->set_year(start_year);
  term->mutable_end_date()->set_year(2099);
  const auto name = procurement.CreateCovenant(fixture).name();
  procurement.PublishCovenant(name, "", "");
  return name;
}

int ServerSessions(const PgCluster& cluster, const std::string& dsn) {
  pqxx::connection connection(cluster.SameDatabase(dsn));
  return pqxx::nontransaction(connection)
      .exec1(
          "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'regie-test' "
          "AND datname = current_database()")[0]
      .as<int>();
}

}  // namespace regie::testing
