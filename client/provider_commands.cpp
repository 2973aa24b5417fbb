// `regie provider`, `evidence`, `application`, `participation`, `register` and `admission`:
// providers, their evidence, and admission under open house (docs/adr/0007).

#include <google/protobuf/util/time_util.h>

#include <cctype>
#include <fstream>
#include <sstream>

#include "command_support.hpp"
#include "crypto.hpp"
#include "input_file.hpp"

namespace regie::client {
namespace {

namespace v1 = providers::v1;
using Providers = v1::ProviderService::Stub;
using Admission = v1::AdmissionService::Stub;
using Participations = v1::ParticipationService::Stub;
using google::protobuf::util::TimeUtil;

// "certificate-of-conduct" -> EVIDENCE_KIND_CERTIFICATE_OF_CONDUCT.
covenants::v1::EvidenceKind ParseKind(const std::string& text) {
  std::string name = "EVIDENCE_KIND_";
  for (char c : text) {
    name.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  covenants::v1::EvidenceKind kind = covenants::v1::EVIDENCE_KIND_UNSPECIFIED;
  if (!covenants::v1::EvidenceKind_Parse(name, &kind) ||
      kind == covenants::v1::EVIDENCE_KIND_UNSPECIFIED) {
    throw ConfigError(
        "--kind must be certificate-of-conduct, liability-insurance, quality-mark, "
        "chamber-of-commerce-extract, complaints-procedure or wtza-notification, not '" +
        text + "'");
  }
  return kind;
}

// The provider named by --provider, or the caller's own organisation.
std::string ProviderOf(RegieClient& client, const ProviderCommandOptions& o) {
  if (!o.provider.empty()) {
    return AsName("providers", o.provider);
  }
  return "providers/" + client.WhoAmI().principal().organisation();
}

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ConfigError(path.string() + " cannot be read");
  }
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string Time(const google::protobuf::Timestamp& t) { return TimeUtil::ToString(t); }

void PrintProvider(const GlobalOptions& options, const v1::Provider& p) {
  if (PrintJsonIfAsked(options, p)) {
    return;
  }
  std::string agb;
  for (const auto& code : p.agb_codes()) {
    agb += (agb.empty() ? "" : ", ") + code;
  }
  const auto& office = p.addresses().empty() ? v1::Address() : p.addresses(0);
  PrintFields({{"provider", p.name()},
               {"name", p.display_name()},
               {"legal form", WithoutPrefix(v1::LegalForm_Name(p.legal_form()), "LEGAL_FORM_")},
               {"AGB codes", agb.empty() ? "-" : agb},
               {"office", office.street() + " " + office.house_number() + ", " +
                              office.postal_code() + " " + office.city()},
               {"working area", p.working_area().empty() ? "wherever its covenants run"
                                                         : JoinIds(p.working_area())},
               {"etag", std::to_string(p.etag())},
               {"registered", p.registered_by() + " at " + Time(p.register_time())}});
}

void PrintEvidence(const GlobalOptions& options, const std::vector<v1::Evidence>& evidence) {
  if (options.output == OutputFormat::kJson) {
    PrintMessagesJson(evidence);
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& e : evidence) {
    rows.push_back({e.name(), std::to_string(e.revision()),
                    WithoutPrefix(covenants::v1::EvidenceKind_Name(e.kind()), "EVIDENCE_KIND_"),
                    DayText(e.issue_date()), e.has_expiry_date() ? DayText(e.expiry_date()) : "-",
                    e.title()});
  }
  PrintTable({"EVIDENCE", "REVISION", "KIND", "ISSUED", "EXPIRES", "TITLE"}, rows);
}

void PrintApplication(const GlobalOptions& options, const v1::Application& a) {
  if (PrintJsonIfAsked(options, a)) {
    return;
  }
  Fields fields = {{"application", a.name()},
                   {"provider", a.provider()},
                   {"state", v1::Application::State_Name(a.state())},
                   {"window", DayText(a.window_date())},
                   {"terms version", std::to_string(a.terms_version())},
                   {"submitted", a.submitted_by() + " at " + Time(a.submit_time())}};
  if (!a.earlier_decision().empty()) {
    fields.emplace_back("earlier decision", a.earlier_decision());
  }
  PrintFields(fields);
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : a.assessments()) {
    rows.push_back({s.requirement_id(), std::to_string(s.requirement_revision()),
                    v1::Assessment::Result_Name(s.result()), s.assessor(),
                    s.motivation().empty() ? "-" : s.motivation()});
  }
  if (!rows.empty()) {
    std::cout << "\n";
    PrintTable({"REQUIREMENT", "REVISION", "RESULT", "ASSESSOR", "MOTIVATION"}, rows);
  }
  rows.clear();
  for (const auto& lot : a.lots()) {
    rows.push_back({lot.lot_id(),
                    lot.outcome() == v1::LotDecision::OUTCOME_UNSPECIFIED
                        ? "undecided"
                        : v1::LotDecision::Outcome_Name(lot.outcome()),
                    lot.has_in_force_from() ? DayText(lot.in_force_from()) : "-",
                    lot.decided_by().empty() ? "-" : lot.decided_by(),
                    std::to_string(lot.objections_size())});
  }
  std::cout << "\n";
  PrintTable({"LOT", "OUTCOME", "FROM", "DECIDED BY", "OBJECTIONS"}, rows);
}

void PrintParticipation(const GlobalOptions& options, const v1::Participation& p) {
  if (PrintJsonIfAsked(options, p)) {
    return;
  }
  Fields fields{{"participation", p.name()},
                {"state", v1::Participation::State_Name(p.state())},
                {"in force from", DayText(p.in_force_from())},
                {"application", p.application()}};
  if (p.has_suspension()) {
    fields.push_back(
        {"suspended",
         p.suspension().reason() + (p.suspension().has_until_date()
                                        ? " (until " + DayText(p.suspension().until_date()) + ")"
                                        : "")});
  }
  if (p.has_ending()) {
    fields.push_back({"ends", DayText(p.ending().end_date()) + " by " +
                                  v1::Ending::Kind_Name(p.ending().kind()) + ": " +
                                  p.ending().reason()});
  }
  PrintFields(fields);
}

}  // namespace

