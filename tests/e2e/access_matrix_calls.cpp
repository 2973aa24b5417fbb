// The organisation half of the access matrix (docs/security.md): every RPC, for every role the
// policy lets through, is called with the data of one organisation (Duinstreek: municipality 9901,
// provider 12345678, auditors of 9901 and 9902) by a user of that organisation and by a user of
// another (Amsterdam 0363, provider 87654321, an auditor of 0363, a second administrator). The
// cell decides what must happen:
//   any     both succeed (and both see the marker, when the call names one);
//   own     the other organisation is refused (PERMISSION_DENIED or NOT_FOUND) or does not see the
//           marker, and the store is unchanged; then the own organisation succeeds and sees it;
//   public  neither sees the private data.
// The calls run in the order listed, so that a call can use what an earlier one created.

#include <boost/test/unit_test.hpp>

#include <google/protobuf/util/json_util.h>

#include <pqxx/pqxx>

#include <functional>
#include <map>
#include <optional>
#include <regex>

#include "accepted_reports.hpp"
#include "access_matrix.hpp"
#include "covenant_rules.hpp"
#include "e2e_helpers.hpp"
#include "fixtures.hpp"
#include "report_signing.hpp"

namespace regie::testing {
namespace {

using auth::Role;
using Messages = std::vector<std::unique_ptr<google::protobuf::Message>>;

struct Caller {
  Role role;
  bool own;
  const TestIdentity* identity;
  std::shared_ptr<grpc::Channel> channel;
};

struct ScopedCall {
  std::string method;
  // The request as protobuf JSON with ${placeholders}; several messages (a client stream) are
  // separated by "\n---\n".
  std::string request;
  // Text that the answer holds when it shows the organisation's data ("" when success says it).
  std::string marker = "";
  // What the own organisation gets when success is out of reach by design (for example
  // ALREADY_EXISTS when registering itself again); the other organisation must still be refused.
  grpc::StatusCode own_code = grpc::OK;
  // Only for this role (a method may have one call per role).
  std::optional<Role> role = std::nullopt;
  // The placeholder the own call's answer fills: "placeholder" takes the answer's `name`,
  // "placeholder=jsonName" another field (a string, a number or a flat object such as a date).
  std::string capture = "";
  // Changes to the parsed messages that JSON cannot express (a signature by the caller's key).
  std::function<void(Messages&, const Caller&)> adjust = nullptr;
};

// Signs the report content of a SubmitReport request, or of an UploadReport stream (header and
// lines), with the caller's key.
void SignWithCallersKey(Messages& messages, const Caller& caller) {
  const auto key = client::ReadTextFile(caller.identity->key, "test key");
  if (auto* submit = dynamic_cast<reports::v1::SubmitReportRequest*>(messages.at(0).get())) {
    submit->set_signature(reports::SignReport(key, submit->content()));
    return;
  }
  auto& header = dynamic_cast<reports::v1::UploadReportRequest&>(*messages.at(0));
  auto content = header.header().content();
  for (std::size_t i = 1; i < messages.size(); ++i) {
    *content.add_lines() = dynamic_cast<reports::v1::UploadReportRequest&>(*messages[i]).line();
  }
  header.mutable_header()->set_signature(reports::SignReport(key, content));
}

std::string DateJson(std::chrono::sys_days day) {
  const std::chrono::year_month_day ymd(day);
  return "{\"year\":" + std::to_string(static_cast<int>(ymd.year())) +
         ",\"month\":" + std::to_string(static_cast<unsigned>(ymd.month())) +
         ",\"day\":" + std::to_string(static_cast<unsigned>(ymd.day())) + "}";
}

// One quarterly report line of provider 12345678 for lot P1 in 9901.
const std::string kReportLine =
    R"({"municipality":"municipalities/9901","lot_id":"P1","clients_in_care":40,"inflow":12,)"
    R"("outflow":10,"unilateral_endings":1,"median_waiting_days":18,"complaints":1,)"
    R"("amounts":[{"product_code":"45A48","amount_eurocents":"1560000"}],)"
    R"("indicators":[{"indicator":"indicators/nji-drop-out","numerator":3,"denominator":25}]})";

std::string ReportContentJson(const std::string& quarter, const std::string& lines) {
  return R"({"covenant":"${covenant}","provider":"providers/12345678","kind":"QUARTERLY",)"
         R"("period":"${year}-Q)" +
         quarter + R"(","lines":[)" + lines + "]}";
}

