// Providers over gRPC: registration and evidence, an admission round with assessments and
// four-eyes decisions, participations from the window date, the equal-treatment report, the
// public register, and the evidence monitor on chosen days.

#include <boost/test/unit_test.hpp>

#include <pqxx/pqxx>

#include "covenant_rules.hpp"
#include "db/pool.hpp"
#include "db/session.hpp"
#include "deadlines.hpp"
#include "e2e_helpers.hpp"
#include "evidence_monitor.hpp"
#include "fixtures.hpp"
#include "test_server.hpp"

namespace regie::testing {
namespace {

using client::RegieClient;
using client::RpcError;
using std::chrono::days;
using std::chrono::sys_days;
namespace v1 = providers::v1;
using Providers = v1::ProviderService::Stub;
using Admission = v1::AdmissionService::Stub;
using Participations = v1::ParticipationService::Stub;

google::type::Date Date(sys_days day) { return covenants::ToDate(day); }

// The first 1 January or 1 July whose application deadline (`lead` days before) is not before
// `today`.
sys_days NextOpenWindow(sys_days today, int lead) {
  for (sys_days d = today;; d += days(1)) {
    const std::chrono::year_month_day ymd(d);
    const bool window = ymd.day() == std::chrono::day(1) &&
                        (ymd.month() == std::chrono::January || ymd.month() == std::chrono::July);
    if (window && d - days(lead) >= today) {
      return d;
    }
  }
}

// A published Duinstreek covenant running until 2099 with `lead` days between the application
// deadline and each window.
std::string PublishedCovenant(RegieClient& inkoop, int lead = 90) {
  auto fixture = DuinstreekCovenant();
  auto* terms = fixture.mutable_covenant()->mutable_terms();
  terms->mutable_term()->mutable_end_date()->set_year(2099);
  terms->mutable_accession_policy()->set_application_deadline_days(lead);
  const auto name = inkoop.CreateCovenant(fixture).name();
  inkoop.PublishCovenant(name, "", "");
  return name;
}

v1::Evidence AddEvidence(RegieClient& provider, const std::string& kvk, const std::string& id,
                         covenants::v1::EvidenceKind kind, sys_days issued,
                         std::optional<sys_days> expires, const std::string& content) {
  v1::AddEvidenceRequest request;
  request.set_parent("providers/" + kvk);
  request.set_evidence_id(id);
  auto* e = request.mutable_evidence();
  e->set_kind(kind);
  e->set_title("Evidence " + id);
  *e->mutable_issue_date() = Date(issued);
  if (expires) {
    *e->mutable_expiry_date() = Date(*expires);
  }
  e->set_sha256(std::string(64, content.at(0)));
  return provider.Unary(&Providers::AddEvidence, request);
}

v1::Application Submit(RegieClient& provider, const std::string& covenant, const std::string& kvk,
                       const std::vector<std::string>& lots,
                       std::optional<sys_days> window = std::nullopt) {
  v1::SubmitApplicationRequest request;
  request.set_parent(covenant);
  request.mutable_application()->set_provider("providers/" + kvk);
  for (const auto& lot : lots) {
    request.mutable_application()->add_lot_ids(lot);
  }
  if (window) {
    *request.mutable_application()->mutable_window_date() = Date(*window);
  }
  return provider.Unary(&Admission::SubmitApplication, request);
}

v1::AssessRequirementRequest Assessment(const std::string& application, const std::string& id,
                                        v1::Assessment::Result result,
                                        const std::string& motivation,
                                        const std::vector<std::string>& evidence) {
  v1::AssessRequirementRequest request;
  request.set_name(application);
  request.mutable_assessment()->set_requirement_id(id);
  request.mutable_assessment()->set_result(result);
  request.mutable_assessment()->set_motivation(motivation);
  for (const auto& e : evidence) {
    request.mutable_assessment()->add_evidence()->set_evidence(e);
  }
  return request;
}

v1::DecideLotRequest Decision(const std::string& application, const std::string& lot,
                              v1::LotDecision::Outcome outcome) {
  v1::DecideLotRequest request;
  request.set_name(application);
  request.set_lot_id(lot);
  request.set_outcome(outcome);
  return request;
}

// A registered provider with valid evidence for R1-R4, and its application for P1 and P4 assessed
// by `assessor`: everything passes except R5 (EED) when `fail_eed`.
struct Round {
  std::string covenant;
  std::string application;
  sys_days window;
  sys_days insurance_expiry;
};

Round AssessedRound(TestServer& server, RegieClient& provider, RegieClient& assessor,
                    RegieClient& inkoop) {
  Round round;
  const auto today = DatabaseToday(server);
  round.covenant = PublishedCovenant(inkoop);
  round.window = NextOpenWindow(today, 90);
  round.insurance_expiry = round.window + days(400);
  const std::string kvk = "12345678";
  RegisterProvider(provider, kvk, "Jeugdzorg Duinstreek");
  AddEvidence(provider, kvk, "vog", covenants::v1::EVIDENCE_KIND_CERTIFICATE_OF_CONDUCT,
              today - days(30), std::nullopt, "a");
  AddEvidence(provider, kvk, "insurance", covenants::v1::EVIDENCE_KIND_LIABILITY_INSURANCE,
              today - days(100), round.insurance_expiry, "b");
  AddEvidence(provider, kvk, "hkz", covenants::v1::EVIDENCE_KIND_QUALITY_MARK, today - days(10),
              today + days(1000), "c");
  AddEvidence(provider, kvk, "complaints", covenants::v1::EVIDENCE_KIND_COMPLAINTS_PROCEDURE,
              today - days(10), std::nullopt, "d");
  round.application = Submit(provider, round.covenant, kvk, {"P1", "P4"}).name();
  const std::string evidence = "providers/" + kvk + "/evidence/";
  const std::vector<std::pair<std::string, std::string>> passes = {
      {"R1", "vog"}, {"R2", "insurance"}, {"R3", "hkz"}, {"R4", "complaints"}};
  for (const auto& [requirement, id] : passes) {
    assessor.Unary(
        &Admission::AssessRequirement,
        Assessment(round.application, requirement, v1::Assessment::PASS, "", {evidence + id}));
  }
  assessor.Unary(&Admission::AssessRequirement,
                 Assessment(round.application, "R5", v1::Assessment::FAIL,
                            "R5: no EED-registered psychologist is employed or contracted.", {}));
  return round;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(server_admission)

BOOST_AUTO_TEST_CASE(an_application_after_its_deadline_is_refused_with_the_next_window) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  LoadDuinstreekReferenceData(admin);
  auto inkoop = server.Client(pki.procurement);
  auto provider = server.Client(pki.provider);
  // Applications close a full year before each window: the next window is closed already.
  const auto covenant = PublishedCovenant(inkoop, 365);
  RegisterProvider(provider, "12345678", "Jeugdzorg Duinstreek");
  const auto today = DatabaseToday(server);
  const auto closed = NextOpenWindow(today, 0);
  const auto open = NextOpenWindow(today, 365);
  BOOST_REQUIRE(closed < open);

  const auto message = "the next window is " + covenants::IsoDate(Date(open)) +
                       ", open for applications until " +
                       covenants::IsoDate(Date(open - days(365)));
  BOOST_CHECK_EXCEPTION(Submit(provider, covenant, "12345678", {"P1"}, closed), RpcError,
                        [&](const RpcError& e) {
                          return Refused(e, grpc::FAILED_PRECONDITION, "ACCESSION_CLOSED") &&
                                 std::string(e.what()).find(message) != std::string::npos;
                        });
  BOOST_CHECK_EXCEPTION(Submit(provider, covenant, "12345678", {"P1"}, today + days(3)), RpcError,
                        [](const RpcError& e) { return NamesField(e, "application.window_date"); });
  BOOST_CHECK_EXCEPTION(Submit(provider, covenant, "12345678", {"P9"}), RpcError,
                        [](const RpcError& e) { return NamesField(e, "application.lot_ids[0]"); });
  // Without a window the application is for the next one still open.
  const auto application = Submit(provider, covenant, "12345678", {"P1"});
  BOOST_TEST(covenants::IsoDate(application.window_date()) == covenants::IsoDate(Date(open)));
  BOOST_TEST(application.state() == v1::Application::SUBMITTED);
  BOOST_TEST(application.terms_version() == 1);
  // One open application per lot.
  BOOST_CHECK_EXCEPTION(
      Submit(provider, covenant, "12345678", {"P2", "P1"}), RpcError,
      [](const RpcError& e) { return Refused(e, grpc::FAILED_PRECONDITION, "ALREADY_APPLIED"); });
  // Someone else's KvK number is not the caller's to apply for.
  BOOST_CHECK_EXCEPTION(Submit(provider, covenant, "87654321", {"P2"}), RpcError,
                        [](const RpcError& e) {
                          return Refused(e, grpc::PERMISSION_DENIED, "NOT_YOUR_ORGANISATION");
                        });
}

BOOST_AUTO_TEST_CASE(an_admission_round_with_four_eyes_and_one_rejection) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  LoadDuinstreekReferenceData(admin);
  auto inkoop = server.Client(pki.procurement);
  auto provider = server.Client(pki.provider);
  auto decider = server.Client(pki.Issue("procurement", "9902", "Beslisser Bollenveld"));
  const auto today = DatabaseToday(server);

