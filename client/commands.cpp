#include "commands.hpp"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <utility>

#include "audit_verify.hpp"
#include "auth/pki.hpp"
#include "auth/principal.hpp"
#include "command_support.hpp"
#include "crypto.hpp"
#include "input_file.hpp"
#include "progress.hpp"
#include "regie_client.hpp"

namespace regie::client {
namespace {

// "2027-01-31": the UTC day of `time`.
std::string FormatDay(std::chrono::system_clock::time_point time) {
  const std::chrono::year_month_day day(std::chrono::floor<std::chrono::days>(time));
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(day.year()),
                static_cast<unsigned>(day.month()), static_cast<unsigned>(day.day()));
  return text;
}

void WriteFile(const std::filesystem::path& path, const std::string& content, mode_t mode,
               bool overwrite) {
  if (!overwrite && std::filesystem::exists(path)) {
    throw ConfigError(path.string() + " already exists (refusing to overwrite it)");
  }
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    if (!out) {
      throw ConfigError(path.string() + " cannot be written");
    }
    out << content;
  }
  ::chmod(path.c_str(), mode);
}

std::string FileStem(const std::string& name) {
  std::string stem;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) {
      stem.push_back(static_cast<char>(std::tolower(u)));
    } else if (!stem.empty() && stem.back() != '-') {
      stem.push_back('-');
    }
  }
  while (!stem.empty() && stem.back() == '-') {
    stem.pop_back();
  }
  return stem.empty() ? "certificate" : stem;
}

void PrintRegion(const GlobalOptions& options, const covenants::v1::Region& region) {
  if (options.output == OutputFormat::kJson) {
    PrintMessageJson(region);
    return;
  }
  PrintFields({{"region", region.name()},
               {"name", region.display_name()},
               {"municipalities", JoinIds(region.municipalities())},
               {"lead", IdOf(region.lead_municipality())},
               {"created", google::protobuf::util::TimeUtil::ToString(region.create_time())}});
}

void PrintCovenant(const GlobalOptions& options, const covenants::v1::Covenant& c) {
  if (options.output == OutputFormat::kJson) {
    PrintMessageJson(c);
    return;
  }
  namespace v1 = covenants::v1;
  const auto& t = c.terms();
  std::string laws;
  for (const auto basis : t.legal_bases()) {
    laws += (laws.empty() ? "" : ", ") +
            WithoutPrefix(v1::LegalBasis_Name(static_cast<v1::LegalBasis>(basis)), "LEGAL_BASIS_");
  }
  const auto& term = t.term();
  std::string accession = v1::AccessionPolicy::Mode_Name(t.accession_policy().mode());
  if (t.accession_policy().mode() == v1::AccessionPolicy::WINDOWS) {
    accession = "windows";
    for (const auto& date : t.accession_policy().window_dates()) {
      accession += " " + DayText(date);
    }
    accession += "; applications close " +
                 std::to_string(t.accession_policy().application_deadline_days()) + " days before";
  }
  const auto& calendar = t.reporting_calendar();
  PrintFields(
      {{"covenant", c.name()},
       {"title", t.title()},
       {"state", v1::Covenant::State_Name(c.state())},
       {"version", std::to_string(c.version()) + " (in force from " +
                       DayText(c.version_effective_date()) + ")"},
       {"owner", c.owner()},
       {"laws", laws},
       {"model",
        WithoutPrefix(v1::ProcurementModel_Name(t.procurement_model()), "PROCUREMENT_MODEL_")},
       {"municipalities", JoinIds(t.municipalities())},
       {"region", t.region().empty() ? "-" : IdOf(t.region())},
       {"term", DayText(term.start_date()) + " .. " + DayText(term.end_date()) + ", " +
                    std::to_string(term.extension_options()) + " extension(s) of " +
                    std::to_string(term.extension_months()) + " months, notice " +
                    std::to_string(term.notice_period_months()) + " months"},
       {"accession", accession},
       {"reporting", "quarterly +" + std::to_string(calendar.quarterly_report_due_days()) +
                         " days; annual statement " + DayText(calendar.annual_statement_due()) +
                         "; audit opinion " + DayText(calendar.audit_opinion_due()) +
                         "; complaints " + DayText(calendar.complaints_report_due())},
       {"term ends", DayText(c.term_end_date()) + " (" + std::to_string(c.extensions_used()) +
                         " of " + std::to_string(term.extension_options()) + " extension(s) used)"},
       {"terminated", c.has_termination() ? "from " + DayText(c.termination().effective_date()) +
                                                ": " + c.termination().reason() + " (" +
                                                c.termination().terminated_by() + ")"
                                          : "-"},
       {"etag", c.etag()}});
}

