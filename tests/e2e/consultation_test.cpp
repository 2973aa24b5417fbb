// The consultation table over gRPC: meetings, amendments adopted at them, and the versions of the
// terms they make, read as of any day.

#include <boost/test/unit_test.hpp>

#include <pqxx/pqxx>

#include "audit_verify.hpp"
#include "covenant_rules.hpp"
#include "deadlines.hpp"
#include "e2e_helpers.hpp"
#include "fixtures.hpp"
#include "test_server.hpp"

namespace regie::testing {
namespace {

using client::RegieClient;
using client::RpcError;
namespace v1 = covenants::v1;
using Stub = v1::ConsultationService::Stub;

// A published Duinstreek covenant whose term runs until 2099, so that every date these tests
// choose from today on falls within it.
std::string PublishedCovenant(RegieClient& inkoop) {
  auto fixture = DuinstreekCovenant();
  fixture.mutable_covenant()->mutable_terms()->mutable_term()->mutable_end_date()->set_year(2099);
  const auto name = inkoop.CreateCovenant(fixture).name();
  inkoop.PublishCovenant(name, "", "");
  return name;
}

v1::Meeting Schedule(RegieClient& inkoop, const std::string& covenant, std::chrono::sys_days day) {
  v1::ScheduleMeetingRequest request;
  request.set_parent(covenant);
  *request.mutable_meeting()->mutable_meeting_date() = covenants::ToDate(day);
  request.mutable_meeting()->set_location("Town hall Duinhaven");
  request.mutable_meeting()->add_agenda("Notice period");
  request.mutable_meeting()->add_agenda("Tariff indexation");
  return inkoop.Unary(&Stub::ScheduleMeeting, request);
}

v1::Meeting Hold(RegieClient& inkoop, const std::string& meeting) {
  v1::RecordMinutesRequest request;
  request.set_name(meeting);
  request.set_minutes("All providers present. Both proposals agreed.");
  request.add_decisions("Notice period becomes three months.");
  return inkoop.Unary(&Stub::RecordMinutes, request);
}

v1::Amendment NoticeAmendment(std::chrono::sys_days effective) {
  v1::Amendment amendment;
  amendment.set_title("Shorter notice");
  amendment.set_rationale("Providers asked for more flexibility at the consultation table.");
  *amendment.mutable_effective_date() = covenants::ToDate(effective);
  auto* change = amendment.mutable_terms_change();
  change->mutable_terms()->mutable_term()->set_notice_period_months(3);
  change->mutable_update_mask()->add_paths("term.notice_period_months");
  return amendment;
}

v1::Amendment Indexation(std::chrono::sys_days effective, const std::string& lot) {
  v1::Amendment amendment;
  amendment.set_title("Tariff indexation");
  amendment.set_rationale("OVA index 3.25%.");
  *amendment.mutable_effective_date() = covenants::ToDate(effective);
  amendment.mutable_tariff_indexation()->set_basis_points(325);
  amendment.mutable_tariff_indexation()->add_lot_ids(lot);
  return amendment;
}

v1::Amendment Propose(RegieClient& client, const std::string& covenant,
                      const v1::Amendment& amendment) {
  v1::ProposeAmendmentRequest request;
  request.set_parent(covenant);
  *request.mutable_amendment() = amendment;
  return client.Unary(&Stub::ProposeAmendment, request);
}

v1::Amendment Adopt(RegieClient& client, const std::string& amendment, const std::string& meeting) {
  v1::AdoptAmendmentRequest request;
  request.set_name(amendment);
  request.set_meeting(meeting);
  return client.Unary(&Stub::AdoptAmendment, request);
}

std::int64_t TariffOn(RegieClient& client, const std::string& covenant, const std::string& day) {
  v1::GetLotRequest request;
  request.set_name(covenant + "/lots/P1");
  *request.mutable_as_of() = *covenants::ParseIsoDate(day);
  const auto lot = client.Unary(&v1::CovenantService::Stub::GetLot, request);
  const auto when = covenants::ToDays(*covenants::ParseIsoDate(day));
  for (const auto& tariff : lot.products(0).tariffs()) {
    if (covenants::ToDays(tariff.valid_from()) <= when &&
        (!tariff.has_valid_until() || when <= covenants::ToDays(tariff.valid_until()))) {
      return tariff.amount_cents();
    }
  }
  return 0;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(server_consultation)

BOOST_AUTO_TEST_CASE(amendments_adopted_at_a_meeting_are_read_as_of_any_day) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  LoadDuinstreekReferenceData(admin);
  auto inkoop = server.Client(pki.procurement);
  auto provider = server.Client(pki.provider);
  const auto name = PublishedCovenant(inkoop);
  const auto today = DatabaseToday(server);
  const auto d1 = today + std::chrono::days(10);
  const auto d2 = today + std::chrono::days(40);

  const auto meeting = Schedule(inkoop, name, today);
  BOOST_TEST(meeting.name() == name + "/meetings/1");
  BOOST_TEST(meeting.state() == v1::Meeting::SCHEDULED);
  const std::vector<std::string> invitees(meeting.invitees().begin(), meeting.invitees().end());
  BOOST_TEST(invitees == (std::vector<std::string>{"municipalities/9901", "municipalities/9902",
                                                   "municipalities/9903"}),
             boost::test_tools::per_element());

  const auto notice = Propose(inkoop, name, NoticeAmendment(d1));
  BOOST_TEST(notice.name() == name + "/amendments/1");
  BOOST_TEST(notice.state() == v1::Amendment::PROPOSED);
  BOOST_TEST(notice.base_version() == 1);
  // Not before the meeting has been held.
  BOOST_CHECK_EXCEPTION(
      Adopt(inkoop, notice.name(), meeting.name()), RpcError,
      [](const RpcError& e) { return Refused(e, grpc::FAILED_PRECONDITION, "MEETING_STATE"); });
  BOOST_TEST(Hold(inkoop, meeting.name()).state() == v1::Meeting::HELD);
  BOOST_CHECK_EXCEPTION(Hold(inkoop, meeting.name()), RpcError, [](const RpcError& e) {
    return Refused(e, grpc::FAILED_PRECONDITION, "MEETING_STATE") &&
           std::string(e.what()).find("is held") != std::string::npos;
  });

  const auto adopted = Adopt(inkoop, notice.name(), meeting.name());
  BOOST_TEST(adopted.state() == v1::Amendment::ADOPTED);
  BOOST_TEST(adopted.version() == 2);
  BOOST_TEST(adopted.meeting() == meeting.name());
  BOOST_TEST(adopted.decided_by() == "CN=Inkoper Duinhaven,OU=procurement,O=9901");
  const auto indexation = Propose(inkoop, name, Indexation(d2, "P1"));
  BOOST_TEST(indexation.base_version() == 2);
  BOOST_TEST(Adopt(inkoop, indexation.name(), meeting.name()).version() == 3);

  // As of each day, the version in force then.
  const auto before = covenants::IsoDay(d1 - std::chrono::days(1));
  BOOST_TEST(provider.GetCovenant(name, before).terms().term().notice_period_months() == 6);
  BOOST_TEST(provider.GetCovenant(name, before).version() == 1);
  BOOST_TEST(
      provider.GetCovenant(name, covenants::IsoDay(d1)).terms().term().notice_period_months() == 3);
  BOOST_TEST(provider.GetCovenant(name, covenants::IsoDay(d1)).version() == 2);
  BOOST_TEST(provider.GetCovenant(name, covenants::IsoDay(d2)).version() == 3);
  BOOST_TEST(TariffOn(provider, name, covenants::IsoDay(d1)) == 7800);
  BOOST_TEST(TariffOn(provider, name, covenants::IsoDay(d2)) == 8054);
  BOOST_TEST(TariffOn(provider, name, covenants::IsoDay(d2 - std::chrono::days(1))) == 7800);

  const auto versions = provider.ListCovenantVersions(name);
  BOOST_REQUIRE_EQUAL(versions.size(), 3u);
  BOOST_TEST(versions[0].amendment().empty());
  BOOST_TEST(versions[1].amendment() == notice.name());
  BOOST_TEST(versions[1].meeting() == meeting.name());
  BOOST_TEST(versions[1].rationale() == NoticeAmendment(d1).rationale());
  BOOST_TEST(covenants::IsoDate(versions[2].effective_date()) == covenants::IsoDay(d2));

  const auto changes = provider.DiffCovenantVersions(name, 2, 3);
  BOOST_REQUIRE_EQUAL(changes.size(), 2u);
  BOOST_TEST(changes[0].field() == "terms.lots[P1].products[45A48].tariffs");
  BOOST_TEST(changes[1].field() == "terms.lots[P1].products[45A49].tariffs");

  // Two proposals against version 3: the first adopted makes the second outdated.
  const auto first = Propose(inkoop, name, Indexation(d2 + std::chrono::days(365), "P2"));
  const auto second = Propose(inkoop, name, Indexation(d2 + std::chrono::days(365), "P4"));
  Adopt(inkoop, first.name(), meeting.name());
  BOOST_CHECK_EXCEPTION(Adopt(inkoop, second.name(), meeting.name()), RpcError,
                        [](const RpcError& e) {
                          return Refused(e, grpc::FAILED_PRECONDITION, "AMENDMENT_OUTDATED");
                        });
  v1::WithdrawAmendmentRequest withdraw;
  withdraw.set_name(second.name());
  BOOST_TEST(inkoop.Unary(&Stub::WithdrawAmendment, withdraw).state() == v1::Amendment::WITHDRAWN);
  BOOST_CHECK_EXCEPTION(
      inkoop.Unary(&Stub::WithdrawAmendment, withdraw), RpcError,
      [](const RpcError& e) { return Refused(e, grpc::FAILED_PRECONDITION, "AMENDMENT_STATE"); });

  // Everyone who reads the covenant reads its meetings and amendments.
  v1::ListAmendmentsRequest list;
  list.set_parent(name);
  list.set_page_size(3);
  const auto page = provider.Unary(&Stub::ListAmendments, list);
  BOOST_TEST(page.amendments_size() == 3);
  list.set_page_token(page.next_page_token());
  const auto rest = provider.Unary(&Stub::ListAmendments, list);
  BOOST_REQUIRE_EQUAL(rest.amendments_size(), 1);
  BOOST_TEST(rest.amendments(0).name() == second.name());
  BOOST_TEST(rest.next_page_token().empty());

  server.app().SealNow();
  BOOST_TEST(client::VerifyAuditLog(admin, pki.ca().certificate_pem).result.ok);
}

BOOST_AUTO_TEST_CASE(what_may_not_take_effect_is_refused_and_changes_nothing) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  LoadDuinstreekReferenceData(admin);
  auto inkoop = server.Client(pki.procurement);
  const auto today = DatabaseToday(server);