  // A fail needs a motivation that cites the requirement.
  const auto round = AssessedRound(server, provider, inkoop, inkoop);
  BOOST_CHECK_EXCEPTION(
      inkoop.Unary(&Admission::AssessRequirement,
                   Assessment(round.application, "R5", v1::Assessment::FAIL, "", {})),
      RpcError, [](const RpcError& e) { return NamesField(e, "assessment.motivation"); });
  BOOST_CHECK_EXCEPTION(
      inkoop.Unary(&Admission::AssessRequirement,
                   Assessment(round.application, "R5", v1::Assessment::FAIL,
                              "The provider does not qualify for this lot at all.", {})),
      RpcError, [](const RpcError& e) { return NamesField(e, "assessment.motivation"); });
  // A pass needs evidence of the kind the requirement asks for.
  BOOST_CHECK_EXCEPTION(
      inkoop.Unary(&Admission::AssessRequirement,
                   Assessment(round.application, "R2", v1::Assessment::PASS, "",
                              {"providers/12345678/evidence/vog"})),
      RpcError, [](const RpcError& e) { return NamesField(e, "assessment.evidence[0].evidence"); });

  // Four eyes: whoever assessed does not decide.
  BOOST_CHECK_EXCEPTION(
      inkoop.Unary(&Admission::DecideLot,
                   Decision(round.application, "P1", v1::LotDecision::ADMITTED)),
      RpcError, [](const RpcError& e) { return Refused(e, grpc::PERMISSION_DENIED, "FOUR_EYES"); });
  // Open house: whoever meets every requirement is admitted, and a failed one means rejection.
  BOOST_CHECK_EXCEPTION(decider.Unary(&Admission::DecideLot,
                                      Decision(round.application, "P1", v1::LotDecision::REJECTED)),
                        RpcError, [](const RpcError& e) {
                          return Refused(e, grpc::FAILED_PRECONDITION, "REQUIREMENTS_MET");
                        });
  BOOST_CHECK_EXCEPTION(decider.Unary(&Admission::DecideLot,
                                      Decision(round.application, "P4", v1::LotDecision::ADMITTED)),
                        RpcError, [](const RpcError& e) {
                          return Refused(e, grpc::FAILED_PRECONDITION, "REQUIREMENT_FAILED");
                        });