// "procurement" for ROLE_PROCUREMENT: the word used on certificates and in --role.
std::string RoleLabel(identity::v1::Role role) {
  std::string label = identity::v1::Role_Name(role);
  label.erase(0, std::string("ROLE_").size());
  for (auto& c : label) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return label;
}

}  // namespace

std::filesystem::path DefaultCaDirectory(const std::filesystem::path& config_path) {
  if (const char* dir = std::getenv("REGIE_CA_DIR"); dir && *dir) {
    return dir;
  }
  return config_path.parent_path() / "ca";
}

int RunHealth(const GlobalOptions& options, const std::string& service, int warn_days) {
  return Guard([&] {
    const auto profile = ResolvedProfile(options);
    RegieClient client(OpenChannels(profile), options.timeout);
    const auto check = client.CheckHealth(service);
    Fields fields{{"service", service.empty() ? "(server)" : service}, {"status", check.status}};
    bool expiring = false;
    const auto now = std::chrono::system_clock::now();
    auto expiry = [&](const std::string& what, const std::string& pem) {
      const std::string label = what + " expires";
      if (pem.empty()) {
        fields.emplace_back(label, "unknown");
        return;
      }
      const auto certificate = auth::ParseCertificate(pem);
      const auto days_left =
          std::chrono::floor<std::chrono::days>(certificate.not_after - now).count();
      const auto day = FormatDay(certificate.not_after);
      fields.emplace_back(label, day + " (" + std::to_string(days_left) + " days)");
      if (days_left < warn_days) {
        expiring = true;
        std::cerr << "warning: " << what << " (" << certificate.subject << ") expires on " << day
                  << ", in " << days_left << " days: renew it (regie admin cert issue)\n";
      }
    };
    expiry("server certificate", check.server_certificate_pem);
    expiry("your certificate", ReadTextFile(profile.certificate, "client certificate"));
    expiry("CA certificate", ReadTextFile(profile.ca, "CA certificate"));
    Print(options, fields);
    if (check.status != "SERVING") {
      return exit_code::kNotServing;
    }
    return expiring ? exit_code::kExpiring : exit_code::kOk;
  });
}

int RunWhoAmI(const GlobalOptions& options) {
  return Guard([&] {
    auto client = Connect(options);
    const auto response = client.WhoAmI();
    if (options.output == OutputFormat::kJson) {
      PrintMessageJson(response);
      return exit_code::kOk;
    }
    const auto& p = response.principal();
    std::string scope;
    for (const auto& code : p.scope()) {
      scope += (scope.empty() ? "" : ",") + code;
    }
    PrintFields(
        {{"name", p.display_name()},
         {"role", RoleLabel(p.role())},
         {"organisation", p.organisation()},
         {"scope", scope.empty() ? "-" : scope},
         {"certificate", p.certificate_serial()},
         {"expires", google::protobuf::util::TimeUtil::ToString(p.certificate_expire_time())},
         {"subject", p.subject()},
         {"allowed rpcs", std::to_string(response.allowed_methods_size())}});
    return exit_code::kOk;
  });
}

int RunCaInit(const GlobalOptions& options, const CaInitOptions& ca) {
  return Guard([&] {
    const auto dir = ca.directory.empty() ? DefaultCaDirectory(options.config_path) : ca.directory;
    const auto cert_path = dir / "ca.crt";
    const auto key_path = dir / "ca.key";
    if (std::filesystem::exists(cert_path) || std::filesystem::exists(key_path)) {
      throw ConfigError("a CA already exists in " + dir.string() +
                        " (remove it deliberately to start over; every certificate it issued "
                        "stops working)");
    }
    std::filesystem::create_directories(dir);
    ::chmod(dir.c_str(), 0700);
    const auto material = auth::CreateCertificateAuthority(ca.name, ca.valid_days);
    WriteFile(key_path, material.key_pem, 0600, false);
    WriteFile(cert_path, material.certificate_pem, 0644, false);
    const auto info = auth::ParseCertificate(material.certificate_pem);
    Print(options, {{"ca certificate", cert_path.string()},
                    {"ca key", key_path.string()},
                    {"subject", info.subject},
                    {"expires", FormatTime(info.not_after)}});
    return exit_code::kOk;
  });
}

