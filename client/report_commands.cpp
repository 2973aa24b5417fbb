// `regie report`: accountability reports (verantwoording, docs/adr/0009). Providers submit signed
// reports; procurement staff review them; anyone who may read a report can verify its signature
// offline against the deployment CA.

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <sstream>

#include "auth/pki.hpp"
#include "command_support.hpp"
#include "crypto.hpp"
#include "eurocents.hpp"
#include "input_file.hpp"
#include "progress.hpp"
#include "report_signing.hpp"

namespace regie::client {
namespace {

namespace v1 = reports::v1;
using Reports = v1::ReportService::Stub;
using Queries = v1::QueryService::Stub;
using Exports = v1::ExportService::Stub;
using Queries = v1::QueryService::Stub;
using google::protobuf::util::TimeUtil;

std::string ReportName(const std::string& text) {
  return CovenantChild(text, "reports", "a report", "REPORT_ID (e.g. 12345678-2026-q2)");
}

// The report file, signed with the profile's key; the provider defaults to the certificate's.
v1::SubmitReportRequest SignedRequest(const GlobalOptions& options, const ReportCommandOptions& o) {
  v1::SubmitReportRequest request;
  ReadMessageFile(o.file, *request.mutable_content());
  const auto profile = ResolveProfile(LoadConfig(options.config_path), options.profile);
  const auto certificate = ReadTextFile(profile.certificate, "client certificate");
  if (request.content().provider().empty()) {
    request.mutable_content()->set_provider("providers/" +
                                            auth::ParseCertificate(certificate).organisation);
  }
  request.mutable_content()->set_covenant(AsName("covenants", request.content().covenant()));
  try {
    request.set_signature(
        reports::SignReport(ReadTextFile(profile.key, "client key"), request.content()));
  } catch (const auth::PkiError& e) {
    throw ConfigError(std::string("cannot sign the report with the profile's key: ") + e.what());
  }
  request.set_request_id(o.request_id.empty() ? NewRequestId() : o.request_id);
  return request;
}

std::string Figures(const v1::ReportLine& line) {
  std::string amounts;
  for (const auto& a : line.amounts()) {
    amounts +=
        (amounts.empty() ? "" : ", ") + a.product_code() + " " + EuroText(a.amount_eurocents());
  }
  return amounts.empty() ? "-" : amounts;
}

void PrintReport(const GlobalOptions& options, const v1::Report& r) {
  if (PrintJsonIfAsked(options, r)) {
    return;
  }
  const auto& c = r.content();
  Fields fields = {
      {"report", r.name()},
      {"version", std::to_string(r.version()) + (r.superseded() ? " (superseded)" : "")},
      {"state", v1::Report::State_Name(r.state())},
      {"kind", v1::ReportKind_Name(c.kind())},
      {"period",
       c.period() + " (" + DayText(r.period_start()) + " to " + DayText(r.period_end()) + ")"},
      {"provider", c.provider()},
      {"due", DayText(r.due_date()) + (r.late() ? " (submitted late)" : "")},
      {"submitted", r.submitted_by() + " at " + TimeUtil::ToString(r.submit_time())},
      {"signed by", "certificate SHA-256 " + ToHex(r.signer_fingerprint())},
  };
  if (!r.reviewed_by().empty()) {
    fields.emplace_back("reviewed",
                        r.reviewed_by() + " at " + TimeUtil::ToString(r.review_time()) +
                            (r.review_reason().empty() ? "" : ": " + r.review_reason()));
  }
  const auto& s = c.signals();
  std::string signals;
  if (s.financial_early_warning()) {
    signals += "financial early warning";
  }
  if (s.waiting_list()) {
    signals += std::string(signals.empty() ? "" : ", ") + "waiting list";
  }
  fields.emplace_back(
      "signals", (signals.empty() ? "none" : signals) + (s.note().empty() ? "" : ": " + s.note()));
  if (!c.remarks().empty()) {
    fields.emplace_back("remarks", c.remarks());
  }
  PrintFields(fields);
  if (c.lines_size() == 0) {
    return;
  }
  std::cout << "\n";
  std::vector<std::vector<std::string>> rows;
  for (const auto& l : c.lines()) {
    rows.push_back({IdOf(l.municipality()), l.lot_id(), std::to_string(l.clients_in_care()),
                    std::to_string(l.inflow()), std::to_string(l.outflow()),
                    std::to_string(l.unilateral_endings()),
                    l.has_median_waiting_days() ? std::to_string(l.median_waiting_days()) : "-",
                    std::to_string(l.complaints()), std::to_string(l.serious_incidents()),
                    Figures(l)});
  }
  PrintTable({"MUNICIPALITY", "LOT", "IN CARE", "IN", "OUT", "UNILATERAL", "WAIT (DAYS)",
              "COMPLAINTS", "INCIDENTS", "DECLARED"},
             rows);
}

void PrintReports(const GlobalOptions& options, const std::vector<v1::Report>& reports) {
  if (options.output == OutputFormat::kJson) {
    PrintMessagesJson(reports);
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& r : reports) {
    rows.push_back({IdOf(r.name()), std::to_string(r.version()),
                    v1::ReportKind_Name(r.content().kind()), r.content().period(),
                    IdOf(r.content().provider()), v1::Report::State_Name(r.state()),
                    r.late() ? "yes" : "-", TimeUtil::ToString(r.submit_time())});
  }
  PrintTable({"REPORT", "VERSION", "KIND", "PERIOD", "PROVIDER", "STATE", "LATE", "SUBMITTED"},
             rows);
}

// The filters `report list` and `query aggregate` share.
template <class Request>
void SetFilters(const ReportCommandOptions& o, Request& request) {
  if (!o.provider.empty()) {
    request.set_provider(AsName("providers", o.provider));
  }
  request.set_lot_id(o.lot);
  if (!o.municipality.empty()) {
    request.set_municipality(AsName("municipalities", o.municipality));
  }
  request.set_period(o.period);
  if (!o.kind.empty()) {
    v1::ReportKind kind;
    if (!v1::ReportKind_Parse(o.kind, &kind)) {
      throw ConfigError(
          "--kind must be QUARTERLY, ANNUAL_PRODUCTION or "
          "COMPLAINTS_AND_INCIDENTS, not '" +
          o.kind + "'");
    }
    request.set_kind(kind);
  }
}

std::string Shown(const v1::ShownCount& count) {
  return count.suppressed() ? "x" : std::to_string(count.value());
}

}  // namespace

int RunReportSubmit(const GlobalOptions& options, const ReportCommandOptions& o) {
  return Guard([&] {
    const auto request = SignedRequest(options, o);
    auto client = Connect(options);
    PrintReport(options, client.Unary(&Reports::SubmitReport, request));
    return exit_code::kOk;
  });
}

int RunReportUpload(const GlobalOptions& options, const ReportCommandOptions& o) {
  return Guard([&] {
    const auto request = SignedRequest(options, o);
    auto client = Connect(options);
    const auto report = [&] {
      Progress progress("uploading lines", request.content().lines_size());
      return client.UploadReport(request, [&](int sent, int) { progress.Set(sent); });
    }();
    std::cerr << "sent " << request.content().lines_size() << " line(s)\n";
    PrintReport(options, report);
    return exit_code::kOk;
  });
}

int RunReportList(const GlobalOptions& options, const ReportCommandOptions& o) {
  return Guard([&] {
    v1::ListReportsRequest request;
    request.set_parent(AsName("covenants", o.covenant));
    SetFilters(o, request);
    if (!o.state.empty()) {
      v1::Report::State state;
      if (!v1::Report::State_Parse(o.state, &state)) {
        throw ConfigError("--state must be SUBMITTED, ACCEPTED, QUESTIONED or REJECTED, not '" +
                          o.state + "'");
      }
      request.set_state(state);
    }
    request.set_page_size(500);
    auto client = Connect(options);
    std::vector<v1::Report> reports;
    Progress progress("reading reports");
    do {
      auto page = client.Unary(&Reports::ListReports, request);
      reports.insert(reports.end(), page.reports().begin(), page.reports().end());
      progress.Set(static_cast<std::int64_t>(reports.size()));
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    PrintReports(options, reports);
    return exit_code::kOk;
  });
}

int RunReportShow(const GlobalOptions& options, const ReportCommandOptions& o) {
  return Guard([&] {
    v1::GetReportRequest request;
    request.set_name(ReportName(o.report));
    request.set_version(o.version);
    auto client = Connect(options);
    PrintReport(options, client.Unary(&Reports::GetReport, request));
    return exit_code::kOk;
  });
}

int RunReportVersions(const GlobalOptions& options, const ReportCommandOptions& o) {
  return Guard([&] {
    v1::ListReportVersionsRequest request;
    request.set_name(ReportName(o.report));
    auto client = Connect(options);
    const auto response = client.Unary(&Reports::ListReportVersions, request);
    PrintReports(options, {response.versions().begin(), response.versions().end()});
    return exit_code::kOk;
  });
}

int RunReportVerify(const GlobalOptions& options, const ReportCommandOptions& o) {
  return Guard([&] {
    const auto profile = ResolveProfile(LoadConfig(options.config_path), options.profile);
    v1::GetReportRequest request;
    request.set_name(ReportName(o.report));
    request.set_version(o.version);
    RegieClient client(OpenChannels(profile), options.timeout);
    const auto report = client.Unary(&Reports::GetReport, request);
    const auto check =
        reports::CheckStoredReport(report, ReadTextFile(profile.ca, "CA certificate"));
    const auto what = report.name() + " version " + std::to_string(report.version());
    if (!check.ok) {
      std::cerr << "regie: " << what << " FAILED verification: " << check.failure << "\n";
      return exit_code::kVerifyFailed;
    }
    std::cout << what << " verified: signed by " << check.signer << " (certificate SHA-256 "
              << ToHex(report.signer_fingerprint()) << "), content unchanged since it was signed\n";
    return exit_code::kOk;
  });
}

int RunReportReview(const GlobalOptions& options, const ReportCommandOptions& o) {
  return Guard([&] {
    if (static_cast<int>(o.accept) + static_cast<int>(o.question) + static_cast<int>(o.reject) !=
        1) {
      throw ConfigError("give exactly one of --accept, --question and --reject");
    }
    v1::ReviewReportRequest request;
    request.set_name(ReportName(o.report));
    request.set_decision(o.accept     ? v1::ReviewReportRequest::ACCEPT
                         : o.question ? v1::ReviewReportRequest::QUESTION
                                      : v1::ReviewReportRequest::REJECT);
    request.set_reason(o.reason);
    request.set_request_id(NewRequestId());
    auto client = Connect(options);
    if (o.version != 0) {
      request.set_version(o.version);
    } else {
      // The newest version, as read now: the server refuses if a correction arrives meanwhile.
      v1::GetReportRequest get;
      get.set_name(request.name());
      request.set_version(client.Unary(&Reports::GetReport, get).version());
    }
    PrintReport(options, client.Unary(&Reports::ReviewReport, request));
    return exit_code::kOk;
  });
}

int RunQueryAggregate(const GlobalOptions& options, const ReportCommandOptions& o) {
  return Guard([&] {
    v1::AggregateReportsRequest request;
    request.set_parent(AsName("covenants", o.covenant));
    std::stringstream dimensions(o.by);
    for (std::string name; std::getline(dimensions, name, ',');) {
      v1::Dimension dimension;
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
      if (!v1::Dimension_Parse(name, &dimension) || dimension == v1::DIMENSION_UNSPECIFIED) {
        throw ConfigError("--by takes lot, municipality and period, not '" + name + "'");
      }
      request.add_group_by(dimension);
    }
    SetFilters(o, request);
    auto client = Connect(options);
    const auto response = client.Unary(&Queries::AggregateReports, request);
    if (PrintJsonIfAsked(options, response)) {
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : response.rows()) {
      std::string group;  // the row's values in the order of --by
      for (const auto dimension : request.group_by()) {
        const auto part = dimension == v1::LOT            ? r.lot_id()
                          : dimension == v1::MUNICIPALITY ? IdOf(r.municipality())
                                                          : r.period();
        if (!part.empty()) {
          group += (group.empty() ? "" : " ") + part;
        }
      }
      if (r.total()) {
        group = group.empty() ? "total" : group + " (total)";
      }
      rows.push_back({group, std::to_string(r.providers()), Shown(r.clients_in_care()),
                      Shown(r.inflow()), Shown(r.outflow()), Shown(r.unilateral_endings()),
                      Shown(r.complaints()), Shown(r.serious_incidents()),
                      EuroText(r.declared_eurocents())});
    }
    PrintTable({"GROUP", "PROVIDERS", "IN CARE", "IN", "OUT", "UNILATERAL", "COMPLAINTS",
                "INCIDENTS", "DECLARED"},
               rows);
    if (response.suppression_applied()) {
      PrintNote("x: suppressed (counts of 1-4, and counts that would reveal them)");
    }
    return exit_code::kOk;
  });
}

int RunQueryPeers(const GlobalOptions& options, const ReportCommandOptions& o) {
  return Guard([&] {
    v1::ComparePeersRequest request;
    request.set_parent(AsName("covenants", o.covenant));
    request.set_indicator(AsName("indicators", o.indicator));
    request.set_period(o.period);
    request.set_lot_id(o.lot);
    auto client = Connect(options);
    const auto response = client.Unary(&Queries::ComparePeers, request);
    if (PrintJsonIfAsked(options, response)) {
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : response.rows()) {
      rows.push_back(
          {r.label() + (r.own() ? " (you)" : ""), r.rank() == 0 ? "-" : std::to_string(r.rank()),
           r.value().empty() ? r.not_ranked_reason() : r.value(),
           r.own() ? std::to_string(r.numerator()) + "/" + std::to_string(r.denominator()) : ""});
    }
    PrintTable({"PROVIDER", "RANK", "VALUE", "YOUR COUNTS"}, rows);
    PrintNote(std::string(response.direction() == "LOWER_IS_BETTER" ? "lower is better"
                                                                    : "higher is better") +
              (response.pooled_value().empty()
                   ? std::string()
                   : "; all providers together: " + response.pooled_value()));
    return exit_code::kOk;
  });
}

int RunQueryBudget(const GlobalOptions& options, const ReportCommandOptions& o) {
  return Guard([&] {
    v1::BudgetExhaustionRequest request;
    request.set_parent(AsName("covenants", o.covenant));
    request.set_year(o.year);
    auto client = Connect(options);
    const auto response = client.Unary(&Queries::BudgetExhaustion, request);
    if (PrintJsonIfAsked(options, response)) {
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& r : response.rows()) {
      rows.push_back({IdOf(r.municipality()), r.lot_id(),
                      r.budget_eurocents() == 0 ? "-" : EuroText(r.budget_eurocents()),
                      EuroText(r.declared_eurocents()),
                      r.exhausted_percent().empty() ? "-" : r.exhausted_percent() + "%",
                      EuroText(r.forecast_eurocents()),
                      r.warning() ? (r.budget_eurocents() == 0 ? "declared without budget"
                                                               : "forecast exceeds budget")
                                  : ""});
    }
    PrintTable({"MUNICIPALITY", "LOT", "BUDGET", "DECLARED", "USED", "FORECAST", "WARNING"}, rows);
    PrintNote(response.through_quarter() == 0
                  ? std::string("no accepted quarterly report this year yet")
                  : "forecast: straight line through Q" +
                        std::to_string(response.through_quarter()));
    return exit_code::kOk;
  });
}

int RunExportProductionStatement(const GlobalOptions& options, const ReportCommandOptions& o) {
  return Guard([&] {
    v1::ExportProductionStatementRequest request;
    request.set_municipality(AsName("municipalities", o.municipality));
    request.set_year(o.year);
    auto client = Connect(options);
    const auto statement = client.Unary(&Exports::ExportProductionStatement, request);
    if (PrintJsonIfAsked(options, statement)) {
      return exit_code::kOk;
    }
    // A file for the accountant: CSV whatever the table format.
    SetTableFormat(OutputFormat::kCsv);
    std::vector<std::vector<std::string>> rows;
    const auto euros = [](std::int64_t cents) {
      const auto text = std::to_string(cents % 100 + 100);
      return std::to_string(cents / 100) + "." + text.substr(1);
    };
    for (const auto& l : statement.lines()) {
      rows.push_back({IdOf(statement.municipality()), std::to_string(statement.year()),
                      IdOf(l.covenant()), l.provider_kvk(), l.provider_name(), l.lot_id(),
                      l.product_category(), l.product_code(), l.product_description(),
                      euros(l.amount_eurocents())});
    }
    PrintTable({"municipality_code", "year", "covenant", "provider_kvk", "provider_name", "lot",
                "product_category", "product_code", "product_description", "amount_eur"},
               rows);
    PrintNote("total " + EuroText(statement.total_eurocents()) + " over " +
              std::to_string(statement.lines_size()) + " line(s)");
    return exit_code::kOk;
  });
}

int RunExportOcds(const GlobalOptions& options, const ReportCommandOptions& o) {
  return Guard([&] {
    v1::ExportOcdsRequest request;
    request.set_covenant(AsName("covenants", o.covenant));
    auto client = Connect(options);
    const auto exported = [&] {
      Working working("exporting " + request.covenant() + " as OCDS");
      return client.Unary(&Exports::ExportOcds, request);
    }();
    if (o.output.empty()) {
      std::cout << exported.release_package_json() << "\n";
    } else {
      std::ofstream out(o.output);
      out << exported.release_package_json() << "\n";
      if (!out.flush()) {
        throw ConfigError("cannot write " + o.output.string());
      }
      std::cerr << "wrote " << exported.releases() << " releases to " << o.output.string() << "\n";
    }
    return exit_code::kOk;
  });
}

int RunAuditAsOf(const GlobalOptions& options, const std::string& name, const std::string& date) {
  return Guard([&] {
    google::type::Date day;
    ParseDateFlag(date, "--date", &day);
    // covenants/C[/lots/L[/agreements/A] | /requirements/R | /reports/R]
    std::vector<std::string> parts;
    std::stringstream path(name);
    for (std::string part; std::getline(path, part, '/');) {
      parts.push_back(part);
    }
    const auto kind = parts.size() >= 2 && parts[0] == "covenants" ? parts.size() : 0;
    auto client = Connect(options);
    if (kind == 2) {
      PrintMessageJson(client.GetCovenant(name, date));
    } else if (kind == 4 && parts[2] == "lots") {
      covenants::v1::GetLotRequest request;
      request.set_name(name);
      *request.mutable_as_of() = day;
      PrintMessageJson(client.Unary(&covenants::v1::CovenantService::Stub::GetLot, request));
    } else if (kind == 4 && parts[2] == "requirements") {
      covenants::v1::GetRequirementRequest request;
      request.set_name(name);
      *request.mutable_as_of() = day;
      PrintMessageJson(
          client.Unary(&covenants::v1::CovenantService::Stub::GetRequirement, request));
    } else if (kind == 6 && parts[2] == "lots" && parts[4] == "agreements") {
      outcomes::v1::GetAgreementRequest request;
      request.set_name(name);
      *request.mutable_as_of() = day;
      PrintMessageJson(client.Unary(&outcomes::v1::AgreementService::Stub::GetAgreement, request));
    } else if (kind == 4 && parts[2] == "reports") {
      v1::GetReportRequest request;
      request.set_name(name);
      *request.mutable_as_of() = day;
      PrintMessageJson(client.Unary(&Reports::GetReport, request));
    } else {
      throw ConfigError(
          "as-of reads covenants/C, covenants/C/lots/L, covenants/C/requirements/R, "
          "covenants/C/lots/L/agreements/A and covenants/C/reports/R, not '" +
          name + "'");
    }
    return exit_code::kOk;
  });
}

}  // namespace regie::client