  // A draft has no consultation table: it is edited directly.
  auto fixture = DuinstreekCovenant();
  fixture.set_covenant_id("draft-only");
  inkoop.CreateCovenant(fixture);
  BOOST_CHECK_EXCEPTION(
      Schedule(inkoop, "covenants/draft-only", today), RpcError,
      [](const RpcError& e) { return Refused(e, grpc::FAILED_PRECONDITION, "COVENANT_STATE"); });
  BOOST_CHECK_EXCEPTION(
      Propose(inkoop, "covenants/draft-only", NoticeAmendment(today)), RpcError,
      [](const RpcError& e) { return Refused(e, grpc::FAILED_PRECONDITION, "COVENANT_STATE"); });

  const auto name = PublishedCovenant(inkoop);
  BOOST_CHECK_EXCEPTION(
      Propose(inkoop, name, NoticeAmendment(today - std::chrono::days(1))), RpcError,
      [](const RpcError& e) { return Refused(e, grpc::FAILED_PRECONDITION, "EFFECTIVE_DATE"); });
  BOOST_CHECK_EXCEPTION(Schedule(inkoop, name, today - std::chrono::days(1)), RpcError,
                        [](const RpcError& e) {
                          return e.code() == grpc::INVALID_ARGUMENT &&
                                 e.violations().at(0).rfind("meeting.meeting_date: ", 0) == 0;
                        });
  const auto later = Schedule(inkoop, name, today + std::chrono::days(7));
  BOOST_CHECK_EXCEPTION(Hold(inkoop, later.name()), RpcError, [](const RpcError& e) {
    return Refused(e, grpc::FAILED_PRECONDITION, "MEETING_NOT_HELD_YET");
  });