int RunCertIssue(const GlobalOptions& options, const CertIssueOptions& issue) {
  return Guard([&] {
    const bool server = issue.role == "server";
    const auto role = auth::ParseRole(issue.role);
    if (!server && !role) {
      std::cerr << "regie: --role must be procurement, provider, auditor, admin or server\n";
      return exit_code::kUsage;
    }
    const auto org_problem = server
                                 ? auth::CheckOrganisation(auth::Role::kAdmin, issue.organisation)
                                 : auth::CheckOrganisation(*role, issue.organisation);
    if (!org_problem.empty()) {
      std::cerr << "regie: --org " << org_problem << "\n";
      return exit_code::kUsage;
    }
    if (const auto problem = auth::CheckDisplayName(issue.name); !problem.empty()) {
      std::cerr << "regie: --name " << problem << "\n";
      return exit_code::kUsage;
    }
    if (issue.valid_days < 1 || issue.valid_days > 3650) {
      std::cerr << "regie: --days must be 1..3650\n";
      return exit_code::kUsage;
    }
    const auto ca_dir =
        issue.ca_directory.empty() ? DefaultCaDirectory(options.config_path) : issue.ca_directory;
    const auth::KeyAndCertificate ca{ReadTextFile(ca_dir / "ca.key", "CA key"),
                                     ReadTextFile(ca_dir / "ca.crt", "CA certificate")};
    auth::CertificateSpec spec;
    spec.common_name = issue.name;
    spec.organisational_unit = issue.role;
    spec.organisation = issue.organisation;
    spec.valid_days = issue.valid_days;
    spec.server = server;
    if (server) {
      spec.dns_names =
          issue.dns_names.empty() ? std::vector<std::string>{"localhost"} : issue.dns_names;
      spec.ip_addresses = issue.ip_addresses.empty() ? std::vector<std::string>{"127.0.0.1", "::1"}
                                                     : issue.ip_addresses;
    }
    const auto issued = auth::IssueCertificate(ca, spec);
    const auto stem = issue.file_stem.empty() ? FileStem(issue.name) : issue.file_stem;
    std::filesystem::create_directories(issue.out_directory);
    const auto cert_path = issue.out_directory / (stem + ".crt");
    const auto key_path = issue.out_directory / (stem + ".key");
    WriteFile(key_path, issued.material.key_pem, 0600, issue.overwrite);
    WriteFile(cert_path, issued.material.certificate_pem, 0644, issue.overwrite);
    const auto info = auth::ParseCertificate(issued.material.certificate_pem);
    Print(options, {{"serial", issued.serial_hex},
                    {"subject", info.subject},
                    {"expires", FormatTime(info.not_after)},
                    {"certificate", cert_path.string()},
                    {"key", key_path.string()}});
    return exit_code::kOk;
  });
}

int RunCertRevoke(const GlobalOptions& options, const std::string& serial,
                  const std::string& reason) {
  return Guard([&] {
    auto client = Connect(options);
    const auto revoked = client.RevokeCertificate(serial, reason, NewRequestId());
    if (options.output == OutputFormat::kJson) {
      PrintMessageJson(revoked);
    } else {
      PrintFields({{"revoked", revoked.serial()},
                   {"reason", revoked.reason()},
                   {"at", google::protobuf::util::TimeUtil::ToString(revoked.revoke_time())},
                   {"by", revoked.revoked_by()}});
    }
    return exit_code::kOk;
  });
}