// Provider 12345678 as it registers itself (the name is ignored on registration).
const std::string kProvider =
    R"({"name":"providers/12345678","kvk_number":"12345678",)"
    R"("display_name":"Jeugdzorg Duinstreek","legal_form":"LEGAL_FORM_FOUNDATION",)"
    R"("agb_codes":["41410001"],"addresses":[{"street":"Strandweg","house_number":"12",)"
    R"("postal_code":"2201 AB","city":"Duinhaven","municipality":"municipalities/9901"}],)"
    R"("contacts":[{"full_name":"J. de Vries","role":"director",)"
    R"("email":"directie@example.nl"}]})";

const std::string kAgreement =
    R"({"title":"Outcome agreement youth care","provider":"providers/12345678",)"
    R"("lump_sum_eurocents":"240000000","indicators":[)"
    R"({"indicator":"indicators/nji-drop-out","floor":"0.2","target":"0.1","weight":"0.2"},)"
    R"({"indicator":"indicators/nji-satisfaction","floor":"0.5","target":"0.9","weight":"0.2"},)"
    R"({"indicator":"indicators/nji-no-further-help","floor":"0.4","target":"0.9","weight":"0.2"},)"
    R"({"indicator":"indicators/nji-goals-reached","floor":"0.5","target":"0.8","weight":"0.2"},)"
    R"({"indicator":"indicators/zrm-improvement","floor":"0.2","target":"0.6","weight":"0.2"}],)"
    R"("payment_rule":{"result_share_percent":"5","max_malus_percent":"2.5","bonus_percent":"2.5"},)"
    R"("recovery_rule":{"tolerance_percent":"3","penalty_percent":"50"}})";

const std::string kComparePeers =
    R"({"parent":"${covenant}","indicator":"indicators/nji-drop-out","period":"${year}-Q1"})";