  // Field by field: a start date moved, an unknown path, an unknown lot, no percentage.
  auto moved = NoticeAmendment(today);
  moved.mutable_terms_change()->mutable_terms()->mutable_term()->mutable_start_date()->set_year(
      2027);
  moved.mutable_terms_change()->mutable_update_mask()->add_paths("term.start_date");
  BOOST_CHECK_EXCEPTION(Propose(inkoop, name, moved), RpcError, [](const RpcError& e) {
    return e.code() == grpc::INVALID_ARGUMENT && e.violations().size() == 1u &&
           e.violations()[0].rfind("amendment.terms_change.terms.term.start_date: ", 0) == 0;
  });
  auto unknown = NoticeAmendment(today);
  unknown.mutable_terms_change()->mutable_update_mask()->add_paths("term.length");
  BOOST_CHECK_EXCEPTION(Propose(inkoop, name, unknown), RpcError, [](const RpcError& e) {
    return e.code() == grpc::INVALID_ARGUMENT &&
           e.violations().at(0).rfind("amendment.terms_change.update_mask: ", 0) == 0;
  });
  auto bad_lot = Indexation(today, "P9");
  BOOST_CHECK_EXCEPTION(Propose(inkoop, name, bad_lot), RpcError, [](const RpcError& e) {
    return e.code() == grpc::INVALID_ARGUMENT &&
           e.violations().at(0).rfind("amendment.tariff_indexation.lot_ids[0]: ", 0) == 0;
  });
  auto no_change = Indexation(today, "P1");
  no_change.mutable_tariff_indexation()->set_basis_points(0);
  no_change.clear_title();
  BOOST_CHECK_EXCEPTION(Propose(inkoop, name, no_change), RpcError, [](const RpcError& e) {
    return e.code() == grpc::INVALID_ARGUMENT && e.violations().size() == 2u &&
           e.violations()[0].rfind("amendment.title: ", 0) == 0 &&
           e.violations()[1].rfind("amendment.tariff_indexation.basis_points: ", 0) == 0;
  });

  // Only the covenant's managers change it; a provider and an outsider are refused.
  auto provider = server.Client(pki.provider);
  BOOST_CHECK_EXCEPTION(Propose(provider, name, NoticeAmendment(today)), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::PERMISSION_DENIED; });
  auto outsider = server.Client(pki.Issue("procurement", "0363", "Inkoper Amsterdam"));
  BOOST_CHECK_EXCEPTION(Propose(outsider, name, NoticeAmendment(today)), RpcError,
                        [](const RpcError& e) {
                          return Refused(e, grpc::PERMISSION_DENIED, "NOT_A_COVENANT_MANAGER");
                        });

  v1::ListAmendmentsRequest list;
  list.set_parent(name);
  BOOST_TEST(inkoop.Unary(&Stub::ListAmendments, list).amendments().empty());
  BOOST_TEST(inkoop.ListCovenantVersions(name).size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::testing