int RunProviderRegister(const GlobalOptions& options, const ProviderCommandOptions& o,
                        bool update) {
  return Guard([&] {
    v1::Provider provider;
    ReadMessageFile(o.file, provider);
    auto client = Connect(options);
    if (update) {
      v1::GetProviderRequest get;
      get.set_name(AsName("providers", provider.kvk_number()));
      const auto current = client.Unary(&Providers::GetProvider, get);
      v1::UpdateProviderRequest request;
      *request.mutable_provider() = provider;
      request.mutable_provider()->set_name(current.name());
      request.set_etag(current.etag());
      request.set_request_id(NewRequestId());
      PrintProvider(options, client.Unary(&Providers::UpdateProvider, request));
    } else {
      v1::RegisterProviderRequest request;
      *request.mutable_provider() = provider;
      request.set_request_id(NewRequestId());
      PrintProvider(options, client.Unary(&Providers::RegisterProvider, request));
    }
    return exit_code::kOk;
  });
}

int RunProviderShow(const GlobalOptions& options, const ProviderCommandOptions& o) {
  return Guard([&] {
    auto client = Connect(options);
    v1::GetProviderRequest request;
    request.set_name(ProviderOf(client, o));
    PrintProvider(options, client.Unary(&Providers::GetProvider, request));
    return exit_code::kOk;
  });
}