  decider.Unary(&Admission::DecideLot,
                Decision(round.application, "P1", v1::LotDecision::ADMITTED));
  const auto decided = decider.Unary(&Admission::DecideLot,
                                     Decision(round.application, "P4", v1::LotDecision::REJECTED));
  BOOST_TEST(decided.state() == v1::Application::DECIDED);
  BOOST_REQUIRE_EQUAL(decided.lots_size(), 2);
  BOOST_TEST(decided.lots(0).lot_id() == "P1");
  BOOST_TEST(covenants::IsoDate(decided.lots(0).in_force_from()) ==
             covenants::IsoDate(Date(round.window)));
  const auto& rejection = decided.lots(1);
  BOOST_TEST(rejection.outcome() == v1::LotDecision::REJECTED);
  BOOST_TEST(rejection.has_notify_time());
  // The standard letter cites the published criterion and the motivation.
  BOOST_TEST(rejection.letter().find("R5 (revision 1) EED registration") != std::string::npos);
  BOOST_TEST(rejection.letter().find("no EED-registered psychologist") != std::string::npos);

  // Admission made exactly one participation, in force from the window date.
  v1::ListParticipationsRequest list;
  list.set_parent(round.covenant);
  const auto participations = inkoop.Unary(&Participations::ListParticipations, list);
  BOOST_REQUIRE_EQUAL(participations.participations_size(), 1);
  const auto& p = participations.participations(0);
  BOOST_TEST(p.name() == round.covenant + "/participations/12345678-P1");
  BOOST_TEST(p.state() == v1::Participation::ACTIVE);
  BOOST_TEST(covenants::IsoDate(p.in_force_from()) == covenants::IsoDate(Date(round.window)));
  BOOST_TEST(p.application() == round.application);