int RunCertListRevoked(const GlobalOptions& options) {
  return Guard([&] {
    auto client = Connect(options);
    const auto revoked = client.ListRevokedCertificates();
    if (options.output == OutputFormat::kJson) {
      nlohmann::json json = nlohmann::json::array();
      for (const auto& r : revoked) {
        json.push_back(
            {{"serial", r.serial()},
             {"reason", r.reason()},
             {"revoke_time", google::protobuf::util::TimeUtil::ToString(r.revoke_time())},
             {"revoked_by", r.revoked_by()}});
      }
      std::cout << json.dump(2) << "\n";
      return exit_code::kOk;
    }
    if (revoked.empty()) {
      PrintNote("no certificates revoked");
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : revoked) {
      rows.push_back({r.serial(), google::protobuf::util::TimeUtil::ToString(r.revoke_time()),
                      r.revoked_by(), r.reason()});
    }
    PrintTable({"SERIAL", "REVOKED", "BY", "REASON"}, rows);
    return exit_code::kOk;
  });
}

int RunAuditVerify(const GlobalOptions& options) {
  return Guard([&] {
    const auto config = LoadConfig(options.config_path);
    const auto profile = ResolveProfile(config, options.profile);
    RegieClient client(OpenChannels(profile), options.timeout);
    const auto verification = [&] {
      Progress progress("verifying the audit log");
      return VerifyAuditLog(client, ReadTextFile(profile.ca, "CA certificate"),
                            [&](std::int64_t seq, std::int64_t size) {
                              progress.SetTotal(size);
                              progress.Set(seq);
                            });
    }();
    const auto& r = verification.result;
    if (options.output == OutputFormat::kJson) {
      nlohmann::json json = {{"ok", r.ok},
                             {"entries", r.entries},
                             {"checkpoints_verified", r.checkpoints},
                             {"last_checkpoint_seq", r.last_checkpoint_seq},
                             {"pending_events", verification.pending_events}};
      if (!r.ok) {
        json["failed_seq"] = r.failed_seq;
        json["failed_event_id"] = r.failed_event_id;
        json["failure"] = r.failure;
      }
      std::cout << json.dump(2) << "\n";
    } else if (r.ok) {
      std::cout << "audit log verified: " << r.entries << " entries, " << r.checkpoints
                << " signed checkpoints (latest covers seq " << r.last_checkpoint_seq << "), "
                << verification.pending_events << " events pending sealing\n";
    }
    if (!r.ok) {
      std::cerr << "regie: audit log verification FAILED: " << r.failure << "\n";
      return exit_code::kVerifyFailed;
    }
    return exit_code::kOk;
  });
}

