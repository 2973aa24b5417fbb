// Outcomes over gRPC: the indicator library, agreements validated and versioned through adopted
// amendments, and settlements from accepted reports: the domain oracle, idempotent re-runs, a
// correction that supersedes, refusals and skips, access by role, and the recovery calculation.
// Accepted reports are written with SQL (accepted_reports.hpp) into the reports schema that
// settlement reads (docs/adr/0008); the reporting service that fills it in production is not part
// of this suite.

#include <boost/test/unit_test.hpp>

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/message_differencer.h>

#include <pqxx/pqxx>

#include "accepted_reports.hpp"
#include "covenant_rules.hpp"
#include "deadlines.hpp"
#include "e2e_helpers.hpp"
#include "fixtures.hpp"
#include "test_server.hpp"

namespace regie::testing {
namespace {

using client::RegieClient;
using client::RpcError;
using std::chrono::days;
using std::chrono::sys_days;
namespace v1 = outcomes::v1;
using Indicators = v1::IndicatorService::Stub;
using Agreements = v1::AgreementService::Stub;
using Settlements = v1::SettlementService::Stub;
using Consultation = covenants::v1::ConsultationService::Stub;

struct Level {
  std::string indicator;
  std::string floor;
  std::string target;
  std::string stretch = "";
};

// The oracle's five indicators, weight 0.2 each; with the results of AcceptOracleYear they score
// 0.6, 1.0, 0.6, 1.0 and 0.5.
std::vector<Level> OracleLevels() {
  return {{"nji-drop-out", "0.2", "0.1"},
          {"nji-satisfaction", "0.5", "0.9"},
          {"nji-no-further-help", "0.4", "0.9"},
          {"nji-goals-reached", "0.5", "0.8"},
          {"zrm-improvement", "0.2", "0.6"}};
}

v1::Agreement Agreement(const std::string& provider, std::int64_t lump_sum,
                        const std::vector<Level>& levels) {
  v1::Agreement a;
  a.set_title("Outcome agreement youth care");
  a.set_provider(provider);
  a.set_lump_sum_eurocents(lump_sum);
  for (const auto& level : levels) {
    auto* i = a.add_indicators();
    i->set_indicator("indicators/" + level.indicator);
    i->set_floor(level.floor);
    i->set_target(level.target);
    i->set_stretch(level.stretch);
    i->set_weight("0.2");
  }
  a.mutable_payment_rule()->set_result_share_percent("5");
  a.mutable_payment_rule()->set_max_malus_percent("2.5");
  a.mutable_payment_rule()->set_bonus_percent("2.5");
  a.mutable_recovery_rule()->set_tolerance_percent("3");
  a.mutable_recovery_rule()->set_penalty_percent("50");
  return a;
}

v1::Agreement Create(RegieClient& client, const std::string& lot, const std::string& id,
                     const v1::Agreement& agreement) {
  v1::CreateAgreementRequest request;
  request.set_parent(lot);
  request.set_agreement_id(id);
  *request.mutable_agreement() = agreement;
  return client.Unary(&Agreements::CreateAgreement, request);
}

v1::RunSettlementResponse Run(RegieClient& client, const std::string& covenant,
                              const std::string& period, const std::string& agreement = "") {
  v1::RunSettlementRequest request;
  request.set_parent(covenant);
  request.set_period(period);
  request.set_agreement(agreement);
  return client.Unary(&Settlements::RunSettlement, request);
}

struct World {
  TestPki pki;
  TestServer server{pki};
  RegieClient admin{server.Client(pki.admin)};
  RegieClient inkoop{server.Client(pki.procurement)};
  RegieClient provider{server.Client(pki.provider)};
  RegieClient auditor{server.Client(pki.auditor)};
  sys_days today = DatabaseToday(server);
  int last_year = YearOf(today) - 1;
  std::string covenant;