// Every call, in the order they run. A method appears once, or once per role with `role` set.
std::vector<ScopedCall> Calls() {
  const std::string identity = "/regie.identity.v1.IdentityService/";
  const std::string audit = "/regie.audit.v1.AuditService/";
  const std::string reference = "/regie.covenants.v1.ReferenceDataService/";
  const std::string covenants = "/regie.covenants.v1.CovenantService/";
  const std::string questions = "/regie.covenants.v1.QuestionService/";
  const std::string consultation = "/regie.covenants.v1.ConsultationService/";
  const std::string documents = "/regie.covenants.v1.DocumentService/";
  const std::string providers = "/regie.providers.v1.ProviderService/";
  const std::string admission = "/regie.providers.v1.AdmissionService/";
  const std::string participations = "/regie.providers.v1.ParticipationService/";
  const std::string indicators = "/regie.outcomes.v1.IndicatorService/";
  const std::string agreements = "/regie.outcomes.v1.AgreementService/";
  const std::string settlements = "/regie.outcomes.v1.SettlementService/";
  const std::string reports = "/regie.reports.v1.ReportService/";
  const std::string queries = "/regie.reports.v1.QueryService/";
  const std::string exports = "/regie.reports.v1.ExportService/";
  const std::string participation = "${covenant}/participations/12345678-P1";
  return {
      {"/grpc.health.v1.Health/Check", "{}"},
      {"/grpc.health.v1.Health/Watch", "{}"},
      {"/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", R"({"list_services":"*"})",
       "regie.reports.v1.ReportService"},
      {identity + "WhoAmI", "{}"},
      {identity + "RevokeCertificate",
       R"({"serial":"7E${n}","reason":"Access matrix test","request_id":"${fresh}"})"},
      {identity + "ListRevokedCertificates", "{}"},
      {audit + "GetLogState", "{}"},
      {audit + "ListEntries", "{}"},
      {audit + "ListResourceEvents", R"({"resource":"${covenant}"})"},
      {audit + "ListCheckpoints", "{}"},
      {audit + "ListSigningKeys", "{}"},
      {reference + "GetMunicipality", R"({"name":"municipalities/9901"})"},
      {reference + "ListMunicipalities", "{}", "municipalities/9901"},
      {reference + "CreateMunicipality",
       R"({"municipality":{"code":"98${n2}","display_name":"Testdorp ${n}"}})"},
      {reference + "GetRegion", R"({"name":"regions/duinstreek"})"},
      {reference + "ListRegions", "{}", "regions/duinstreek"},
      {reference + "CreateRegion",
       R"({"region":{"region_id":"test-${n}","display_name":"Testregio ${n}",)"
       R"("municipalities":["municipalities/9901"],"lead_municipality":"municipalities/9901"}})"},

      // The draft covenant of 9901 (and the Duinstreek region) is private to it and its
      // auditors.
      {covenants + "GetCovenant", R"({"name":"${draft}"})"},
      {covenants + "ListCovenants", "{}", "${draft}"},
      {covenants + "ListCovenantVersions", R"({"name":"${draft}"})"},
      {covenants + "DiffCovenantVersions",
       R"({"name":"${draft}","from_version":1,"to_version":1})"},
      {covenants + "GetLot", R"({"name":"${draft}/lots/P1"})"},
      {covenants + "ListLots", R"({"parent":"${draft}"})", "P1"},
      {covenants + "GetRequirement", R"({"name":"${draft}/requirements/R1"})"},
      {covenants + "ListRequirements", R"({"parent":"${draft}"})", "R1"},
      {covenants + "UpdateCovenant",
       R"({"covenant":{"name":"${draft}","terms":{"title":"Renamed draft ${n}"}},)"
       R"("update_mask":"terms.title","request_id":"${fresh}"})"},
      {covenants + "CreateCovenant",
       R"({"covenant_id":"created-${n}","covenant":{"terms":${draft_terms}},)"
       R"("request_id":"${fresh}"})"},
      {covenants + "PublishCovenant", R"({"name":"${publishable}","request_id":"${fresh}"})"},
      {covenants + "ExtendCovenant", R"({"name":"${covenant}","request_id":"${fresh}"})", "",
       grpc::FAILED_PRECONDITION},
      {covenants + "TerminateCovenant",
       R"({"name":"${publishable}","reason":"Access matrix test","request_id":"${fresh}"})"},

      // Deadlines are those of published covenants, which are public.
      {covenants + "ListDeadlines", R"({"covenant":"${covenant}","within_days":730})",
       "${covenant}"},

      // Questions about the published covenant: a provider asks, the managers answer.
      {questions + "AskQuestion",
       R"({"parent":"${covenant}","text":"Is lot P1 open to ambulatory care ${n}?",)"
       R"("request_id":"${fresh}"})",
       "", grpc::OK, std::nullopt, "question"},
      {questions + "ListQuestions", R"({"parent":"${covenant}"})", "${question}"},
      {questions + "AnswerQuestion",
       R"({"name":"${question}","answer":"Yes.","request_id":"${fresh}"})"},

      // The consultation table of the published covenant: its record is public.
      {consultation + "ScheduleMeeting",
       R"({"parent":"${covenant}","meeting":{"meeting_date":${today},)"
       R"("location":"Town hall Duinhaven","agenda":["Tariff indexation"]},)"
       R"("request_id":"${fresh}"})",
       "", grpc::OK, std::nullopt, "meeting"},
      {consultation + "ScheduleMeeting",
       R"({"parent":"${covenant}","meeting":{"meeting_date":${today},)"
       R"("location":"Town hall Duinhaven","agenda":["Notice period"]},)"
       R"("request_id":"${fresh}"})",
       "", grpc::OK, std::nullopt, "meeting_to_cancel"},
      {consultation + "GetMeeting", R"({"name":"${meeting}"})"},
      {consultation + "ListMeetings", R"({"parent":"${covenant}"})", "${meeting}"},
      {consultation + "RecordMinutes",
       R"({"name":"${meeting}","minutes":"All present.","request_id":"${fresh}"})"},
      {consultation + "CancelMeeting",
       R"({"name":"${meeting_to_cancel}","reason":"No agenda","request_id":"${fresh}"})"},
      {consultation + "ProposeAmendment",
       R"({"parent":"${covenant}","amendment":{"title":"Tariff indexation","rationale":"OVA",)"
       R"("effective_date":{"year":${next_year},"month":1,"day":1},)"
       R"("tariff_indexation":{"basis_points":325}},"request_id":"${fresh}"})",
       "", grpc::OK, std::nullopt, "amendment"},
      {consultation + "ProposeAmendment",
       R"({"parent":"${covenant}","amendment":{"title":"Second indexation","rationale":"OVA",)"
       R"("effective_date":{"year":${next_year},"month":1,"day":1},)"
       R"("tariff_indexation":{"basis_points":100}},"request_id":"${fresh}"})",
       "", grpc::OK, std::nullopt, "amendment_to_withdraw"},
      {consultation + "GetAmendment", R"({"name":"${amendment}"})"},
      {consultation + "ListAmendments", R"({"parent":"${covenant}"})", "${amendment}"},
      {consultation + "AdoptAmendment",
       R"({"name":"${amendment}","meeting":"${meeting}","request_id":"${fresh}"})"},
      {consultation + "WithdrawAmendment",
       R"({"name":"${amendment_to_withdraw}","request_id":"${fresh}"})"},

      // Documents of the draft: private with it.
      {documents + "RecordDocument",
       R"({"parent":"${draft}","document_id":"base-${n}","document":{"kind":"BASE_AGREEMENT",)"
       R"("title":"Base agreement","sha256":"${sha256}","size_bytes":"1024",)"
       R"("media_type":"application/pdf"},"request_id":"${fresh}"})",
       "", grpc::OK, std::nullopt, "document"},
      {documents + "GetDocument", R"({"name":"${document}"})"},
      {documents + "ListDocuments", R"({"parent":"${draft}"})", "${document}"},
      {documents + "ListDocumentRevisions", R"({"name":"${document}"})"},

      // Provider 12345678's own data.
      {providers + "RegisterProvider",
       R"({"provider":)" + kProvider + R"(,"request_id":"${fresh}"})", "", grpc::ALREADY_EXISTS},
      {providers + "GetProvider", R"({"name":"providers/12345678"})", "", grpc::OK, std::nullopt,
       "provider_etag=etag"},
      {providers + "UpdateProvider",
       R"({"provider":)" + kProvider + R"(,"etag":"${provider_etag}","request_id":"${fresh}"})"},
      {providers + "ListProviders", "{}", "providers/12345678"},
      {providers + "AddEvidence",
       R"({"parent":"providers/12345678","evidence_id":"vog-${n}","evidence":{)"
       R"("kind":"EVIDENCE_KIND_CERTIFICATE_OF_CONDUCT","title":"VOG","issue_date":${today},)"
       R"("sha256":"${sha256}"},"request_id":"${fresh}"})",
       "", grpc::OK, std::nullopt, "evidence"},
      {providers + "ListEvidence", R"({"parent":"providers/12345678"})", "${evidence}"},
      {providers + "ListExpiringEvidence", R"({"parent":"providers/12345678","within_days":3650})"},

      // Admission to the published covenant.
      {admission + "SubmitApplication",
       R"({"parent":"${covenant}","application":{"provider":"providers/12345678",)"
       R"("lot_ids":["P2"]},"request_id":"${fresh}"})",
       "", grpc::OK, std::nullopt, "application"},
      {admission + "GetApplication", R"({"name":"${application}"})", "", grpc::OK, std::nullopt,
       "application_window=windowDate"},
      {admission + "ListApplications", R"({"parent":"${covenant}"})", "${application}"},
      // Deciding before every requirement is assessed is refused on the state, after the
      // access checks.
      {admission + "DecideLot",
       R"({"name":"${application}","lot_id":"P2","outcome":"ADMITTED","letter":"Welcome.",)"
       R"("request_id":"${fresh}"})",
       "", grpc::FAILED_PRECONDITION},
      {admission + "RegisterObjection",
       R"({"name":"${application}","lot_id":"P2","objection":{"kind":"OBJECTION",)"
       R"("filed_date":${today},"summary":"Unfair"},)"
       R"("request_id":"${fresh}"})",
       "", grpc::FAILED_PRECONDITION},
      {admission + "AssessRequirement",
       R"({"name":"${application}","assessment":{"requirement_id":"R1","result":"FAIL",)"
       R"("motivation":"R1: no certificate of conduct on file."},"request_id":"${fresh}"})"},
      {admission + "WithdrawApplication", R"({"name":"${application}","request_id":"${fresh}"})"},
      {admission + "RecordEarlierAdmission",
       R"({"parent":"${covenant}","provider":"providers/87654321","lot_ids":["P3"],)"
       R"("in_force_from":{"year":${year},"month":7,"day":1},)"
       R"("decision":"Decision 2024-17 of 1 March 2024","request_id":"${fresh}"})"},
      {admission + "GetAdmissionReport",
       R"({"parent":"${covenant}","window_date":${application_window}})"},

      // Provider 12345678's participations (admitted in the past to P1, P4 and P5).
      {participations + "GetParticipation", R"({"name":")" + participation + R"("})"},
      {participations + "ListParticipations", R"({"parent":"${covenant}"})", participation},
      // The evidence monitor has already suspended them: this world's provider has no valid
      // liability insurance (R2), so it can be neither suspended again nor reinstated.
      {participations + "SuspendParticipation",
       R"({"name":")" + participation + R"(","reason":"Inspection","request_id":"${fresh}"})", "",
       grpc::FAILED_PRECONDITION},
      {participations + "ReinstateParticipation",
       R"({"name":")" + participation + R"(","request_id":"${fresh}"})", "",
       grpc::FAILED_PRECONDITION},
      {participations + "EndParticipation",
       R"({"name":"${covenant}/participations/12345678-P4","kind":"NOTICE_BY_MUNICIPALITY",)"
       R"("end_date":{"year":2090,"month":1,"day":1},"reason":"Fewer clients",)"
       R"("request_id":"${fresh}"})",
       "", grpc::OK, Role::kProcurement},
      {participations + "EndParticipation",
       R"({"name":"${covenant}/participations/12345678-P5","kind":"NOTICE_BY_PROVIDER",)"
       R"("end_date":{"year":2090,"month":1,"day":1},"reason":"Fewer clients",)"
       R"("request_id":"${fresh}"})",
       "", grpc::OK, Role::kProvider},
      {participations + "GetRegister", R"({"parent":"${covenant}"})", "Ambulatory youth care"},

      // Outcomes: the library is public; the agreement is provider 12345678's.
      {indicators + "GetIndicator", R"({"name":"indicators/nji-drop-out"})"},
      {indicators + "ListIndicators", "{}", "indicators/nji-drop-out"},
      {agreements + "CreateAgreement",
       R"({"parent":"${covenant}/lots/P6","agreement_id":"results","agreement":)" + kAgreement +
           R"(,"request_id":"${fresh}"})",
       "", grpc::OK, std::nullopt, "agreement"},
      {agreements + "GetAgreement", R"({"name":"${agreement}"})"},
      {agreements + "ListAgreements", R"({"parent":"${covenant}"})", "${agreement}"},
      {agreements + "ListAgreementVersions", R"({"name":"${agreement}"})"},
      {agreements + "AmendAgreement",
       R"({"name":"${agreement}","agreement":)" + kAgreement +
           R"(,"amendment":"${amendment}","request_id":"${fresh}"})",
       "", grpc::FAILED_PRECONDITION},
      {settlements + "RunSettlement",
       R"({"parent":"${covenant}","period":"${year}","request_id":"${fresh}"})"},
      {settlements + "GetSettlement", R"({"name":"${settlement}"})"},
      {settlements + "ListSettlements", R"({"parent":"${covenant}"})", "${settlement}"},
      {settlements + "ExplainSettlement", R"({"name":"${settlement}"})"},
      {settlements + "ComputeRecovery",
       R"({"planned_eurocents":"1000000","error_rate_percent":"4","agreement":"${agreement}"})"},

      // Provider 12345678's reports.
      {reports + "SubmitReport",
       R"({"content":)" + ReportContentJson("1", kReportLine) + R"(,"request_id":"${fresh}"})", "",
       grpc::OK, std::nullopt, "report", SignWithCallersKey},
      {reports + "UploadReport",
       R"({"header":{"content":)" + ReportContentJson("2", "") + R"(,"request_id":"${fresh}"}})" +
           "\n---\n" + R"({"line":)" + kReportLine + "}",
       "", grpc::OK, std::nullopt, "", SignWithCallersKey},
      {reports + "GetReport", R"({"name":"${report}"})"},
      {reports + "ListReports", R"({"parent":"${covenant}"})", "${report}"},
      {reports + "ListReportVersions", R"({"name":"${report}"})"},
      {reports + "ReviewReport",
       R"({"name":"${report}","version":1,"decision":"ACCEPT","request_id":"${fresh}"})"},
      {queries + "AggregateReports", R"({"parent":"${covenant}","group_by":["MUNICIPALITY"]})",
       "municipalities/9901"},
      {queries + "BudgetExhaustion", R"({"parent":"${covenant}","year":${year}})", "9901"},
      // Managers and auditors see the anonymised rows; a provider also sees which row is its own.
      {queries + "ComparePeers", kComparePeers, "", grpc::OK, Role::kProcurement},
      {queries + "ComparePeers", kComparePeers, "", grpc::OK, Role::kAuditor},
      {queries + "ComparePeers", kComparePeers, R"("own":true)", grpc::OK, Role::kProvider},
      {exports + "ExportOcds", R"({"covenant":"${covenant}"})"},
      {exports + "ExportProductionStatement",
       R"({"municipality":"municipalities/9901","year":${year}})", "totalEurocents"},
  };
}