int RunAuditLog(const GlobalOptions& options, const std::string& resource,
                const std::string& since) {
  return Guard([&] {
    audit::v1::ListResourceEventsRequest request;
    request.set_resource(resource);
    if (!since.empty()) {
      ParseDateFlag(since, "--since", request.mutable_since());
    }
    request.set_page_size(1000);
    auto client = Connect(options);
    std::vector<audit::v1::Entry> entries;
    do {
      auto page = client.Unary(&audit::v1::AuditService::Stub::ListResourceEvents, request);
      entries.insert(entries.end(), page.entries().begin(), page.entries().end());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    if (options.output == OutputFormat::kJson) {
      PrintMessagesJson(entries);
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& entry : entries) {
      const auto& e = entry.event();
      rows.push_back({entry.seq() == 0 ? "pending" : std::to_string(entry.seq()),
                      google::protobuf::util::TimeUtil::ToString(e.occur_time()), e.actor_subject(),
                      e.rpc().substr(e.rpc().rfind('/') + 1), e.resource(), e.change_json()});
    }
    PrintTable({"SEQ", "TIME", "WHO", "WHAT", "RESOURCE", "CHANGE"}, rows);
    return exit_code::kOk;
  });
}

int RunMunicipalityList(const GlobalOptions& options) {
  return Guard([&] {
    auto client = Connect(options);
    const auto municipalities = client.ListMunicipalities();
    if (options.output == OutputFormat::kJson) {
      PrintMessagesJson(municipalities);
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& m : municipalities) {
      rows.push_back({m.code(), m.display_name()});
    }
    PrintTable({"CODE", "NAME"}, rows);
    return exit_code::kOk;
  });
}

int RunMunicipalityShow(const GlobalOptions& options, const std::string& municipality) {
  return Guard([&] {
    auto client = Connect(options);
    const auto m = client.GetMunicipality(AsName("municipalities", municipality));
    if (options.output == OutputFormat::kJson) {
      PrintMessageJson(m);
    } else {
      PrintFields({{"municipality", m.name()},
                   {"name", m.display_name()},
                   {"created", google::protobuf::util::TimeUtil::ToString(m.create_time())}});
    }
    return exit_code::kOk;
  });
}

int RunMunicipalityCreate(const GlobalOptions& options, const std::string& code,
                          const std::string& display_name) {
  return Guard([&] {
    auto client = Connect(options);
    const auto m = client.CreateMunicipality(code, display_name, NewRequestId());
    if (options.output == OutputFormat::kJson) {
      PrintMessageJson(m);
    } else {
      PrintFields({{"created", m.name()}, {"name", m.display_name()}});
    }
    return exit_code::kOk;
  });
}

int RunRegionList(const GlobalOptions& options, const std::string& municipality) {
  return Guard([&] {
    auto client = Connect(options);
    const auto regions =
        client.ListRegions(municipality.empty() ? "" : AsName("municipalities", municipality));
    if (options.output == OutputFormat::kJson) {
      PrintMessagesJson(regions);
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : regions) {
      rows.push_back({r.region_id(), r.display_name(), JoinIds(r.municipalities()),
                      IdOf(r.lead_municipality())});
    }
    PrintTable({"REGION", "NAME", "MUNICIPALITIES", "LEAD"}, rows);
    return exit_code::kOk;
  });
}

int RunRegionShow(const GlobalOptions& options, const std::string& region) {
  return Guard([&] {
    auto client = Connect(options);
    PrintRegion(options, client.GetRegion(AsName("regions", region)));
    return exit_code::kOk;
  });
}

int RunRegionCreate(const GlobalOptions& options, const RegionOptions& region) {
  return Guard([&] {
    auto client = Connect(options);
    covenants::v1::Region request;
    request.set_region_id(region.region_id);
    request.set_display_name(region.display_name);
    for (const auto& m : region.municipalities) {
      request.add_municipalities(AsName("municipalities", m));
    }
    request.set_lead_municipality(region.lead.empty() ? "" : AsName("municipalities", region.lead));
    PrintRegion(options, client.CreateRegion(request, NewRequestId()));
    return exit_code::kOk;
  });
}

int RunCovenantCreate(const GlobalOptions& options, const std::filesystem::path& file) {
  return Guard([&] {
    covenants::v1::CreateCovenantRequest request;
    ReadMessageFile(file, request);
    if (request.request_id().empty()) {
      request.set_request_id(NewRequestId());
    }
    auto client = Connect(options);
    PrintCovenant(options, client.CreateCovenant(request));
    return exit_code::kOk;
  });
}

int RunCovenantList(const GlobalOptions& options, const CovenantListOptions& filter) {
  return Guard([&] {
    namespace v1 = covenants::v1;
    v1::ListCovenantsRequest request;
    if (!filter.state.empty()) {
      v1::Covenant::State state{};
      std::string upper = filter.state;
      std::transform(upper.begin(), upper.end(), upper.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      if (!v1::Covenant::State_Parse(upper, &state)) {
        std::cerr << "regie: --state must be draft, published, active, extended, ended or "
                     "terminated\n";
        return exit_code::kUsage;
      }
      request.set_state(state);
    }
    if (!filter.municipality.empty()) {
      request.set_municipality(AsName("municipalities", filter.municipality));
    }
    if (!filter.legal_basis.empty()) {
      std::string name = "LEGAL_BASIS_" + filter.legal_basis;
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
        return c == '-' ? '_' : static_cast<char>(std::toupper(c));
      });
      v1::LegalBasis basis{};
      if (!v1::LegalBasis_Parse(name, &basis)) {
        std::cerr << "regie: --legal-basis must be wmo-2015, jeugdwet or participatiewet\n";
        return exit_code::kUsage;
      }
      request.set_legal_basis(basis);
    }
    auto client = Connect(options);
    const auto covenants = client.ListCovenants(request);
    if (options.output == OutputFormat::kJson) {
      PrintMessagesJson(covenants);
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : covenants) {
      rows.push_back(
          {c.name(), v1::Covenant::State_Name(c.state()),
           DayText(c.terms().term().start_date()) + ".." + DayText(c.terms().term().end_date()),
           JoinIds(c.terms().municipalities()), c.terms().title()});
    }
    PrintTable({"COVENANT", "STATE", "TERM", "MUNICIPALITIES", "TITLE"}, rows);
    return exit_code::kOk;
  });
}