  World() {
    LoadDuinstreekReferenceData(admin);
    covenant = PublishCovenantSince(inkoop, last_year);
    RegisterProvider(provider, "12345678", "Jeugdzorg Duinstreek");
  }
  std::string Lot(const std::string& lot) const { return covenant + "/lots/" + lot; }
  std::string CovenantId() const { return covenant.substr(covenant.find('/') + 1); }
  // The oracle's agreement "results" in P6 and its accepted reports of last year, which it
  // returns as a period to settle.
  std::string OracleAgreementAndYear() {
    Create(inkoop, Lot("P6"), "results",
           Agreement("providers/12345678", 240'000'000, OracleLevels()));
    AcceptOracleYear(server.dsn(), CovenantId(), "12345678", last_year, "P6");
    return std::to_string(last_year);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(server_outcomes)

BOOST_AUTO_TEST_CASE(the_indicator_library_holds_the_nji_set_and_the_zrm) {
  TestPki pki;
  TestServer server(pki);
  auto provider = server.Client(pki.provider);
  const auto all = provider.Unary(&Indicators::ListIndicators, v1::ListIndicatorsRequest());
  BOOST_TEST(all.indicators_size() == 6);
  v1::ListIndicatorsRequest page;
  page.set_page_size(4);
  const auto first = provider.Unary(&Indicators::ListIndicators, page);
  BOOST_TEST(first.indicators_size() == 4);
  page.set_page_token(first.next_page_token());
  BOOST_TEST(provider.Unary(&Indicators::ListIndicators, page).indicators_size() == 2);
  v1::GetIndicatorRequest get;
  get.set_name("indicators/nji-drop-out");
  const auto drop_out = provider.Unary(&Indicators::GetIndicator, get);
  BOOST_TEST(drop_out.direction() == v1::Indicator::LOWER_IS_BETTER);
  BOOST_TEST(drop_out.title() == "Drop-out (uitval)");
  get.set_name("indicators/nji-no-new-start");
  BOOST_TEST(provider.Unary(&Indicators::GetIndicator, get).lag_months() == 12);
  get.set_name("indicators/unknown");
  BOOST_CHECK_EXCEPTION(provider.Unary(&Indicators::GetIndicator, get), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::NOT_FOUND; });
  get.set_name("nji-drop-out");
  BOOST_CHECK_EXCEPTION(provider.Unary(&Indicators::GetIndicator, get), RpcError,
                        [](const RpcError& e) { return NamesField(e, "name"); });
}

BOOST_AUTO_TEST_CASE(an_agreement_is_validated_field_by_field_and_read_by_its_parties) {
  World w;
  auto bad = Agreement("providers/12345678", 240'000'000, OracleLevels());
  bad.mutable_indicators(0)->set_target("0.3");  // drop-out: the target must be below the floor
  BOOST_CHECK_EXCEPTION(
      Create(w.inkoop, w.Lot("P6"), "results", bad), RpcError,
      [](const RpcError& e) { return NamesField(e, "agreement.indicators[0].target"); });
  auto lump_on_effort = Agreement("", 1, OracleLevels());
  BOOST_CHECK_EXCEPTION(
      Create(w.inkoop, w.Lot("P1"), "results", lump_on_effort), RpcError,
      [](const RpcError& e) { return NamesField(e, "agreement.lump_sum_eurocents"); });
  auto unknown_provider = Agreement("providers/87654321", 1, OracleLevels());
  BOOST_CHECK_EXCEPTION(Create(w.inkoop, w.Lot("P6"), "results", unknown_provider), RpcError,
                        [](const RpcError& e) { return NamesField(e, "agreement.provider"); });
  BOOST_CHECK_EXCEPTION(Create(w.provider, w.Lot("P6"), "results",
                               Agreement("providers/12345678", 1, OracleLevels())),
                        RpcError,
                        [](const RpcError& e) { return e.code() == grpc::PERMISSION_DENIED; });
  v1::ListAgreementsRequest list;
  list.set_parent(w.covenant);
  BOOST_TEST(w.inkoop.Unary(&Agreements::ListAgreements, list).agreements_size() == 0);

  const auto created = Create(w.inkoop, w.Lot("P6"), "results",
                              Agreement("providers/12345678", 240'000'000, OracleLevels()));
  BOOST_TEST(created.name() == w.Lot("P6") + "/agreements/results");
  BOOST_TEST(created.version() == 1);
  BOOST_TEST(created.funding_model() == covenants::v1::FUNDING_MODEL_TASK);
  BOOST_TEST(covenants::IsoDate(created.effective_date()) ==
             std::to_string(w.last_year) + "-01-01");
  BOOST_TEST(created.created_by().find("Inkoper") != std::string::npos);
  BOOST_CHECK_EXCEPTION(
      Create(w.inkoop, w.Lot("P6"), "results", Agreement("providers/12345678", 1, OracleLevels())),
      RpcError,
      [](const RpcError& e) { return Refused(e, grpc::ALREADY_EXISTS, "AGREEMENT_EXISTS"); });

  v1::GetAgreementRequest get;
  get.set_name(created.name());
  BOOST_TEST(w.provider.Unary(&Agreements::GetAgreement, get).lump_sum_eurocents() == 240'000'000);
  BOOST_TEST(w.auditor.Unary(&Agreements::GetAgreement, get).version() == 1);
  auto other = w.server.Client(w.pki.Issue("provider", "87654321", "Andere Aanbieder"));
  BOOST_CHECK_EXCEPTION(other.Unary(&Agreements::GetAgreement, get), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::NOT_FOUND; });
  BOOST_TEST(other.Unary(&Agreements::ListAgreements, list).agreements_size() == 0);
  BOOST_TEST(w.provider.Unary(&Agreements::ListAgreements, list).agreements_size() == 1);
}

BOOST_AUTO_TEST_CASE(the_oracle_settles_once_and_a_correction_supersedes_it) {
  World w;
  const auto agreement = Create(w.inkoop, w.Lot("P6"), "results",
                                Agreement("providers/12345678", 240'000'000, OracleLevels()));
  AcceptOracleYear(w.server.dsn(), w.CovenantId(), "12345678", w.last_year, "P6");
  const auto period = std::to_string(w.last_year);

  const auto first = Run(w.inkoop, w.covenant, period);
  BOOST_TEST_REQUIRE(first.outcomes_size() == 1);
  BOOST_TEST(first.outcomes(0).result() == v1::SettlementOutcome::CREATED);
  const auto& s = first.outcomes(0).settlement();
  BOOST_TEST(s.name() == w.covenant + "/settlements/" + period + "-12345678-P6-results");
  BOOST_TEST(s.version() == 1);
  BOOST_TEST(s.state() == v1::Settlement::CURRENT);
  BOOST_TEST(s.score().decimal() == "0.740000");
  BOOST_TEST(s.paid_result_share_eurocents() == 8'880'000);
  BOOST_TEST(s.total_eurocents() == 236'880'000);
  BOOST_TEST(s.inputs_size() == 2);
  BOOST_TEST(s.indicators(0).numerator() == 14);
  BOOST_TEST(s.indicators(0).denominator() == 100);
  BOOST_TEST(s.agreement() == agreement.name());

  // Unchanged inputs: the same record, nothing new stored.
  const auto again = Run(w.inkoop, w.covenant, period);
  BOOST_TEST(again.outcomes(0).result() == v1::SettlementOutcome::UNCHANGED);
  BOOST_TEST(again.outcomes(0).settlement().SerializeAsString() == s.SerializeAsString());

  v1::ExplainSettlementRequest explain;
  explain.set_name(s.name());
  const auto lines = w.provider.Unary(&Settlements::ExplainSettlement, explain).lines();
  const auto has = [&](const std::string& text) {
    return std::any_of(lines.begin(), lines.end(),
                       [&](const auto& line) { return line.find(text) != std::string::npos; });
  };
  BOOST_TEST(
      has("nji-drop-out (lower is better): 14/100 = 0.140000; floor 0.2, target 0.1 -> "
          "score 0.600000"));
  BOOST_TEST(has("Total = base - withheld + paid result share - malus + bonus: EUR 2,368,800.00"));

  // A corrected second quarter, accepted: drop-out 5/50 instead of 7/50 -> 12/100 scores 0.8.
  AcceptReport(w.server.dsn(), w.CovenantId(), "q2", 2, "12345678", w.last_year, 2,
               {{"9902", "P6", "nji-drop-out", 5, 50},
                {"9902", "P6", "nji-satisfaction", 50, 50},
                {"9902", "P6", "nji-no-further-help", 35, 50},
                {"9902", "P6", "nji-goals-reached", 45, 50},
                {"9902", "P6", "zrm-improvement", 20, 50}});
  const auto corrected = Run(w.inkoop, w.covenant, period);
  BOOST_TEST(corrected.outcomes(0).result() == v1::SettlementOutcome::SUPERSEDED);
  const auto& v2 = corrected.outcomes(0).settlement();
  BOOST_TEST(v2.version() == 2);
  BOOST_TEST(v2.score().decimal() == "0.780000");
  BOOST_TEST(v2.total_eurocents() == 237'360'000);
  BOOST_TEST(v2.difference_eurocents() == 480'000);
  BOOST_TEST(v2.inputs(1).version() == 2);
  v1::GetSettlementRequest current;
  current.set_name(v2.name());
  BOOST_TEST(google::protobuf::util::MessageDifferencer::Equals(
      w.auditor.Unary(&Settlements::GetSettlement, current), v2));  // the answer is what was stored

  // Two stored versions, two audit events; the UNCHANGED run wrote none.
  pqxx::connection connection(w.server.dsn());
  const auto events = pqxx::nontransaction(connection)
                          .exec_params1(
                              "SELECT count(*), min(rpc) FROM audit.events "
                              "WHERE resource = $1",
                              s.name());
  BOOST_TEST(events[0].as<int>() == 2);
  BOOST_TEST(events[1].as<std::string>() == "/regie.outcomes.v1.SettlementService/RunSettlement");

  v1::GetSettlementRequest get;
  get.set_name(s.name());
  get.set_version(1);
  const auto old = w.auditor.Unary(&Settlements::GetSettlement, get);
  BOOST_TEST(old.state() == v1::Settlement::SUPERSEDED);
  BOOST_TEST(old.total_eurocents() == 236'880'000);
  get.set_version(0);
  BOOST_TEST(w.provider.Unary(&Settlements::GetSettlement, get).version() == 2);

  v1::ListSettlementsRequest list;
  list.set_parent(w.covenant);
  list.set_period(period);
  BOOST_TEST(w.provider.Unary(&Settlements::ListSettlements, list).settlements_size() == 1);
  auto other = w.server.Client(w.pki.Issue("provider", "87654321", "Andere Aanbieder"));
  BOOST_TEST(other.Unary(&Settlements::ListSettlements, list).settlements_size() == 0);
  BOOST_CHECK_EXCEPTION(other.Unary(&Settlements::GetSettlement, get), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::NOT_FOUND; });
  list.set_provider("providers/12345678");
  BOOST_CHECK_EXCEPTION(other.Unary(&Settlements::ListSettlements, list), RpcError,
                        [](const RpcError& e) {
                          return Refused(e, grpc::PERMISSION_DENIED, "NOT_YOUR_ORGANISATION");
                        });
}

BOOST_AUTO_TEST_CASE(one_run_records_only_what_changed_each_outcome_with_its_agreement) {
  World w;
  const auto period = w.OracleAgreementAndYear();
  BOOST_TEST(Run(w.inkoop, w.covenant, period).outcomes(0).result() ==
             v1::SettlementOutcome::CREATED);

  // A second agreement: the run records it and leaves the first as it was.
  Create(w.inkoop, w.Lot("P6"), "a-second",
         Agreement("providers/12345678", 100'000'000, OracleLevels()));
  const auto run = Run(w.inkoop, w.covenant, period);
  BOOST_TEST_REQUIRE(run.outcomes_size() == 2);
  for (const auto& outcome : run.outcomes()) {
    const bool second = outcome.agreement() == w.Lot("P6") + "/agreements/a-second";
    BOOST_TEST(outcome.result() ==
               (second ? v1::SettlementOutcome::CREATED : v1::SettlementOutcome::UNCHANGED));
    BOOST_TEST(outcome.settlement().agreement() == outcome.agreement());
    BOOST_TEST(outcome.provider() == "providers/12345678");
    BOOST_TEST(outcome.settlement().version() == 1);
    BOOST_TEST(outcome.settlement().total_eurocents() == (second ? 98'700'000 : 236'880'000));
  }
  pqxx::connection connection(w.server.dsn());
  BOOST_TEST(
      pqxx::nontransaction(connection)
          .exec1("SELECT count(*) FROM audit.events WHERE resource LIKE '%/settlements/%'")[0]
          .as<int>() == 2);
}

BOOST_AUTO_TEST_CASE(what_was_stored_as_json_before_v0019_reads_as_it_did) {
  // Since V0019 agreement versions and settlements are read from binary protobuf (docs/adr/0020);
  // rows stored before keep only their JSON. Each row is turned into such a row here (as a
  // superuser with the immutability triggers off), and every answer stays the same.
  World w;
  const auto period = w.OracleAgreementAndYear();
  const auto settled = Run(w.inkoop, w.covenant, period).outcomes(0).settlement();
  v1::GetAgreementRequest get_agreement;
  get_agreement.set_name(settled.agreement());
  const auto agreement = w.auditor.Unary(&Agreements::GetAgreement, get_agreement);

  const auto stored_json = [](auto message) {  // what the rows held before V0019
    message.clear_create_time();
    std::string json;
    BOOST_TEST_REQUIRE(google::protobuf::util::MessageToJsonString(message, &json).ok());
    return json;
  };
  auto settlement_content = settled;
  settlement_content.clear_state();
  {
    pqxx::connection connection(w.server.dsn());
    pqxx::work tx(connection);
    tx.exec0("SET LOCAL session_replication_role = replica");
    const auto agreements = tx.exec_params(
        "UPDATE outcomes.agreement_versions SET content = $1::jsonb, content_pb = NULL "
        "WHERE covenant_id = $2 AND agreement_id = 'results' AND content_pb IS NOT NULL",
        stored_json(agreement), w.CovenantId());
    const auto settlements = tx.exec_params(
        "UPDATE outcomes.settlements SET content = $1::jsonb, content_pb = NULL "
        "WHERE covenant_id = $2 AND content_pb IS NOT NULL AND content IS NULL",
        stored_json(settlement_content), w.CovenantId());
    BOOST_TEST_REQUIRE(agreements.affected_rows() == 1);
    BOOST_TEST_REQUIRE(settlements.affected_rows() == 1);
    tx.commit();
  }

  BOOST_TEST(google::protobuf::util::MessageDifferencer::Equals(
      w.auditor.Unary(&Agreements::GetAgreement, get_agreement), agreement));
  v1::GetSettlementRequest get;
  get.set_name(settled.name());
  BOOST_TEST(google::protobuf::util::MessageDifferencer::Equals(
      w.auditor.Unary(&Settlements::GetSettlement, get), settled));
  const auto again = Run(w.inkoop, w.covenant, period);
  BOOST_TEST(again.outcomes(0).result() == v1::SettlementOutcome::UNCHANGED);
  BOOST_TEST(
      google::protobuf::util::MessageDifferencer::Equals(again.outcomes(0).settlement(), settled));
}

BOOST_AUTO_TEST_CASE(what_cannot_be_settled_is_refused_or_skipped_with_its_reason) {
  World w;
  const auto this_year = std::to_string(YearOf(w.today));
  const auto last_year = std::to_string(w.last_year);
  BOOST_CHECK_EXCEPTION(Run(w.inkoop, w.covenant, this_year), RpcError, [](const RpcError& e) {
    return Refused(e, grpc::FAILED_PRECONDITION, "PERIOD_NOT_ENDED");
  });
  BOOST_CHECK_EXCEPTION(Run(w.inkoop, w.covenant, last_year + "-Q1"), RpcError,
                        [](const RpcError& e) { return NamesField(e, "period"); });
  BOOST_CHECK_EXCEPTION(Run(w.inkoop, w.covenant, std::to_string(w.last_year - 1)), RpcError,
                        [](const RpcError& e) {
                          return Refused(e, grpc::FAILED_PRECONDITION, "PERIOD_OUTSIDE_TERM");
                        });
  BOOST_CHECK_EXCEPTION(Run(w.provider, w.covenant, last_year), RpcError,
                        [](const RpcError& e) { return e.code() == grpc::PERMISSION_DENIED; });

  // No accepted report: skipped, nothing stored.
  Create(w.inkoop, w.Lot("P6"), "results",
         Agreement("providers/12345678", 240'000'000, OracleLevels()));
  // An indicator with a lag of 12 months: last year's results are not known yet.
  Create(w.inkoop, w.Lot("P6"), "no-new-start",
         Agreement("providers/12345678", 1'000'000, {{"nji-no-new-start", "0.5", "0.8"}}));
  const auto run = Run(w.inkoop, w.covenant, last_year);
  BOOST_TEST_REQUIRE(run.outcomes_size() == 2);
  for (const auto& outcome : run.outcomes()) {
    BOOST_TEST(outcome.result() == v1::SettlementOutcome::SKIPPED);
    BOOST_TEST(outcome.provider() == "providers/12345678");
  }
  BOOST_TEST(run.outcomes(0).agreement() == w.Lot("P6") + "/agreements/no-new-start");
  BOOST_TEST(run.outcomes(0).reason().find("known from " + std::to_string(YearOf(w.today) + 1) +
                                           "-01-01") != std::string::npos);
  BOOST_TEST(run.outcomes(0).reason().find("lag of 12 months") != std::string::npos);
  BOOST_TEST(run.outcomes(1).reason() == "no accepted quarterly report for lot P6 in " + last_year);
  v1::ListSettlementsRequest list;
  list.set_parent(w.covenant);
  BOOST_TEST(w.inkoop.Unary(&Settlements::ListSettlements, list).settlements_size() == 0);
}

BOOST_AUTO_TEST_CASE(an_agreement_changes_only_through_an_adopted_amendment_naming_it) {
  World w;
  const auto agreement = Create(w.inkoop, w.Lot("P6"), "results",
                                Agreement("providers/12345678", 240'000'000, OracleLevels()));
  covenants::v1::ProposeAmendmentRequest propose;
  propose.set_parent(w.covenant);
  auto* amendment = propose.mutable_amendment();
  amendment->set_title("Higher satisfaction target");
  amendment->set_rationale("Agreed at the consultation table with all providers.");
  *amendment->mutable_effective_date() = covenants::ToDate(w.today + days(1));
  amendment->mutable_agreement_change()->add_agreements(agreement.name());
  const auto proposed = w.inkoop.Unary(&Consultation::ProposeAmendment, propose);

  auto changed = Agreement("providers/12345678", 240'000'000, OracleLevels());
  changed.mutable_indicators(1)->set_target("0.95");
  v1::AmendAgreementRequest amend;
  amend.set_name(agreement.name());
  *amend.mutable_agreement() = changed;
  amend.set_amendment(proposed.name());
  BOOST_CHECK_EXCEPTION(w.inkoop.Unary(&Agreements::AmendAgreement, amend), RpcError,
                        [](const RpcError& e) {
                          return Refused(e, grpc::FAILED_PRECONDITION, "AMENDMENT_NOT_ADOPTED");
                        });

  covenants::v1::ScheduleMeetingRequest schedule;
  schedule.set_parent(w.covenant);
  *schedule.mutable_meeting()->mutable_meeting_date() = covenants::ToDate(w.today);
  schedule.mutable_meeting()->set_location("Town hall Duinhaven");
  schedule.mutable_meeting()->add_agenda("Outcome agreements");
  const auto meeting = w.inkoop.Unary(&Consultation::ScheduleMeeting, schedule);
  covenants::v1::RecordMinutesRequest minutes;
  minutes.set_name(meeting.name());
  minutes.set_minutes("The satisfaction target rises to 95%.");
  w.inkoop.Unary(&Consultation::RecordMinutes, minutes);
  covenants::v1::AdoptAmendmentRequest adopt;
  adopt.set_name(proposed.name());
  adopt.set_meeting(meeting.name());
  w.inkoop.Unary(&Consultation::AdoptAmendment, adopt);

  // A provider-specific agreement keeps its provider.
  amend.mutable_agreement()->clear_provider();
  BOOST_CHECK_EXCEPTION(w.inkoop.Unary(&Agreements::AmendAgreement, amend), RpcError,
                        [](const RpcError& e) { return NamesField(e, "agreement.provider"); });
  *amend.mutable_agreement() = changed;
  const auto v2 = w.inkoop.Unary(&Agreements::AmendAgreement, amend);
  BOOST_TEST(v2.version() == 2);
  BOOST_TEST(v2.amendment() == proposed.name());
  BOOST_TEST(covenants::IsoDay(covenants::ToDays(v2.effective_date())) ==
             covenants::IsoDay(w.today + days(1)));
  BOOST_CHECK_EXCEPTION(
      w.inkoop.Unary(&Agreements::AmendAgreement, amend), RpcError,
      [](const RpcError& e) { return Refused(e, grpc::FAILED_PRECONDITION, "AMENDMENT_USED"); });

  // Another agreement is not in the amendment's scope.
  const auto other = Create(w.inkoop, w.Lot("P6"), "other",
                            Agreement("providers/12345678", 1'000'000, OracleLevels()));
  amend.set_name(other.name());
  BOOST_CHECK_EXCEPTION(
      w.inkoop.Unary(&Agreements::AmendAgreement, amend), RpcError,
      [](const RpcError& e) { return Refused(e, grpc::FAILED_PRECONDITION, "AMENDMENT_SCOPE"); });

  v1::ListAgreementVersionsRequest versions;
  versions.set_name(agreement.name());
  BOOST_TEST(w.provider.Unary(&Agreements::ListAgreementVersions, versions).versions_size() == 2);
  v1::GetAgreementRequest get;
  get.set_name(agreement.name());
  BOOST_TEST(w.inkoop.Unary(&Agreements::GetAgreement, get).version() == 1);  // today
  *get.mutable_as_of() = covenants::ToDate(w.today + days(1));
  BOOST_TEST(w.inkoop.Unary(&Agreements::GetAgreement, get).indicators(1).target() == "0.95");
}

BOOST_AUTO_TEST_CASE(recovery_follows_the_agreement_or_the_rates_given) {
  World w;
  const auto agreement = Create(w.inkoop, w.Lot("P6"), "results",
                                Agreement("providers/12345678", 240'000'000, OracleLevels()));
  v1::ComputeRecoveryRequest request;
  request.set_planned_eurocents(100'000'000);
  request.set_error_rate_percent("4");
  request.set_agreement(agreement.name());
  const auto recovery = w.auditor.Unary(&Settlements::ComputeRecovery, request);
  BOOST_TEST(recovery.tolerance_percent() == "3");
  BOOST_TEST(recovery.total_eurocents() == 6'000'000);
  request.set_tolerance_percent("3");
  BOOST_CHECK_EXCEPTION(w.auditor.Unary(&Settlements::ComputeRecovery, request), RpcError,
                        [](const RpcError& e) { return NamesField(e, "tolerance_percent"); });
  request.clear_agreement();
  request.set_penalty_percent("50");
  request.set_error_rate_percent("2");
  const auto within = w.provider.Unary(&Settlements::ComputeRecovery, request);
  BOOST_TEST(within.total_eurocents() == 2'000'000);
  BOOST_TEST(within.penalty_eurocents() == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::testing