  // An objection against the rejection, with its date.
  v1::RegisterObjectionRequest objection;
  objection.set_name(round.application);
  objection.set_lot_id("P4");
  objection.mutable_objection()->set_kind(v1::Objection::OBJECTION);
  *objection.mutable_objection()->mutable_filed_date() = Date(today);
  objection.mutable_objection()->set_summary("We contract an EED psychologist from next month.");
  const auto objected = inkoop.Unary(&Admission::RegisterObjection, objection);
  BOOST_REQUIRE_EQUAL(objected.lots(1).objections_size(), 1);
  objection.set_lot_id("P9");
  BOOST_CHECK_EXCEPTION(inkoop.Unary(&Admission::RegisterObjection, objection), RpcError,
                        [](const RpcError& e) { return NamesField(e, "lot_id"); });

  // Another provider sees neither the application nor the participation.
  auto other = server.Client(pki.Issue("provider", "87654321", "Andere Aanbieder"));
  v1::GetApplicationRequest get;
  get.set_name(round.application);
  BOOST_CHECK_EXCEPTION(other.Unary(&Admission::GetApplication, get), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::NOT_FOUND; });
  BOOST_TEST(provider.Unary(&Admission::GetApplication, get).name() == round.application);
  v1::ListApplicationsRequest applications;
  applications.set_parent(round.covenant);
  BOOST_TEST(other.Unary(&Admission::ListApplications, applications).applications_size() == 0);
  BOOST_TEST(inkoop.Unary(&Admission::ListApplications, applications).applications_size() == 1);

  // The equal-treatment report: one revision per requirement, and the outcome of each.
  v1::GetAdmissionReportRequest report_request;
  report_request.set_parent(round.covenant);
  *report_request.mutable_window_date() = Date(round.window);
  auto auditor = server.Client(pki.auditor);
  const auto report = auditor.Unary(&Admission::GetAdmissionReport, report_request);
  BOOST_REQUIRE_EQUAL(report.applications_size(), 1);
  BOOST_REQUIRE_EQUAL(report.requirements_size(), 5);
  for (const auto& use : report.requirements()) {
    BOOST_TEST(use.revisions_size() == 1);
    BOOST_TEST(use.revisions(0) == 1);
  }
  BOOST_TEST(report.requirements(4).requirement_id() == "R5");
  BOOST_TEST(report.requirements(4).failed() == 1);
  BOOST_CHECK_EXCEPTION(provider.Unary(&Admission::GetAdmissionReport, report_request), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::PERMISSION_DENIED; });

  // The public register lists the provider for P1 from the window date, without assessments.
  v1::GetRegisterRequest register_request;
  register_request.set_parent(round.covenant);
  BOOST_TEST(other.Unary(&Participations::GetRegister, register_request).lots(0).providers_size() ==
             0);  // not yet in force today
  *register_request.mutable_as_of() = Date(round.window);
  register_request.set_lot_id("P1");
  const auto public_register = other.Unary(&Participations::GetRegister, register_request);
  BOOST_REQUIRE_EQUAL(public_register.lots_size(), 1);
  BOOST_REQUIRE_EQUAL(public_register.lots(0).providers_size(), 1);
  BOOST_TEST(public_register.lots(0).providers(0).display_name() == "Jeugdzorg Duinstreek");
  BOOST_TEST(public_register.lots(0).providers(0).cities(0) == "Duinhaven");
}