int RunCovenantShow(const GlobalOptions& options, const std::string& covenant,
                    const std::string& as_of) {
  return Guard([&] {
    auto client = Connect(options);
    PrintCovenant(options, client.GetCovenant(AsName("covenants", covenant), as_of));
    return exit_code::kOk;
  });
}

int RunCovenantPublish(const GlobalOptions& options, const std::string& covenant) {
  return Guard([&] {
    auto client = Connect(options);
    PrintCovenant(options,
                  client.PublishCovenant(AsName("covenants", covenant), "", NewRequestId()));
    return exit_code::kOk;
  });
}

int RunCovenantDeadlines(const GlobalOptions& options, const DeadlineOptions& deadlines) {
  return Guard([&] {
    covenants::v1::ListDeadlinesRequest request;
    request.set_within_days(ParseDaysFlag(deadlines.within, "--within"));
    if (!deadlines.from.empty()) {
      ParseDateFlag(deadlines.from, "--from", request.mutable_from_date());
    }
    if (!deadlines.covenant.empty()) {
      request.set_covenant(AsName("covenants", deadlines.covenant));
    }
    auto client = Connect(options);
    const auto items = client.ListDeadlines(request);
    if (options.output == OutputFormat::kJson) {
      PrintMessagesJson(items);
      return exit_code::kOk;
    }
    if (items.empty()) {
      std::cout << "no deadlines in the next " << request.within_days() << " days\n";
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& d : items) {
      rows.push_back({DayText(d.date()), IdOf(d.covenant()),
                      covenants::v1::Deadline::Kind_Name(d.kind()), d.description()});
    }
    PrintTable({"DATE", "COVENANT", "KIND", "WHAT"}, rows);
    return exit_code::kOk;
  });
}

namespace {

void PrintQuestion(const GlobalOptions& options, const covenants::v1::Question& q) {
  if (options.output == OutputFormat::kJson) {
    PrintMessageJson(q);
    return;
  }
  PrintFields({{"question", q.name()},
               {"state", covenants::v1::Question::State_Name(q.state())},
               {"asked by", q.asker_organisation().empty() ? "(hidden)" : q.asker_organisation()},
               {"asked", google::protobuf::util::TimeUtil::ToString(q.ask_time())},
               {"text", q.text()},
               {"answer", q.answer().empty() ? "-" : q.answer()}});
}

}  // namespace

int RunQuestionAsk(const GlobalOptions& options, const std::string& covenant,
                   const std::string& text) {
  return Guard([&] {
    auto client = Connect(options);
    PrintQuestion(options, client.AskQuestion(AsName("covenants", covenant), text, NewRequestId()));
    return exit_code::kOk;
  });
}

int RunQuestionAnswer(const GlobalOptions& options, const std::string& question,
                      const std::string& answer) {
  return Guard([&] {
    auto client = Connect(options);
    PrintQuestion(options, client.AnswerQuestion(question, answer, NewRequestId()));
    return exit_code::kOk;
  });
}

int RunQuestionList(const GlobalOptions& options, const std::string& covenant) {
  return Guard([&] {
    auto client = Connect(options);
    const auto questions = client.ListQuestions(AsName("covenants", covenant));
    if (options.output == OutputFormat::kJson) {
      PrintMessagesJson(questions);
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& q : questions) {
      rows.push_back({IdOf(q.name()), covenants::v1::Question::State_Name(q.state()),
                      q.asker_organisation().empty() ? "(hidden)" : q.asker_organisation(),
                      q.text(), q.answer().empty() ? "-" : q.answer()});
    }
    PrintTable({"#", "STATE", "ASKED BY", "QUESTION", "ANSWER"}, rows);
    return exit_code::kOk;
  });
}

int RunCovenantExtend(const GlobalOptions& options, const std::string& covenant) {
  return Guard([&] {
    auto client = Connect(options);
    PrintCovenant(options, client.ExtendCovenant(AsName("covenants", covenant), NewRequestId()));
    return exit_code::kOk;
  });
}