// The Duinstreek world the calls work on, and the users of both organisations of every role.
struct World {
  // The shape of a deployment: a primary, and a hot standby that serves the reads of callers who
  // only read (auditors). It applies every commit before the commit is acknowledged, so that an
  // auditor sees what the calls before it wrote.
  ReplicatedDatabase replicated;
  TestPki pki;
  TestServer server{pki, auth::AccessPolicy::Default(),
                    [this](server::AppConfig& config) { replicated.Use(config); }};
  pqxx::connection database{server.dsn()};  // for counting audit events
  std::map<std::string, std::string> values;
  std::map<std::pair<Role, bool>, TestIdentity> identities;
  int counter = 0;

  World() {
    replicated.primary.MakeStandbysSynchronous();
    auto admin = server.Client(pki.admin);
    auto inkoop = server.Client(pki.procurement);
    auto provider = server.Client(pki.provider);
    LoadDuinstreekReferenceData(admin);
    const auto today = DatabaseToday(server);
    const int year = YearOf(today) - 1;
    const auto covenant = PublishCovenantSince(inkoop, year);
    const auto covenant_id = covenant.substr(covenant.find('/') + 1);
    RegisterProvider(provider, "12345678", "Jeugdzorg Duinstreek");
    AdmitInThePast(server.dsn(), covenant_id, "12345678", {"P1", "P4", "P5"},
                   std::chrono::sys_days(std::chrono::year(year) / 1 / 1));
    AcceptOracleYear(server.dsn(), covenant_id, "12345678", year, "P6");

    auto draft = DuinstreekCovenant();
    draft.set_covenant_id("draft-duinstreek");
    std::string draft_terms;
    google::protobuf::util::MessageToJsonString(draft.covenant().terms(), &draft_terms);
    values["draft"] = inkoop.CreateCovenant(draft).name();
    draft.set_covenant_id("to-publish");
    values["publishable"] = inkoop.CreateCovenant(draft).name();

    values["covenant"] = covenant;
    values["draft_terms"] = draft_terms;
    values["year"] = std::to_string(year);
    values["next_year"] = std::to_string(year + 2);
    values["today"] = DateJson(today);
    values["sha256"] = std::string(64, 'a');
    values["settlement"] =
        covenant + "/settlements/" + std::to_string(year) + "-12345678-P6-results";

    identities[{Role::kProcurement, true}] = pki.procurement;
    identities[{Role::kProcurement, false}] = pki.Issue("procurement", "0363", "Inkoper Amsterdam");
    identities[{Role::kProvider, true}] = pki.provider;
    identities[{Role::kProvider, false}] = pki.Issue("provider", "87654321", "Andere Aanbieder");
    identities[{Role::kAuditor, true}] = pki.auditor;
    identities[{Role::kAuditor, false}] = pki.Issue("auditor", "0363", "Accountant Amsterdam");
    identities[{Role::kAdmin, true}] = pki.admin;
    identities[{Role::kAdmin, false}] = pki.Issue("admin", "other-operator", "Tweede Beheerder");
    auto other_provider = server.Client(identities[{Role::kProvider, false}]);
    RegisterProvider(other_provider, "87654321", "Andere Aanbieder");
  }