BOOST_AUTO_TEST_CASE(expired_evidence_suspends_and_new_evidence_reinstates) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  LoadDuinstreekReferenceData(admin);
  auto inkoop = server.Client(pki.procurement);
  auto provider = server.Client(pki.provider);
  auto decider = server.Client(pki.Issue("procurement", "9902", "Beslisser Bollenveld"));
  const auto round = AssessedRound(server, provider, inkoop, inkoop);
  decider.Unary(&Admission::DecideLot,
                Decision(round.application, "P1", v1::LotDecision::ADMITTED));

  // The monitor on chosen days, against the server's database.
  db::ConnectionPool pool({.dsn = server.dsn(), .max_size = 2, .on_connect = [](auto& c) {
                             db::SetUpSession(c, "admission-test");
                           }});
  covenants::PgCovenantStore covenant_store(pool);
  providers::PgProviderStore provider_store(pool);
  providers::PgParticipationStore participation_store(pool);
  providers::EvidenceMonitor monitor(covenant_store, provider_store, participation_store);
  const auto deadline = [] { return db::Clock::now() + std::chrono::seconds(30); };
  const auto participation = [&] {
    v1::GetParticipationRequest get;
    get.set_name(round.covenant + "/participations/12345678-P1");
    return inkoop.Unary(&Participations::GetParticipation, get);
  };

  BOOST_TEST(monitor.Run(deadline(), round.window) == 0);
  BOOST_TEST(monitor.Run(deadline(), round.insurance_expiry - days(1)) == 0);
  // The insurance's expiry date is its first invalid day: R2 says suspend.
  BOOST_TEST(monitor.Run(deadline(), round.insurance_expiry) == 1);
  auto suspended = participation();
  BOOST_TEST(suspended.state() == v1::Participation::SUSPENDED);
  BOOST_TEST(suspended.suspension().automatic());
  BOOST_TEST(suspended.suspension().reason().find("R2 (Liability insurance)") != std::string::npos);
  BOOST_TEST(suspended.suspension().suspended_by() == "regie evidence-monitor");
  BOOST_TEST(monitor.Run(deadline(), round.insurance_expiry) == 0);  // nothing twice

  // New insurance arrives. Adding evidence runs the monitor for the provider at once (today, when
  // nothing is missing), and on the old policy's expiry day the new one keeps it running.
  AddEvidence(provider, "12345678", "insurance", covenants::v1::EVIDENCE_KIND_LIABILITY_INSURANCE,
              DatabaseToday(server), round.insurance_expiry + days(365), "e");
  BOOST_TEST(participation().state() == v1::Participation::ACTIVE);
  BOOST_TEST(monitor.Run(deadline(), round.insurance_expiry) == 0);
  BOOST_TEST(!participation().has_suspension());

  // Notice by the provider must respect the notice period of six months.
  v1::EndParticipationRequest end;
  end.set_name(round.covenant + "/participations/12345678-P1");
  end.set_kind(v1::Ending::NOTICE_BY_PROVIDER);
  *end.mutable_end_date() = Date(DatabaseToday(server) + days(30));
  end.set_reason("We stop ambulatory youth care.");
  BOOST_CHECK_EXCEPTION(provider.Unary(&Participations::EndParticipation, end), RpcError,
                        [](const RpcError& e) { return NamesField(e, "end_date"); });
  const auto ends_on = DatabaseToday(server) + days(200);
  *end.mutable_end_date() = Date(ends_on);
  const auto noticed = provider.Unary(&Participations::EndParticipation, end);
  BOOST_TEST(noticed.state() == v1::Participation::ACTIVE);  // until the end date
  BOOST_TEST(noticed.ending().kind() == v1::Ending::NOTICE_BY_PROVIDER);
  BOOST_TEST(monitor.Run(deadline(), ends_on) == 1);
  BOOST_TEST(participation().state() == v1::Participation::ENDED);
}