int RunProviderList(const GlobalOptions& options) {
  return Guard([&] {
    auto client = Connect(options);
    v1::ListProvidersRequest request;
    request.set_page_size(500);
    std::vector<v1::Provider> providers;
    do {
      auto page = client.Unary(&Providers::ListProviders, request);
      providers.insert(providers.end(), page.providers().begin(), page.providers().end());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    if (options.output == OutputFormat::kJson) {
      PrintMessagesJson(providers);
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : providers) {
      rows.push_back({p.kvk_number(), p.display_name(),
                      WithoutPrefix(v1::LegalForm_Name(p.legal_form()), "LEGAL_FORM_"),
                      p.addresses().empty() ? "-" : p.addresses(0).city()});
    }
    PrintTable({"KVK", "NAME", "LEGAL FORM", "CITY"}, rows);
    return exit_code::kOk;
  });
}

int RunEvidenceAdd(const GlobalOptions& options, const ProviderCommandOptions& o) {
  return Guard([&] {
    v1::AddEvidenceRequest request;
    request.set_evidence_id(o.evidence_id);
    auto* e = request.mutable_evidence();
    e->set_kind(ParseKind(o.kind));
    e->set_title(o.title);
    ParseDateFlag(o.issued, "--issued", e->mutable_issue_date());
    if (!o.expires.empty()) {
      ParseDateFlag(o.expires, "--expires", e->mutable_expiry_date());
    }
    e->set_sha256(ToHex(Sha256(ReadText(o.file))));
    request.set_request_id(NewRequestId());
    auto client = Connect(options);
    request.set_parent(ProviderOf(client, o));
    PrintEvidence(options, {client.Unary(&Providers::AddEvidence, request)});
    return exit_code::kOk;
  });
}

int RunEvidenceList(const GlobalOptions& options, const ProviderCommandOptions& o) {
  return Guard([&] {
    auto client = Connect(options);
    std::vector<v1::Evidence> evidence;
    if (!o.expiring.empty()) {
      const int days = ParseDaysFlag(o.expiring, "--expiring");
      v1::ListExpiringEvidenceRequest request;
      request.set_parent(o.provider == "all" ? "providers/-" : ProviderOf(client, o));
      request.set_within_days(days);
      request.set_page_size(1000);
      const auto response = client.Unary(&Providers::ListExpiringEvidence, request);
      evidence.assign(response.evidence().begin(), response.evidence().end());
    } else {
      v1::ListEvidenceRequest request;
      request.set_parent(ProviderOf(client, o));
      request.set_page_size(500);
      do {
        auto page = client.Unary(&Providers::ListEvidence, request);
        evidence.insert(evidence.end(), page.evidence().begin(), page.evidence().end());
        request.set_page_token(page.next_page_token());
      } while (!request.page_token().empty());
    }
    PrintEvidence(options, evidence);
    return exit_code::kOk;
  });
}

int RunApplicationSubmit(const GlobalOptions& options, const ProviderCommandOptions& o) {
  return Guard([&] {
    v1::SubmitApplicationRequest request;
    request.set_parent(AsName("covenants", o.covenant));
    auto* a = request.mutable_application();
    for (const auto& lot : o.lots) {
      a->add_lot_ids(lot);
    }
    if (!o.window.empty()) {
      ParseDateFlag(o.window, "--window", a->mutable_window_date());
    }
    a->set_note(o.note);
    request.set_request_id(NewRequestId());
    auto client = Connect(options);
    a->set_provider(ProviderOf(client, o));
    PrintApplication(options, client.Unary(&Admission::SubmitApplication, request));
    return exit_code::kOk;
  });
}

int RunApplicationRecord(const GlobalOptions& options, const ProviderCommandOptions& o) {
  return Guard([&] {
    v1::RecordEarlierAdmissionRequest request;
    request.set_parent(AsName("covenants", o.covenant));
    request.set_provider(AsName("providers", o.provider));
    for (const auto& lot : o.lots) {
      request.add_lot_ids(lot);
    }
    ParseDateFlag(o.window, "--from", request.mutable_in_force_from());
    request.set_decision(o.note);
    request.set_request_id(NewRequestId());
    auto client = Connect(options);
    PrintApplication(options, client.Unary(&Admission::RecordEarlierAdmission, request));
    return exit_code::kOk;
  });
}

int RunApplicationShow(const GlobalOptions& options, const ProviderCommandOptions& o) {
  return Guard([&] {
    v1::GetApplicationRequest request;
    request.set_name(CovenantChild(o.application, "applications", "APP", "NUMBER"));
    auto client = Connect(options);
    const auto a = client.Unary(&Admission::GetApplication, request);
    PrintApplication(options, a);
    if (options.output != OutputFormat::kJson) {
      for (const auto& lot : a.lots()) {
        if (!lot.letter().empty()) {
          std::cout << "\nLetter for lot " << lot.lot_id() << " (notified "
                    << Time(lot.notify_time()) << "):\n"
                    << lot.letter();
        }
      }
    }
    return exit_code::kOk;
  });
}

int RunApplicationList(const GlobalOptions& options, const ProviderCommandOptions& o) {
  return Guard([&] {
    v1::ListApplicationsRequest request;
    request.set_parent(AsName("covenants", o.covenant));
    if (!o.provider.empty()) {
      request.set_provider(AsName("providers", o.provider));
    }
    if (!o.window.empty()) {
      ParseDateFlag(o.window, "--window", request.mutable_window_date());
    }
    request.set_page_size(500);
    auto client = Connect(options);
    std::vector<v1::Application> applications;
    do {
      auto page = client.Unary(&Admission::ListApplications, request);
      applications.insert(applications.end(), page.applications().begin(),
                          page.applications().end());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    if (options.output == OutputFormat::kJson) {
      PrintMessagesJson(applications);
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : applications) {
      std::string lots;
      for (const auto& lot : a.lots()) {
        lots += (lots.empty() ? "" : " ") + lot.lot_id() + ":" +
                (lot.outcome() == v1::LotDecision::OUTCOME_UNSPECIFIED
                     ? "open"
                     : v1::LotDecision::Outcome_Name(lot.outcome()));
      }
      rows.push_back({IdOf(a.name()), IdOf(a.provider()), v1::Application::State_Name(a.state()),
                      DayText(a.window_date()), lots});
    }
    PrintTable({"APPLICATION", "PROVIDER", "STATE", "WINDOW", "LOTS"}, rows);
    return exit_code::kOk;
  });
}

int RunApplicationWithdraw(const GlobalOptions& options, const ProviderCommandOptions& o) {
  return Guard([&] {
    v1::WithdrawApplicationRequest request;
    request.set_name(CovenantChild(o.application, "applications", "APP", "NUMBER"));
    request.set_request_id(NewRequestId());
    auto client = Connect(options);
    PrintApplication(options, client.Unary(&Admission::WithdrawApplication, request));
    return exit_code::kOk;
  });
}

int RunApplicationAssess(const GlobalOptions& options, const ProviderCommandOptions& o) {
  return Guard([&] {
    if (o.pass == o.fail) {
      throw ConfigError("give exactly one of --pass and --fail");
    }
    v1::AssessRequirementRequest request;
    request.set_name(CovenantChild(o.application, "applications", "APP", "NUMBER"));
    auto* a = request.mutable_assessment();
    a->set_requirement_id(o.requirement);
    a->set_result(o.pass ? v1::Assessment::PASS : v1::Assessment::FAIL);
    a->set_motivation(o.motivation);
    request.set_request_id(NewRequestId());
    auto client = Connect(options);
    if (!o.evidence.empty()) {
      v1::GetApplicationRequest get;
      get.set_name(request.name());
      const auto provider = client.Unary(&Admission::GetApplication, get).provider();
      for (const auto& id : o.evidence) {
        a->add_evidence()->set_evidence(
            id.rfind("providers/", 0) == 0 ? id : provider + "/evidence/" + id);
      }
    }
    PrintApplication(options, client.Unary(&Admission::AssessRequirement, request));
    return exit_code::kOk;
  });
}

int RunApplicationDecide(const GlobalOptions& options, const ProviderCommandOptions& o) {
  return Guard([&] {
    if (o.admit == o.reject) {
      throw ConfigError("give exactly one of --admit and --reject");
    }
    v1::DecideLotRequest request;
    request.set_name(CovenantChild(o.application, "applications", "APP", "NUMBER"));
    request.set_lot_id(o.lot);
    request.set_outcome(o.admit ? v1::LotDecision::ADMITTED : v1::LotDecision::REJECTED);
    if (!o.letter_file.empty()) {
      request.set_letter(ReadText(o.letter_file));
    }
    request.set_request_id(NewRequestId());
    auto client = Connect(options);
    PrintApplication(options, client.Unary(&Admission::DecideLot, request));
    return exit_code::kOk;
  });
}

int RunApplicationObject(const GlobalOptions& options, const ProviderCommandOptions& o) {
  return Guard([&] {
    v1::RegisterObjectionRequest request;
    request.set_name(CovenantChild(o.application, "applications", "APP", "NUMBER"));
    request.set_lot_id(o.lot);
    v1::Objection::Kind kind = v1::Objection::KIND_UNSPECIFIED;
    std::string upper;
    for (char c : o.objection_kind) {
      upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    if (!v1::Objection::Kind_Parse(upper, &kind) || kind == v1::Objection::KIND_UNSPECIFIED) {
      throw ConfigError("--kind must be complaint, objection or appeal, not '" + o.objection_kind +
                        "'");
    }
    request.mutable_objection()->set_kind(kind);
    ParseDateFlag(o.filed, "--filed", request.mutable_objection()->mutable_filed_date());
    request.mutable_objection()->set_summary(o.summary);
    request.set_request_id(NewRequestId());
    auto client = Connect(options);
    PrintApplication(options, client.Unary(&Admission::RegisterObjection, request));
    return exit_code::kOk;
  });
}

int RunParticipationList(const GlobalOptions& options, const ProviderCommandOptions& o) {
  return Guard([&] {
    v1::ListParticipationsRequest request;
    request.set_parent(AsName("covenants", o.covenant));
    if (!o.provider.empty()) {
      request.set_provider(AsName("providers", o.provider));
    }
    request.set_lot_id(o.lot);
    if (!o.state.empty()) {
      std::string upper;
      for (char c : o.state) {
        upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
      }
      v1::Participation::State state = v1::Participation::STATE_UNSPECIFIED;
      if (!v1::Participation::State_Parse(upper, &state) ||
          state == v1::Participation::STATE_UNSPECIFIED) {
        throw ConfigError("--state must be active, suspended or ended, not '" + o.state + "'");
      }
      request.set_state(state);
    }
    request.set_page_size(500);
    auto client = Connect(options);
    std::vector<v1::Participation> participations;
    do {
      auto page = client.Unary(&Participations::ListParticipations, request);
      participations.insert(participations.end(), page.participations().begin(),
                            page.participations().end());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    if (options.output == OutputFormat::kJson) {
      PrintMessagesJson(participations);
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : participations) {
      rows.push_back({IdOf(p.name()), v1::Participation::State_Name(p.state()),
                      DayText(p.in_force_from()),
                      p.has_ending() ? DayText(p.ending().end_date()) : "-",
                      p.has_suspension() ? p.suspension().reason() : "-"});
    }
    PrintTable({"PARTICIPATION", "STATE", "FROM", "ENDS", "SUSPENSION"}, rows);
    return exit_code::kOk;
  });
}

int RunParticipationSuspend(const GlobalOptions& options, const ProviderCommandOptions& o) {
  return Guard([&] {
    v1::SuspendParticipationRequest request;
    request.set_name(CovenantChild(o.participation, "participations", "PARTICIPATION", "KVK-LOT"));
    request.set_reason(o.reason);
    if (!o.until.empty()) {
      ParseDateFlag(o.until, "--until", request.mutable_until_date());
    }
    request.set_request_id(NewRequestId());
    auto client = Connect(options);
    PrintParticipation(options, client.Unary(&Participations::SuspendParticipation, request));
    return exit_code::kOk;
  });
}

int RunParticipationReinstate(const GlobalOptions& options, const ProviderCommandOptions& o) {
  return Guard([&] {
    v1::ReinstateParticipationRequest request;
    request.set_name(CovenantChild(o.participation, "participations", "PARTICIPATION", "KVK-LOT"));
    request.set_request_id(NewRequestId());
    auto client = Connect(options);
    PrintParticipation(options, client.Unary(&Participations::ReinstateParticipation, request));
    return exit_code::kOk;
  });
}

int RunParticipationEnd(const GlobalOptions& options, const ProviderCommandOptions& o) {
  return Guard([&] {
    v1::EndParticipationRequest request;
    request.set_name(CovenantChild(o.participation, "participations", "PARTICIPATION", "KVK-LOT"));
    std::string kind;
    for (char c : o.end_kind) {
      kind.push_back(c == '-' ? '_'
                              : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
    v1::Ending::Kind parsed = v1::Ending::KIND_UNSPECIFIED;
    if (!v1::Ending::Kind_Parse(kind, &parsed) || parsed == v1::Ending::KIND_UNSPECIFIED ||
        parsed == v1::Ending::COVENANT_END) {
      throw ConfigError(
          "--kind must be notice-by-provider, notice-by-municipality or dissolution, not '" +
          o.end_kind + "'");
    }
    request.set_kind(parsed);
    ParseDateFlag(o.end_date, "--end-date", request.mutable_end_date());
    request.set_reason(o.reason);
    request.set_request_id(NewRequestId());
    auto client = Connect(options);
    PrintParticipation(options, client.Unary(&Participations::EndParticipation, request));
    return exit_code::kOk;
  });
}

int RunRegisterShow(const GlobalOptions& options, const ProviderCommandOptions& o) {
  return Guard([&] {
    v1::GetRegisterRequest request;
    request.set_parent(AsName("covenants", o.covenant));
    if (!o.as_of.empty()) {
      ParseDateFlag(o.as_of, "--as-of", request.mutable_as_of());
    }
    request.set_lot_id(o.lot);
    if (!o.municipality.empty()) {
      request.set_municipality(AsName("municipalities", o.municipality));
    }
    auto client = Connect(options);
    const auto r = client.Unary(&Participations::GetRegister, request);
    if (PrintJsonIfAsked(options, r)) {
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& lot : r.lots()) {
      for (const auto& p : lot.providers()) {
        std::string cities;
        for (const auto& city : p.cities()) {
          cities += (cities.empty() ? "" : ", ") + city;
        }
        rows.push_back({lot.lot_id(), lot.title(), p.display_name(), IdOf(p.provider()), cities,
                        DayText(p.in_force_from())});
      }
    }
    PrintNote("Public register of " + r.covenant() + " on " + DayText(r.as_of()) + "\n");
    PrintTable({"LOT", "TITLE", "PROVIDER", "KVK", "CITIES", "FROM"}, rows);
    return exit_code::kOk;
  });
}

int RunAdmissionReport(const GlobalOptions& options, const ProviderCommandOptions& o) {
  return Guard([&] {
    v1::GetAdmissionReportRequest request;
    request.set_parent(AsName("covenants", o.covenant));
    ParseDateFlag(o.window, "--window", request.mutable_window_date());
    auto client = Connect(options);
    const auto r = client.Unary(&Admission::GetAdmissionReport, request);
    if (PrintJsonIfAsked(options, r)) {
      return exit_code::kOk;
    }
    PrintNote("Equal treatment: " + r.covenant() + ", window " + DayText(r.window_date()) + "\n");
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : r.applications()) {
      for (const auto& s : a.assessments()) {
        rows.push_back({IdOf(a.name()), IdOf(a.provider()), s.requirement_id(),
                        std::to_string(s.requirement_revision()),
                        v1::Assessment::Result_Name(s.result()), s.assessor()});
      }
    }
    PrintTable({"APPLICATION", "PROVIDER", "REQUIREMENT", "REVISION", "RESULT", "ASSESSOR"}, rows);
    rows.clear();
    for (const auto& use : r.requirements()) {
      std::string revisions;
      for (const int revision : use.revisions()) {
        revisions += (revisions.empty() ? "" : ",") + std::to_string(revision);
      }
      rows.push_back({use.requirement_id(), revisions,
                      use.revisions_size() == 1 ? "yes" : "NO: several revisions",
                      std::to_string(use.passed()), std::to_string(use.failed())});
    }
    std::cout << "\n";
    PrintTable({"REQUIREMENT", "REVISIONS", "ONE VERSION FOR ALL", "PASSED", "FAILED"}, rows);
    return exit_code::kOk;
  });
}

}  // namespace regie::client