  Caller CallerFor(Role role, bool own) {
    const auto& identity = identities.at({role, own});
    return {role, own, &identity, client::OpenChannel(pki.ProfileFor(identity, server.address()))};
  }

  // `text` with every ${placeholder} filled; ${fresh}, ${n} and ${n2} are new on every use.
  std::string Fill(const std::string& text) {
    ++counter;
    std::string out;
    std::size_t at = 0;
    while (true) {
      const auto open = text.find("${", at);
      if (open == std::string::npos) {
        return out + text.substr(at);
      }
      const auto close = text.find('}', open);
      const auto key = text.substr(open + 2, close - open - 2);
      out += text.substr(at, open - at);
      if (key == "fresh") {
        out += "access-matrix-" + std::to_string(counter);
      } else if (key == "n") {
        out += std::to_string(counter);
      } else if (key == "n2") {
        out += (counter < 10 ? "0" : "") + std::to_string(counter % 100);
      } else {
        BOOST_TEST_REQUIRE(values.count(key) == 1, "no value for ${" << key << "} yet");
        out += values.at(key);
      }
      at = close + 1;
    }
  }

  int AuditEvents() {
    return pqxx::nontransaction(database).exec1("SELECT count(*) FROM audit.events")[0].as<int>();
  }
};

struct Answer {
  CallOutcome outcome;
  std::string json;  // the first response as JSON, "" when there was none
};