BOOST_AUTO_TEST_CASE(an_admission_decided_before_regie_is_recorded_from_its_window) {
  TestPki pki;
  TestServer server(pki);
  auto admin = server.Client(pki.admin);
  LoadDuinstreekReferenceData(admin);
  auto inkoop = server.Client(pki.procurement);
  auto provider = server.Client(pki.provider);
  const auto today = DatabaseToday(server);
  const int last_year = static_cast<int>(std::chrono::year_month_day(today).year()) - 1;
  const auto covenant = PublishCovenantSince(inkoop, last_year);
  RegisterProvider(provider, "12345678", "Jeugdzorg Duinstreek");
  const auto since = sys_days(std::chrono::year(last_year) / std::chrono::July / 1);

  v1::RecordEarlierAdmissionRequest request;
  request.set_parent(covenant);
  request.set_provider("providers/12345678");
  request.add_lot_ids("P1");
  request.add_lot_ids("P6");
  *request.mutable_in_force_from() = Date(since);
  request.set_decision("Besluit 2025/0412 van het college van Duinhaven, 12 maart");
  const auto refuse = [&](auto edit, const std::string& field) {
    auto bad = request;
    edit(bad);
    BOOST_CHECK_EXCEPTION(inkoop.Unary(&Admission::RecordEarlierAdmission, bad), RpcError,
                          [&](const RpcError& e) { return NamesField(e, field); });
  };
  refuse([&](auto& r) { *r.mutable_in_force_from() = Date(today + days(200)); }, "in_force_from");
  refuse([&](auto& r) { *r.mutable_in_force_from() = Date(since + days(1)); }, "in_force_from");
  refuse([&](auto& r) { *r.mutable_in_force_from() = Date(since - days(366)); }, "in_force_from");
  refuse([](auto& r) { r.set_decision("Besluit"); }, "decision");
  refuse([](auto& r) { r.add_lot_ids("P9"); }, "lot_ids[2]");
  BOOST_CHECK_EXCEPTION(
      provider.Unary(&Admission::RecordEarlierAdmission, request), RpcError,
      [](const RpcError& e) { return Refused(e, grpc::StatusCode::PERMISSION_DENIED); });
  v1::ListParticipationsRequest list;
  list.set_parent(covenant);
  BOOST_TEST(inkoop.Unary(&Participations::ListParticipations, list).participations_size() == 0);

  const auto recorded = inkoop.Unary(&Admission::RecordEarlierAdmission, request);
  BOOST_TEST(recorded.state() == v1::Application::DECIDED);
  BOOST_TEST(recorded.earlier_decision() == request.decision());
  BOOST_TEST(covenants::IsoDate(recorded.window_date()) == covenants::IsoDay(since));
  BOOST_REQUIRE(recorded.lots_size() == 2);
  for (const auto& lot : recorded.lots()) {
    BOOST_TEST(lot.outcome() == v1::LotDecision::ADMITTED);
    BOOST_TEST(covenants::IsoDate(lot.in_force_from()) == covenants::IsoDay(since));
    BOOST_TEST(lot.letter() == request.decision());
  }
  const auto participations = provider.Unary(&Participations::ListParticipations, list);
  BOOST_REQUIRE(participations.participations_size() == 2);
  BOOST_TEST(participations.participations(0).state() == v1::Participation::ACTIVE);
  BOOST_TEST(covenants::IsoDate(participations.participations(0).in_force_from()) ==
             covenants::IsoDay(since));
  BOOST_TEST(participations.participations(1).lot_id() == "P6");

  // Once is enough: the lots are taken.
  BOOST_CHECK_EXCEPTION(
      inkoop.Unary(&Admission::RecordEarlierAdmission, request), RpcError, [](const RpcError& e) {
        return Refused(e, grpc::StatusCode::FAILED_PRECONDITION, "ALREADY_APPLIED");
      });
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::testing
