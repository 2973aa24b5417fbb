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

void AdmitInThePast(const std::string& dsn, const std::string& covenant_id, const std::string& kvk,
                    const std::vector<std::string>& lots, std::chrono::sys_days in_force_from) {
  pqxx::connection connection(dsn);
  pqxx::work tx(connection);
  const auto day = covenants::IsoDay(in_force_from);
  const int application =
      tx.exec_params1(
            "INSERT INTO providers.applications (covenant_id, application_id, kvk_number, "
            "window_date, note, state, terms_version, submitted_by) "
            "SELECT $1, coalesce(max(application_id), 0) + 1, $2, $3::date, 'admitted earlier', "
            "'DECIDED', 1, 'CN=test' FROM providers.applications WHERE covenant_id = $1 "
            "RETURNING application_id",
            covenant_id, kvk, day)[0]
          .as<int>();
  for (const auto& lot : lots) {
    tx.exec_params(
        "INSERT INTO providers.participations (covenant_id, kvk_number, lot_id, state, "
        "in_force_from, application_id) VALUES ($1, $2, $3, 'ACTIVE', $4::date, $5)",
        covenant_id, kvk, lot, day, application);
  }
  tx.commit();
}

}  // namespace regie::testing