Answer Call(World& world, const ScopedCall& call, const Caller& caller) {
  const auto* method = FindMethod(call.method);
  BOOST_TEST_REQUIRE(method != nullptr, call.method << ": its messages are not compiled in");
  Messages messages;
  const auto filled = world.Fill(call.request);
  for (std::size_t at = 0;;) {
    const auto next = filled.find("\n---\n", at);
    messages.push_back(MessageFromJson(*method->input_type(), filled.substr(at, next - at)));
    if (next == std::string::npos) {
      break;
    }
    at = next + 5;
  }
  if (call.adjust) {
    call.adjust(messages, caller);
  }
  std::vector<std::string> requests;
  for (const auto& message : messages) {
    requests.push_back(message->SerializeAsString());
  }
  Answer answer{CallRpc(*caller.channel, call.method, requests), ""};
  if (!answer.outcome.responses.empty()) {
    answer.json = JsonOf(*method->output_type(), answer.outcome.responses[0]);
  }
  return answer;
}

std::string Describe(const Answer& answer) {
  return Describe(answer.outcome) + " " + answer.json.substr(0, 300);
}

bool Shows(const Answer& answer, const std::string& marker) {
  return answer.outcome.Succeeded() &&
         (marker.empty() || answer.json.find(marker) != std::string::npos);
}