int RunCovenantTerminate(const GlobalOptions& options, const std::string& covenant,
                         const std::string& reason, const std::string& effective_date) {
  return Guard([&] {
    auto client = Connect(options);
    PrintCovenant(options, client.TerminateCovenant(AsName("covenants", covenant), reason,
                                                    effective_date, NewRequestId()));
    return exit_code::kOk;
  });
}

int RunCovenantVersions(const GlobalOptions& options, const std::string& covenant) {
  return Guard([&] {
    auto client = Connect(options);
    const auto versions = client.ListCovenantVersions(AsName("covenants", covenant));
    if (options.output == OutputFormat::kJson) {
      PrintMessagesJson(versions);
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& v : versions) {
      rows.push_back({std::to_string(v.version()), DayText(v.effective_date()),
                      google::protobuf::util::TimeUtil::ToString(v.record_time()),
                      v.amendment().empty() ? "-" : IdOf(v.amendment()),
                      v.meeting().empty() ? "-" : IdOf(v.meeting()),
                      v.rationale().empty() ? "as published" : v.rationale()});
    }
    PrintTable({"VERSION", "IN FORCE FROM", "RECORDED", "AMENDMENT", "MEETING", "WHY"}, rows);
    return exit_code::kOk;
  });
}

int RunCovenantDiff(const GlobalOptions& options, const std::string& covenant, int from_version,
                    int to_version) {
  return Guard([&] {
    auto client = Connect(options);
    const auto changes =
        client.DiffCovenantVersions(AsName("covenants", covenant), from_version, to_version);
    if (options.output == OutputFormat::kJson) {
      PrintMessagesJson(changes);
      return exit_code::kOk;
    }
    if (changes.empty()) {
      std::cout << "no differences between version " << from_version << " and " << to_version
                << "\n";
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& c : changes) {
      rows.push_back(
          {c.field(), c.before().empty() ? "-" : c.before(), c.after().empty() ? "-" : c.after()});
    }
    PrintTable({"FIELD", "VERSION " + std::to_string(from_version),
                "VERSION " + std::to_string(to_version)},
               rows);
    return exit_code::kOk;
  });
}

int RunConfigSetProfile(const GlobalOptions& options, const std::string& name, Profile profile,
                        const std::vector<std::string>& area_addresses, bool make_default) {
  return Guard([&] {
    for (const auto& assignment : area_addresses) {
      AddAreaAddress(profile, assignment, "--area");
    }
    auto config = LoadConfig(options.config_path);
    auto absolute = [](const std::string& path) {
      return path.empty() ? path : std::filesystem::absolute(path).string();
    };
    config.profiles[name] = Profile{profile.address, absolute(profile.certificate),
                                    absolute(profile.key), absolute(profile.ca), profile.areas};
    if (make_default) {
      config.default_profile = name;
    }
    SaveConfig(options.config_path, config);
    Print(options, {{"profile", name}, {"config", options.config_path.string()}});
    return exit_code::kOk;
  });
}

int RunConfigShow(const GlobalOptions& options) {
  return Guard([&] {
    const auto config = LoadConfig(options.config_path);
    nlohmann::json json = {{"config", options.config_path.string()},
                           {"default_profile", config.default_profile},
                           {"profiles", nlohmann::json::object()}};
    for (const auto& [name, p] : config.profiles) {
      json["profiles"][name] = {{"address", p.address},
                                {"certificate", p.certificate},
                                {"key", p.key},
                                {"ca", p.ca},
                                {"areas", p.areas}};
    }
    if (options.output == OutputFormat::kJson) {
      std::cout << json.dump(2) << "\n";
      return exit_code::kOk;
    }
    std::cout << "config " << options.config_path.string() << "\n";
    for (const auto& [name, p] : config.profiles) {
      std::cout << (name == config.default_profile ? "* " : "  ") << name << "  " << p.address
                << "  " << p.certificate << "\n";
      for (const auto& [area, address] : p.areas) {
        std::cout << "      " << area << " at " << address << "\n";
      }
    }
    return exit_code::kOk;
  });
}

}  // namespace regie::client