bool RefusedAsForeign(const Answer& answer, const std::string& marker) {
  const auto code = answer.outcome.status.error_code();
  if (answer.outcome.Succeeded()) {
    return !marker.empty() && answer.json.find(marker) == std::string::npos;
  }
  return code == grpc::PERMISSION_DENIED || code == grpc::NOT_FOUND;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(access_matrix)

BOOST_AUTO_TEST_CASE(no_organisation_reaches_the_data_of_another) {
  const auto matrix = ReadAccessMatrix();
  const auto calls = Calls();
  World world;
  // Every cell that lets a role through is exercised by a call.
  for (const auto& row : matrix) {
    for (Role role : auth::kAllRoles) {
      if (row.CellFor(role) == Cell::kRefused) {
        continue;
      }
      const bool covered = std::any_of(calls.begin(), calls.end(), [&](const ScopedCall& c) {
        return c.method == row.method && (!c.role || *c.role == role);
      });
      BOOST_TEST(covered, row.method << " has no call for " << auth::RoleName(role));
    }
  }
  std::map<std::string, const MatrixRow*> rows;
  for (const auto& row : matrix) {
    rows[row.method] = &row;
  }
  for (const auto& call : calls) {
    BOOST_TEST_REQUIRE(rows.count(call.method) == 1, call.method << " is not in the matrix");
    for (Role role : auth::kAllRoles) {
      const Cell cell = rows.at(call.method)->CellFor(role);
      if (cell == Cell::kRefused || (call.role && *call.role != role)) {
        continue;
      }
      const std::string marker = world.Fill(call.marker);
      const auto foreign_caller = world.CallerFor(role, false);
      const auto own_caller = world.CallerFor(role, true);
      const int events_before = world.AuditEvents();
      const auto foreign = Call(world, call, foreign_caller);
      BOOST_TEST_CONTEXT(call.method << " as " << auth::RoleName(role) << " (" << CellName(cell)
                                     << ") of another organisation: " << Describe(foreign)) {
        if (cell == Cell::kAny) {
          BOOST_TEST(Shows(foreign, marker));
        } else {
          BOOST_TEST(RefusedAsForeign(foreign, marker));
          if (!foreign.outcome.status.ok()) {
            BOOST_TEST(world.AuditEvents() == events_before);
          }
        }
      }
      const auto own = Call(world, call, own_caller);
      BOOST_TEST_CONTEXT(call.method << " as " << auth::RoleName(role)
                                     << " of the organisation: " << Describe(own)) {
        if (cell == Cell::kPublic) {
          BOOST_TEST(RefusedAsForeign(own, marker));
        } else if (call.own_code != grpc::OK) {
          BOOST_TEST(own.outcome.status.error_code() == call.own_code);
        } else {
          BOOST_TEST(Shows(own, marker));
        }
      }
      if (!call.capture.empty() && own.outcome.status.ok() && cell != Cell::kPublic) {
        const auto equals = call.capture.find('=');
        const auto field =
            equals == std::string::npos ? std::string("name") : call.capture.substr(equals + 1);
        // A string (without its quotes), a number, or an object without nested objects.
        const std::regex value("\"" + field + "\":(?:\"([^\"]*)\"|(\\{[^}]*\\}|[^,}]+))");
        std::smatch match;
        BOOST_TEST_REQUIRE(std::regex_search(own.json, match, value), field << " in " << own.json);
        world.values[call.capture.substr(0, equals)] = match[1].matched ? match[1] : match[2];
      }
    }
  }
  // Every transaction of the auditors' calls was read-only and went to the standby's pool, and
  // the standby served them (the server's sessions there).
  const auto metrics = world.server.app().metrics().Text();
  const auto has = [&](const std::string& line) {
    return metrics.find("\n" + line + "\n") != std::string::npos;
  };
  BOOST_TEST(has(R"(regie_db_read_only_caller_transactions_total{pool="primary"} 0)"), metrics);
  BOOST_TEST(!has(R"(regie_db_read_only_caller_transactions_total{pool="standby"} 0)"), metrics);
  BOOST_TEST(ServerSessions(world.replicated.standby, world.replicated.dsn) > 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::testing
