// regie: the command-line tool of Regie for procurement staff (inkoop), providers (aanbieders),
// auditors (accountants) and administrators. Only argument parsing lives here (CLI11 is heavy to
// compile: keep it to this file); the commands are in commands.cpp.

#include <CLI/CLI.hpp>

#include <iostream>
#include <memory>
#include <optional>

#include "cli_help.hpp"
#include "commands.hpp"
#include "grpc_runtime/grpc_runtime.hpp"

namespace {

constexpr char kFooter[] =
    R"(Profiles (--profile NAME, or $REGIE_PROFILE) hold the server address and the
certificate, key and CA files; flags override them. The run command writes the profiles
procurement, provider, auditor and admin.

Exit codes:
  0  success
  1  internal error
  2  bad flags or arguments
  3  local configuration or files (profile, certificates, CA)
  4  the server refused the request (the message names the field or state at fault)
  5  the server could not be reached, or did not answer in time
  6  audit verify: the audit log has been altered
  7  health: the server answers but is not SERVING)";

// `regie lot` and `regie requirement`. What the options are parsed into lives as long as `app`.
void AddCatalogueCommands(CLI::App& app, const regie::client::GlobalOptions& options, int& result) {
  using namespace regie::client;
  struct Args {
    std::string covenant;
    std::string id;
    std::string lot;
    std::string as_of;
  };
  auto args = std::make_shared<Args>();
  const char* as_of_help = "the terms in force on this date (YYYY-MM-DD; default today)";

  auto* lot = app.add_subcommand("lot", "a covenant's lots (percelen) with products and tariffs");
  lot->require_subcommand(1);
  auto* lot_list = lot->add_subcommand("list", "the lots of a covenant");
  lot_list->add_option("covenant", args->covenant, "covenant id")->required();
  lot_list->add_option("--as-of", args->as_of, as_of_help);
  lot_list->callback([&, args] { result = RunLotList(options, args->covenant, args->as_of); });
  auto* lot_show = lot->add_subcommand("show", "a lot with its product catalogue and tariffs");
  lot_show->add_option("covenant", args->covenant, "covenant id")->required();
  lot_show->add_option("lot", args->id, "lot id, e.g. P1")->required();
  lot_show->add_option("--as-of", args->as_of, as_of_help);
  lot_show->callback(
      [&, args] { result = RunLotShow(options, args->covenant, args->id, args->as_of); });

  auto* requirement = app.add_subcommand(
      "requirement", "a covenant's pass/fail admission requirements (toelatingseisen)");
  requirement->require_subcommand(1);
  auto* requirement_list = requirement->add_subcommand("list", "the requirements of a covenant");
  requirement_list->add_option("covenant", args->covenant, "covenant id")->required();
  requirement_list->add_option("--lot", args->lot, "only those that apply to this lot");
  requirement_list->add_option("--as-of", args->as_of, as_of_help);
  requirement_list->callback(
      [&, args] { result = RunRequirementList(options, args->covenant, args->lot, args->as_of); });
  auto* requirement_show =
      requirement->add_subcommand("show", "a requirement with its published criterion");
  requirement_show->add_option("covenant", args->covenant, "covenant id")->required();
  requirement_show->add_option("requirement", args->id, "requirement id, e.g. R1")->required();
  requirement_show->add_option("--as-of", args->as_of, as_of_help);
  requirement_show->callback(
      [&, args] { result = RunRequirementShow(options, args->covenant, args->id, args->as_of); });
}

// `regie meeting` and `regie amendment` (`regie covenant amend` lives with `covenant`).
void AddConsultationCommands(CLI::App& app, const regie::client::GlobalOptions& options,
                             int& result) {
  using namespace regie::client;
  struct Args {
    MeetingOptions meeting;
    std::string target;
    std::string minutes_file;
    std::vector<std::string> decisions;
    std::string reason;
  };
  auto args = std::make_shared<Args>();
  const char* meeting_help = "COVENANT/NUMBER or covenants/COVENANT/meetings/NUMBER";
  const char* amendment_help = "COVENANT/NUMBER or covenants/COVENANT/amendments/NUMBER";

  auto* meeting = app.add_subcommand(
      "meeting", "the consultation table (overlegtafel) where terms are agreed with all providers");
  meeting->require_subcommand(1);
  auto* schedule = meeting->add_subcommand(
      "schedule", "schedule a meeting; every participant of the covenant is invited");
  schedule->add_option("covenant", args->meeting.covenant, "covenant id")->required();
  schedule->add_option("--date", args->meeting.date, "YYYY-MM-DD, today or later")->required();
  schedule->add_option("--location", args->meeting.location, "where, or how to join")->required();
  schedule->add_option("--agenda", args->meeting.agenda, "an agenda item (repeat for more)")
      ->required();
  schedule->callback([&, args] { result = RunMeetingSchedule(options, args->meeting); });
  auto* minutes = meeting->add_subcommand(
      "minutes", "record the minutes (notulen) and decisions of a meeting that took place");
  minutes->add_option("meeting", args->target, meeting_help)->required();
  minutes->add_option("-f,--file", args->minutes_file, "a text file with the minutes")->required();
  minutes->add_option("--decision", args->decisions, "a decision taken (repeat for more)");
  minutes->callback([&, args] {
    result = RunMeetingMinutes(options, args->target, args->minutes_file, args->decisions);
  });
  auto* cancel = meeting->add_subcommand("cancel", "cancel a scheduled meeting");
  cancel->add_option("meeting", args->target, meeting_help)->required();
  cancel->add_option("--reason", args->reason, "why")->required();
  cancel->callback([&, args] { result = RunMeetingCancel(options, args->target, args->reason); });
  auto* meeting_show = meeting->add_subcommand("show", "a meeting with its invitees and minutes");
  meeting_show->add_option("meeting", args->target, meeting_help)->required();
  meeting_show->callback([&, args] { result = RunMeetingShow(options, args->target); });
  auto* meeting_list = meeting->add_subcommand("list", "the meetings of a covenant");
  meeting_list->add_option("covenant", args->target, "covenant id")->required();
  meeting_list->callback([&, args] { result = RunMeetingList(options, args->target); });

  auto* amendment = app.add_subcommand(
      "amendment", "amendments (wijzigingen) of a covenant's terms; propose with covenant amend");
  amendment->require_subcommand(1);
  auto* adopt = amendment->add_subcommand(
      "adopt", "adopt a proposed amendment at a held meeting: the terms get a new version");
  adopt->add_option("amendment", args->target, amendment_help)->required();
  adopt->add_option("--meeting", args->reason, meeting_help)->required();
  adopt->callback([&, args] { result = RunAmendmentAdopt(options, args->target, args->reason); });
  auto* withdraw = amendment->add_subcommand("withdraw", "withdraw a proposed amendment");
  withdraw->add_option("amendment", args->target, amendment_help)->required();
  withdraw->callback([&, args] { result = RunAmendmentWithdraw(options, args->target); });
  auto* amendment_show = amendment->add_subcommand("show", "an amendment and what it changes");
  amendment_show->add_option("amendment", args->target, amendment_help)->required();
  amendment_show->callback([&, args] { result = RunAmendmentShow(options, args->target); });
  auto* amendment_list = amendment->add_subcommand("list", "the amendments of a covenant");
  amendment_list->add_option("covenant", args->target, "covenant id")->required();
  amendment_list->callback([&, args] { result = RunAmendmentList(options, args->target); });
}

// `regie indicator|agreement|settle` (docs/adr/0008).
void AddOutcomeCommands(CLI::App& app, const regie::client::GlobalOptions& options, int& result) {
  using namespace regie::client;
  auto o = std::make_shared<OutcomeCommandOptions>();
  auto run = [&result, &options,
              o](int (*command)(const GlobalOptions&, const OutcomeCommandOptions&)) {
    return [&result, &options, o, command] { result = command(options, *o); };
  };

  auto* indicator = app.add_subcommand(
      "indicator", "the indicator library (indicatorenbibliotheek): NJi outcome set and ZRM");
  indicator->require_subcommand(1);
  indicator->add_subcommand("list", "every indicator, with direction, minimum n and lag")
      ->callback(run(RunIndicatorList));
  auto* indicator_show = indicator->add_subcommand("show", "one indicator's definition");
  indicator_show->add_option("indicator", o->indicator, "indicator id, e.g. nji-drop-out")
      ->required();
  indicator_show->callback(run(RunIndicatorShow));

  auto* agreement = app.add_subcommand(
      "agreement", "outcome agreements (resultaatafspraken) of a covenant's lots");
  agreement->require_subcommand(1);
  auto* create = agreement->add_subcommand(
      "create", "define an outcome agreement for a lot (procurement; version 1)");
  create
      ->add_option("-f,--file", o->file,
                   "a CreateAgreementRequest as YAML or JSON: parent (covenants/C/lots/L), "
                   "agreement_id, agreement, optional effective_date")
      ->required();
  create->callback(run(RunAgreementCreate));
  auto* show = agreement->add_subcommand("show", "an agreement as in force on a day");
  show->add_option("agreement", o->agreement, "COVENANT/LOT/ID")->required();
  show->add_option("--as-of", o->as_of, "the day, YYYY-MM-DD (default: today)");
  show->add_option("--version", o->version, "one version instead");
  show->callback(run(RunAgreementShow));
  auto* list = agreement->add_subcommand("list", "a covenant's agreements as in force today");
  list->add_option("covenant", o->covenant, "covenant id")->required();
  list->add_option("--lot", o->lot, "only this lot");
  list->add_option("--provider", o->provider, "only this provider's and the lot-wide ones");
  list->callback(run(RunAgreementList));
  auto* amend = agreement->add_subcommand(
      "amend", "a new version from an amendment adopted at the consultation table (procurement)");
  amend->add_option("agreement", o->agreement, "COVENANT/LOT/ID")->required();
  amend
      ->add_option("--amendment", o->amendment,
                   "COVENANT/NUMBER: adopted, naming this agreement in its agreement_change")
      ->required();
  amend->add_option("-f,--file", o->file, "the new Agreement as YAML or JSON")->required();
  amend->callback(run(RunAgreementAmend));
  auto* versions = agreement->add_subcommand("versions", "every version of an agreement");
  versions->add_option("agreement", o->agreement, "COVENANT/LOT/ID")->required();
  versions->callback(run(RunAgreementVersions));

  auto* settle = app.add_subcommand(
      "settle", "settlement (afrekening): what providers are owed under outcome agreements");
  settle->require_subcommand(1);
  auto* settle_run = settle->add_subcommand(
      "run",
      "settle a year that has ended (procurement); re-running with unchanged inputs "
      "changes nothing");
  settle_run->add_option("covenant", o->covenant, "covenant id")->required();
  settle_run->add_option("--period", o->period, "the calendar year, e.g. 2026")->required();
  settle_run->add_option("--agreement", o->agreement, "only this agreement, COVENANT/LOT/ID");
  settle_run->add_option("--provider", o->provider, "only this provider (KvK number)");
  settle_run->callback(run(RunSettleRun));
  auto* settle_show = settle->add_subcommand("show", "a settlement with its amounts");
  settle_show->add_option("settlement", o->settlement, "COVENANT/ID")->required();
  settle_show->add_option("--version", o->version, "an older version (default: the newest)");
  settle_show->callback(run(RunSettleShow));
  auto* settle_list = settle->add_subcommand("list", "a covenant's settlements, newest versions");
  settle_list->add_option("covenant", o->covenant, "covenant id")->required();
  settle_list->add_option("--period", o->period, "only this year");
  settle_list->add_option("--provider", o->provider, "only this provider (KvK number)");
  settle_list->add_option("--lot", o->lot, "only this lot");
  settle_list->callback(run(RunSettleList));
  auto* explain = settle->add_subcommand("explain", "the derivation, line by line");
  explain->add_option("settlement", o->settlement, "COVENANT/ID")->required();
  explain->add_option("--version", o->version, "an older version (default: the newest)");
  explain->callback(run(RunSettleExplain));
  auto* recovery = settle->add_subcommand(
      "recovery",
      "planning = realisatie: what an audit sample's error rate recovers, with the penalty "
      "above the tolerance");
  recovery->add_option("--planned", o->planned, "the planned amount D in euros, e.g. 1000000")
      ->required();
  recovery->add_option("--error-rate", o->error_rate, "the error rate e in percent, e.g. 4")
      ->required();
  recovery->add_option("--tolerance", o->tolerance, "the tolerance t in percent");
  recovery->add_option("--penalty", o->penalty, "the penalty rate p in percent");
  recovery->add_option("--agreement", o->agreement,
                       "take t and p from this agreement (COVENANT/LOT/ID) instead");
  recovery->callback(run(RunSettleRecovery));
}

// `regie report` (docs/adr/0009).
void AddReportCommands(CLI::App& app, const regie::client::GlobalOptions& options, int& result) {
  using namespace regie::client;
  auto o = std::make_shared<ReportCommandOptions>();
  auto run = [&result, &options,
              o](int (*command)(const GlobalOptions&, const ReportCommandOptions&)) {
    return [&result, &options, o, command] { result = command(options, *o); };
  };
  auto* report = app.add_subcommand(
      "report",
      "accountability reports (verantwoording): quarterly reports, annual production "
      "statements (productieverantwoording), complaints and incidents");
  report->require_subcommand(1);
  const auto submit_options = [o](CLI::App* command) {
    command
        ->add_option("-f,--file", o->file,
                     "the report as YAML or JSON (a ReportContent: covenant, kind, period, lines "
                     "per municipality and lot, signals, remarks; provider defaults to yours)")
        ->required();
    command->add_option("--request-id", o->request_id,
                        "repeat a submission's id to retry it safely (default: a fresh one)");
  };
  auto* submit = report->add_subcommand(
      "submit",
      "sign a report with your certificate's key and submit it (provider); submitting "
      "the same period again stores a correction, the next version");
  submit_options(submit);
  submit->callback(run(RunReportSubmit));
  auto* upload = report->add_subcommand(
      "upload", "submit like `submit`, streaming the lines one by one, for large reports");
  submit_options(upload);
  upload->callback(run(RunReportUpload));
  auto* list = report->add_subcommand("list", "a covenant's reports, newest versions");
  list->add_option("covenant", o->covenant, "covenant id")->required();
  list->add_option("--provider", o->provider, "only this provider (KvK number)");
  list->add_option("--lot", o->lot, "only reports with a line for this lot");
  list->add_option("--municipality", o->municipality,
                   "only reports with a line for this municipality (code)");
  list->add_option("--period", o->period, "a quarter (2026-Q2) or a whole year (2026)");
  list->add_option("--kind", o->kind, "QUARTERLY, ANNUAL_PRODUCTION or COMPLAINTS_AND_INCIDENTS");
  list->add_option("--state", o->state, "SUBMITTED, ACCEPTED, QUESTIONED or REJECTED");
  list->callback(run(RunReportList));
  const auto report_argument = [o](CLI::App* command) {
    command->add_option("report", o->report, "COVENANT/REPORT_ID, e.g. c/12345678-2026-q2")
        ->required();
  };
  auto* show = report->add_subcommand("show", "a report with its lines");
  report_argument(show);
  show->add_option("--version", o->version, "an older version (default: the newest)");
  show->callback(run(RunReportShow));
  auto* versions = report->add_subcommand("versions", "every version of a report");
  report_argument(versions);
  versions->callback(run(RunReportVersions));
  auto* verify = report->add_subcommand(
      "verify",
      "check a stored version's signature offline against the deployment CA (exit 6 "
      "when it fails)");
  report_argument(verify);
  verify->add_option("--version", o->version, "an older version (default: the newest)");
  verify->callback(run(RunReportVerify));
  auto* review = report->add_subcommand(
      "review", "accept a report, ask a question about it, or reject it (procurement)");
  report_argument(review);
  review->add_flag("--accept", o->accept, "accept: settlement reads the newest accepted version");
  review->add_flag("--question", o->question, "ask a question (needs --reason)");
  review->add_flag("--reject", o->reject, "reject (needs --reason)");
  review->add_option("--reason", o->reason, "the question or the reason, for the provider");
  review->add_option("--version", o->version,
                     "the version reviewed (default: the newest, as read now)");
  review->callback(run(RunReportReview));

  // The read-only queries, under `query` (tables, or -o json|csv) and again under `export csv`
  // and `export json` with that format fixed.
  using Command = int (*)(const GlobalOptions&, const ReportCommandOptions&);
  const auto add_queries = [&, o](CLI::App* parent, std::optional<OutputFormat> format) {
    const auto run_as = [&result, &options, o, format](Command command) {
      return [&result, &options, o, format, command] {
        GlobalOptions chosen = options;
        if (format) {
          chosen.output = *format;
          SetTableFormat(*format);
        }
        result = command(chosen, *o);
      };
    };
    auto* aggregate = parent->add_subcommand(
        "aggregate",
        "counts and declared amounts summed per lot, municipality and/or period, "
        "with totals; small counts suppressed unless they are your own figures");
    aggregate->add_option("covenant", o->covenant, "covenant id")->required();
    aggregate->add_option("--by", o->by,
                          "up to two of lot, municipality, period (e.g. lot,period)");
    aggregate->add_option("--period", o->period, "a quarter (2026-Q2) or a whole year (2026)");
    aggregate->add_option("--lot", o->lot, "only this lot");
    aggregate->add_option("--municipality", o->municipality, "only this municipality (code)");
    aggregate->add_option("--provider", o->provider, "only this provider (KvK number)");
    aggregate->add_option("--kind", o->kind,
                          "QUARTERLY (default), ANNUAL_PRODUCTION or COMPLAINTS_AND_INCIDENTS");
    aggregate->callback(run_as(RunQueryAggregate));
    auto* peers = parent->add_subcommand(
        "peers", "an anonymised comparison of the covenant's providers on one indicator, ranked");
    peers->add_option("covenant", o->covenant, "covenant id")->required();
    peers->add_option("--indicator", o->indicator, "indicator id, e.g. nji-drop-out")->required();
    peers->add_option("--period", o->period, "a quarter (2026-Q2) or a year (2026)")->required();
    peers->add_option("--lot", o->lot, "only this lot");
    peers->callback(run_as(RunQueryPeers));
    auto* budget = parent->add_subcommand(
        "budget",
        "budget exhaustion (budgetuitputting) per municipality and lot: declared "
        "against the budget, with a straight-line forecast to the year's end");
    budget->add_option("covenant", o->covenant, "covenant id")->required();
    budget->add_option("--year", o->year, "the calendar year, e.g. 2026")->required();
    budget->callback(run_as(RunQueryBudget));
    if (format) {
      auto* reports = parent->add_subcommand("reports", "a covenant's reports, as `report list`");
      reports->add_option("covenant", o->covenant, "covenant id")->required();
      reports->add_option("--provider", o->provider, "only this provider (KvK number)");
      reports->add_option("--lot", o->lot, "only reports with a line for this lot");
      reports->add_option("--municipality", o->municipality,
                          "only reports with a line for this municipality (code)");
      reports->add_option("--period", o->period, "a quarter (2026-Q2) or a whole year (2026)");
      reports->add_option("--kind", o->kind, "the kind of report");
      reports->add_option("--state", o->state, "the newest version's state");
      reports->callback(run_as(RunReportList));
    }
  };
  auto* query = app.add_subcommand(
      "query", "read-only questions about accepted reports (auditors, managers, providers)");
  query->require_subcommand(1);
  add_queries(query, std::nullopt);

  auto* export_command = app.add_subcommand("export", "exports for open data and accountability");
  export_command->require_subcommand(1);
  auto* csv = export_command->add_subcommand(
      "csv", "any query (aggregate, peers, budget) or the report list as CSV (RFC 4180)");
  csv->require_subcommand(1);
  add_queries(csv, OutputFormat::kCsv);
  auto* json = export_command->add_subcommand(
      "json", "any query (aggregate, peers, budget) or the report list as JSON");
  json->require_subcommand(1);
  add_queries(json, OutputFormat::kJson);
  auto* statement = export_command->add_subcommand(
      "production-statement",
      "the annual production statement (productieverantwoording) of a municipality, generated "
      "from the accepted quarterly reports: CSV, or JSON with -o json");
  statement->add_option("--year", o->year, "a calendar year that has ended")->required();
  statement->add_option("--municipality", o->municipality, "the municipality (CBS code)")
      ->required();
  statement->callback(run(RunExportProductionStatement));
  auto* ocds = export_command->add_subcommand(
      "ocds",
      "the covenant as an OCDS 1.1.5 release package (Open Contracting Data Standard, with "
      "the techniques and metrics extensions)");
  ocds->add_option("covenant", o->covenant, "covenant id")->required();
  ocds->add_option("--output", o->output, "write to this file (default: standard output)");
  ocds->callback(run(RunExportOcds));
}

void AddProviderCommands(CLI::App& app, const regie::client::GlobalOptions& options, int& result) {
  using namespace regie::client;
  auto o = std::make_shared<ProviderCommandOptions>();
  auto run = [&result, &options,
              o](int (*command)(const GlobalOptions&, const ProviderCommandOptions&)) {
    return [&result, &options, o, command] { result = command(options, *o); };
  };
  const auto provider_flag = [o](CLI::App* command, const std::string& help) {
    command->add_option("--provider", o->provider, help);
  };

  auto* provider = app.add_subcommand("provider", "care providers (zorgaanbieders)");
  provider->require_subcommand(1);
  auto* reg = provider->add_subcommand(
      "register", "register your organisation (providers): KvK number, AGB codes, addresses");
  reg->add_option("-f,--file", o->file, "the Provider as YAML or JSON")->required();
  reg->callback([&result, &options, o] { result = RunProviderRegister(options, *o, false); });
  auto* update = provider->add_subcommand("update", "replace your registration (providers)");
  update->add_option("-f,--file", o->file, "the Provider as YAML or JSON")->required();
  update->callback([&result, &options, o] { result = RunProviderRegister(options, *o, true); });
  auto* show = provider->add_subcommand("show", "a provider's registration");
  show->add_option("provider", o->provider, "KvK number (default: your own)");
  show->callback(run(RunProviderShow));
  auto* list = provider->add_subcommand("list", "registered providers (a provider sees itself)");
  list->callback([&result, &options] { result = RunProviderList(options); });

  auto* evidence = app.add_subcommand(
      "evidence", "a provider's evidence (VOG, insurance, quality mark, ...), by SHA-256");
  evidence->require_subcommand(1);
  auto* add = evidence->add_subcommand("add", "record evidence, or its next revision (providers)");
  add->add_option("evidence", o->evidence_id, "evidence id, e.g. vog-2026")->required();
  add->add_option("--kind", o->kind,
                  "certificate-of-conduct (VOG), liability-insurance, quality-mark (e.g. HKZ), "
                  "chamber-of-commerce-extract, complaints-procedure, wtza-notification")
      ->required();
  add->add_option("--title", o->title, "what it is")->required();
  add->add_option("--issued", o->issued, "issue date, YYYY-MM-DD")->required();
  add->add_option("--expires", o->expires, "first day it is no longer valid, if it expires");
  add->add_option("-f,--file", o->file, "the document (only its SHA-256 is sent)")->required();
  add->callback(run(RunEvidenceAdd));
  auto* evidence_list = evidence->add_subcommand("list", "a provider's evidence, newest revisions");
  provider_flag(evidence_list, "KvK number (default: your own; 'all' with --expiring)");
  evidence_list->add_option("--expiring", o->expiring,
                            "only evidence expired or expiring within this many days, e.g. 60d");
  evidence_list->callback(run(RunEvidenceList));

  auto* application = app.add_subcommand(
      "application", "applications for admission (toelatingsverzoeken) to lots of a covenant");
  application->require_subcommand(1);
  auto* submit = application->add_subcommand("submit", "apply for lots (providers)");
  submit->add_option("covenant", o->covenant, "covenant id")->required();
  submit->add_option("--lot", o->lots, "a lot id; repeat for several")->required();
  submit->add_option("--window", o->window, "accession window date (default: the next open one)");
  submit->add_option("--note", o->note, "a note to the municipality");
  submit->callback(run(RunApplicationSubmit));
  auto* record = application->add_subcommand(
      "record",
      "record an admission decided before the covenant was kept in Regie (overgenomen "
      "toelating; the covenant's procurement staff)");
  record->add_option("covenant", o->covenant, "covenant id")->required();
  record->add_option("--provider", o->provider, "KvK number of the admitted provider")->required();
  record->add_option("--lot", o->lots, "a lot id; repeat for several")->required();
  record
      ->add_option("--from", o->window,
                   "first day: the term's start or an accession window, YYYY-MM-DD")
      ->required();
  record
      ->add_option("--decision", o->note,
                   "the decision (besluit) that admitted the provider: its number and date")
      ->required();
  record->callback(run(RunApplicationRecord));
  auto* app_show =
      application->add_subcommand("show", "an application, its assessments and letters");
  app_show->add_option("application", o->application, "COVENANT/NUMBER")->required();
  app_show->callback(run(RunApplicationShow));
  auto* app_list = application->add_subcommand("list", "the applications of a covenant");
  app_list->add_option("covenant", o->covenant, "covenant id")->required();
  provider_flag(app_list, "only this provider's (KvK number)");
  app_list->add_option("--window", o->window, "only this accession window");
  app_list->callback(run(RunApplicationList));
  auto* withdraw = application->add_subcommand("withdraw", "withdraw your application (providers)");
  withdraw->add_option("application", o->application, "COVENANT/NUMBER")->required();
  withdraw->callback(run(RunApplicationWithdraw));
  auto* assess = application->add_subcommand(
      "assess", "assess one requirement pass/fail (the covenant's procurement staff)");
  assess->add_option("application", o->application, "COVENANT/NUMBER")->required();
  assess->add_option("--requirement", o->requirement, "requirement id, e.g. R1")->required();
  assess->add_flag("--pass", o->pass, "the requirement is met");
  assess->add_flag("--fail", o->fail, "the requirement is not met (needs --motivation)");
  assess->add_option("--motivation", o->motivation,
                     "for --fail: why, citing the requirement by id (R3: ...)");
  assess->add_option("--evidence", o->evidence, "evidence id looked at; repeat for several");
  assess->callback(run(RunApplicationAssess));
  auto* decide = application->add_subcommand(
      "decide", "decide a lot (procurement staff who did not assess it: four eyes)");
  decide->add_option("application", o->application, "COVENANT/NUMBER")->required();
  decide->add_option("--lot", o->lot, "lot id")->required();
  decide->add_flag("--admit", o->admit, "every requirement passed: admit");
  decide->add_flag("--reject", o->reject, "a requirement failed: reject");
  decide->add_option("--letter", o->letter_file, "the letter text (default: the standard letter)");
  decide->callback(run(RunApplicationDecide));
  auto* object = application->add_subcommand(
      "object", "register an objection (bezwaar), appeal (beroep) or complaint against a decision");
  object->add_option("application", o->application, "COVENANT/NUMBER")->required();
  object->add_option("--lot", o->lot, "lot id")->required();
  object->add_option("--kind", o->objection_kind, "objection, appeal or complaint")->required();
  object->add_option("--filed", o->filed, "date it was filed, YYYY-MM-DD")->required();
  object->add_option("--summary", o->summary, "what it says")->required();
  object->callback(run(RunApplicationObject));

  auto* participation = app.add_subcommand(
      "participation", "participations (deelname): a provider admitted to a lot");
  participation->require_subcommand(1);
  auto* part_list = participation->add_subcommand("list", "the participations of a covenant");
  part_list->add_option("covenant", o->covenant, "covenant id")->required();
  provider_flag(part_list, "only this provider's (KvK number)");
  part_list->add_option("--lot", o->lot, "only this lot");
  part_list->add_option("--state", o->state, "active, suspended or ended");
  part_list->callback(run(RunParticipationList));
  auto* suspend = participation->add_subcommand("suspend", "suspend (the covenant's managers)");
  suspend->add_option("participation", o->participation, "COVENANT/KVK-LOT")->required();
  suspend->add_option("--reason", o->reason, "why")->required();
  suspend->add_option("--until", o->until, "reinstated automatically on this day");
  suspend->callback(run(RunParticipationSuspend));
  auto* reinstate = participation->add_subcommand("reinstate", "end a suspension");
  reinstate->add_option("participation", o->participation, "COVENANT/KVK-LOT")->required();
  reinstate->callback(run(RunParticipationReinstate));
  auto* end = participation->add_subcommand(
      "end", "give notice (opzegging, respecting the notice period) or dissolve (ontbinding)");
  end->add_option("participation", o->participation, "COVENANT/KVK-LOT")->required();
  end->add_option("--kind", o->end_kind,
                  "notice-by-provider, notice-by-municipality or dissolution")
      ->required();
  end->add_option("--end-date", o->end_date, "first day it no longer runs")->required();
  end->add_option("--reason", o->reason, "why")->required();
  end->callback(run(RunParticipationEnd));

  auto* public_register =
      app.add_subcommand("register", "the public register (openbaar register) of a covenant");
  public_register->require_subcommand(1);
  auto* register_show =
      public_register->add_subcommand("show", "the providers that may be chosen, per lot");
  register_show->add_option("covenant", o->covenant, "covenant id")->required();
  register_show->add_option("--as-of", o->as_of, "the day (default: today)");
  register_show->add_option("--lot", o->lot, "only this lot");
  register_show->add_option("--municipality", o->municipality, "only this municipality (code)");
  register_show->callback(run(RunRegisterShow));

  auto* admission = app.add_subcommand("admission", "admission rounds under open house");
  admission->require_subcommand(1);
  auto* report = admission->add_subcommand(
      "report", "the equal-treatment report of a window: the requirement versions applied");
  report->add_option("covenant", o->covenant, "covenant id")->required();
  report->add_option("--window", o->window, "the accession window date")->required();
  report->callback(run(RunAdmissionReport));
}

// `regie document`.
void AddDocumentCommands(CLI::App& app, const regie::client::GlobalOptions& options, int& result) {
  using namespace regie::client;
  struct Args {
    DocumentOptions document;
    int revision = 0;
  };
  auto args = std::make_shared<Args>();
  auto* document = app.add_subcommand(
      "document",
      "a covenant's documents (base agreement, lot agreements, clarification notes), "
      "recorded by the SHA-256 of their content");
  document->require_subcommand(1);
  auto* record = document->add_subcommand(
      "record",
      "record a document, or its next revision, from a local file (only its hash and "
      "size are sent)");
  record->add_option("covenant", args->document.covenant, "covenant id")->required();
  record->add_option("document", args->document.document_id, "document id, e.g. base-agreement")
      ->required();
  record
      ->add_option("--kind", args->document.kind,
                   "base-agreement, lot-agreement, clarification-note, process-agreement or other")
      ->required();
  record->add_option("--title", args->document.title, "the document's title")->required();
  record->add_option("-f,--file", args->document.file, "the content")->required();
  record->add_option("--media-type", args->document.media_type, "e.g. application/pdf")
      ->capture_default_str();
  record->add_option("--uri", args->document.uri, "where it is published (https://...)");
  record->callback([&, args] { result = RunDocumentRecord(options, args->document); });
  auto* show = document->add_subcommand("show", "a document's newest revision, or the one asked");
  show->add_option("covenant", args->document.covenant, "covenant id")->required();
  show->add_option("document", args->document.document_id, "document id")->required();
  show->add_option("--revision", args->revision, "a revision number");
  show->callback([&, args] {
    result = RunDocumentShow(options, args->document.covenant, args->document.document_id,
                             args->revision);
  });
  auto* list = document->add_subcommand("list", "the documents of a covenant, newest revisions");
  list->add_option("covenant", args->document.covenant, "covenant id")->required();
  list->callback([&, args] { result = RunDocumentList(options, args->document.covenant); });
  auto* revisions = document->add_subcommand("revisions", "every revision of a document");
  revisions->add_option("covenant", args->document.covenant, "covenant id")->required();
  revisions->add_option("document", args->document.document_id, "document id")->required();
  revisions->callback([&, args] {
    result = RunDocumentRevisions(options, args->document.covenant, args->document.document_id);
  });
}

}  // namespace

int main(int argc, char** argv) {
  regie::grpc_runtime::DisableMutexDeadlockDetection();
  using namespace regie::client;
  GlobalOptions options;
  std::string config_path;
  std::string output = "table";
  int timeout_seconds = 10;

  CLI::App app{"regie: contract management for social care covenants (convenanten)"};
  app.footer(kFooter);
  app.require_subcommand(1);
  app.add_option("--config", config_path,
                 "config file (default $REGIE_CONFIG or "
                 "~/.config/regie/config.json)");
  app.add_option("--profile", options.profile.name, "profile to use");
  app.add_option("--address", options.profile.address, "server host:port (overrides the profile)");
  app.add_option("--cert", options.profile.certificate, "client certificate file");
  app.add_option("--key", options.profile.key, "client private key file");
  app.add_option("--ca", options.profile.ca, "deployment CA certificate file");
  app.add_option("-o,--output", output, "output format")
      ->check(CLI::IsMember({"table", "json", "csv"}))
      ->capture_default_str();
  app.add_option("--timeout", timeout_seconds, "seconds to wait for the server, per attempt")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  app.add_option("--retries", options.retries,
                 "times to retry a call that is safe to repeat (a read, a report submission, a "
                 "settlement run) after UNAVAILABLE or DEADLINE_EXCEEDED, with backoff and the "
                 "same request id (0: never)")
      ->check(CLI::Range(0, 20))
      ->capture_default_str();

  int result = exit_code::kOk;

  auto* health = app.add_subcommand(
      "health", "check that the server is SERVING (grpc.health.v1) and when certificates expire");
  std::string health_service;
  health->add_option("--service", health_service,
                     "one service, e.g. regie.identity.v1.IdentityService (default: the server)");
  int warn_days = 30;
  health
      ->add_option("--warn-days", warn_days,
                   "warn (exit code 8) when the server's certificate, yours or the CA's expires "
                   "within this many days")
      ->check(CLI::Range(0, 3650))
      ->capture_default_str();
  health->callback([&] { result = RunHealth(options, health_service, warn_days); });

  app.add_subcommand("whoami", "show who the server takes you for (from your certificate)")
      ->callback([&] { result = RunWhoAmI(options); });

  auto* admin = app.add_subcommand("admin", "deployment administration: CA and certificates");
  admin->require_subcommand(1);
  auto* ca = admin->add_subcommand("ca", "the deployment certificate authority");
  ca->require_subcommand(1);
  auto* ca_init = ca->add_subcommand("init", "create the CA (ca.crt, ca.key) in --dir");
  CaInitOptions ca_options;
  ca_init->add_option("--dir", ca_options.directory,
                      "CA directory (default $REGIE_CA_DIR or ca/ beside the config file)");
  ca_init->add_option("--name", ca_options.name, "CA common name")->capture_default_str();
  ca_init->add_option("--days", ca_options.valid_days, "validity in days")
      ->check(CLI::Range(1, 36500))
      ->capture_default_str();
  ca_init->callback([&] { result = RunCaInit(options, ca_options); });

  auto* cert = admin->add_subcommand("cert", "user and server certificates");
  cert->require_subcommand(1);
  auto* issue = cert->add_subcommand(
      "issue", "issue a certificate naming a person, a role and an organisation");
  CertIssueOptions issue_options;
  issue
      ->add_option("--role", issue_options.role,
                   "procurement (inkoop), provider (aanbieder), auditor (accountant), admin, "
                   "or server")
      ->required();
  issue
      ->add_option("--org", issue_options.organisation,
                   "procurement: CBS municipality code (gemeentecode, e.g. 9901) or "
                   "region:<slug>; provider: KvK number; auditor: municipality codes in scope, "
                   "comma-separated; admin/server: a name")
      ->required();
  issue->add_option("--name", issue_options.name, "the person (or the server's name)")->required();
  issue->add_option("--ca-dir", issue_options.ca_directory, "CA directory");
  issue->add_option("--out", issue_options.out_directory, "where to write NAME.crt and NAME.key")
      ->capture_default_str();
  issue->add_option("--file-stem", issue_options.file_stem, "file name without extension");
  issue->add_option("--days", issue_options.valid_days, "validity in days")->capture_default_str();
  issue->add_option("--dns", issue_options.dns_names, "server: DNS names (default localhost)");
  issue->add_option("--ip", issue_options.ip_addresses,
                    "server: IP addresses (default 127.0.0.1 and ::1)");
  issue->add_flag("--force", issue_options.overwrite, "overwrite existing files");
  issue->callback([&] { result = RunCertIssue(options, issue_options); });

  auto* revoke = cert->add_subcommand("revoke", "revoke a certificate: every server refuses it");
  std::string serial;
  std::string reason;
  revoke->add_option("serial", serial, "serial number (hexadecimal)")->required();
  revoke->add_option("--reason", reason, "why (required; kept in the audit log)")->required();
  revoke->callback([&] { result = RunCertRevoke(options, serial, reason); });

  cert->add_subcommand("revoked", "list revoked certificates")->callback([&] {
    result = RunCertListRevoked(options);
  });

  auto* audit = app.add_subcommand("audit", "the tamper-evident audit log");
  audit->require_subcommand(1);
  audit
      ->add_subcommand("verify",
                       "recompute every hash and checkpoint signature of the audit log locally")
      ->callback([&] { result = RunAuditVerify(options); });
  auto* audit_log = audit->add_subcommand(
      "log", "who changed what and why: the audit events of a resource and everything below it");
  auto audit_resource = std::make_shared<std::string>();
  auto audit_since = std::make_shared<std::string>();
  audit_log
      ->add_option("--resource", *audit_resource,
                   "a resource name, e.g. covenants/C or covenants/C/reports/REPORT_ID")
      ->required();
  audit_log->add_option("--since", *audit_since, "only events on or after this day, YYYY-MM-DD");
  auto* as_of = audit->add_subcommand(
      "as-of", "a covenant, lot, requirement, agreement or report as it stood on a day (JSON)");
  auto as_of_name = std::make_shared<std::string>();
  auto as_of_date = std::make_shared<std::string>();
  as_of->add_option("name", *as_of_name, "the resource name, e.g. covenants/C/reports/REPORT_ID")
      ->required();
  as_of->add_option("--date", *as_of_date, "the day, YYYY-MM-DD")->required();
  as_of->callback(
      [&, as_of_name, as_of_date] { result = RunAuditAsOf(options, *as_of_name, *as_of_date); });
  audit_log->callback([&, audit_resource, audit_since] {
    result = RunAuditLog(options, *audit_resource, *audit_since);
  });

  auto* municipality =
      app.add_subcommand("municipality", "municipalities (gemeenten), by CBS code: reference data");
  municipality->require_subcommand(1);
  municipality->add_subcommand("list", "list municipalities")->callback([&] {
    result = RunMunicipalityList(options);
  });
  auto* municipality_show = municipality->add_subcommand("show", "show one municipality");
  std::string municipality_id;
  municipality_show->add_option("code", municipality_id, "CBS code, e.g. 9901")->required();
  municipality_show->callback([&] { result = RunMunicipalityShow(options, municipality_id); });
  auto* municipality_create =
      municipality->add_subcommand("create", "register a municipality (admin)");
  std::string municipality_code;
  std::string municipality_name;
  municipality_create->add_option("--code", municipality_code, "4-digit CBS code (gemeentecode)")
      ->required();
  municipality_create->add_option("--name", municipality_name, "e.g. Duinhaven")->required();
  municipality_create->callback(
      [&] { result = RunMunicipalityCreate(options, municipality_code, municipality_name); });

  auto* region = app.add_subcommand(
      "region", "regions (regio's) of municipalities contracting together: reference data");
  region->require_subcommand(1);
  auto* region_list = region->add_subcommand("list", "list regions");
  std::string region_member;
  region_list->add_option("--municipality", region_member,
                          "only regions this municipality (CBS code) belongs to");
  region_list->callback([&] { result = RunRegionList(options, region_member); });
  auto* region_show = region->add_subcommand("show", "show one region");
  std::string region_id;
  region_show->add_option("region", region_id, "region id, e.g. duinstreek")->required();
  region_show->callback([&] { result = RunRegionShow(options, region_id); });
  auto* region_create = region->add_subcommand("create", "register a region (admin)");
  RegionOptions region_options;
  region_create->add_option("--id", region_options.region_id, "e.g. duinstreek")->required();
  region_create->add_option("--name", region_options.display_name, "e.g. Regio Duinstreek")
      ->required();
  region_create
      ->add_option("--municipalities", region_options.municipalities,
                   "member CBS codes, comma-separated")
      ->delimiter(',')
      ->required();
  region_create
      ->add_option("--lead", region_options.lead,
                   "the lead municipality (centrumgemeente), one of the members")
      ->required();
  region_create->callback([&] { result = RunRegionCreate(options, region_options); });

  auto* covenant = app.add_subcommand(
      "covenant", "covenants (convenanten): the framework agreements and their terms");
  covenant->require_subcommand(1);
  auto* covenant_create = covenant->add_subcommand(
      "create",
      "create a draft covenant from a file (procurement of a participating municipality)");
  std::string covenant_file;
  covenant_create
      ->add_option("-f,--file", covenant_file,
                   "a CreateCovenantRequest as JSON or YAML (protobuf JSON mapping, see "
                   "proto/regie/covenants/v1/covenants.proto)")
      ->required();
  covenant_create->callback([&] { result = RunCovenantCreate(options, covenant_file); });
  auto* covenant_list = covenant->add_subcommand("list", "list the covenants you may see");
  CovenantListOptions covenant_filter;
  covenant_list->add_option("--state", covenant_filter.state,
                            "draft, published, active, extended, ended or terminated");
  covenant_list->add_option("--municipality", covenant_filter.municipality,
                            "only covenants this municipality (CBS code) takes part in");
  covenant_list->add_option("--legal-basis", covenant_filter.legal_basis,
                            "wmo-2015, jeugdwet or participatiewet");
  covenant_list->callback([&] { result = RunCovenantList(options, covenant_filter); });
  auto* covenant_show = covenant->add_subcommand("show", "show a covenant's terms");
  std::string covenant_name;
  std::string covenant_as_of;
  covenant_show->add_option("name", covenant_name, "covenant id")->required();
  covenant_show->add_option("--as-of", covenant_as_of,
                            "the terms in force on this date (YYYY-MM-DD; default today)");
  covenant_show->callback(
      [&] { result = RunCovenantShow(options, covenant_name, covenant_as_of); });
  auto* covenant_publish = covenant->add_subcommand(
      "publish", "publish a draft: its terms are fixed and everyone may read them");
  covenant_publish->add_option("name", covenant_name, "covenant id")->required();
  covenant_publish->callback([&] { result = RunCovenantPublish(options, covenant_name); });
  auto* covenant_deadlines = covenant->add_subcommand(
      "deadlines",
      "upcoming dates of the running covenants you may see: term ends, notice, "
      "accession windows, reports due");
  DeadlineOptions deadline_options;
  covenant_deadlines->add_option("--within", deadline_options.within, "days ahead, e.g. 90d")
      ->capture_default_str();
  covenant_deadlines->add_option("--from", deadline_options.from,
                                 "first day (YYYY-MM-DD; default today)");
  covenant_deadlines->add_option("--covenant", deadline_options.covenant, "one covenant only");
  covenant_deadlines->callback([&] { result = RunCovenantDeadlines(options, deadline_options); });
  auto* covenant_extend = covenant->add_subcommand(
      "extend", "use one extension option (verlenging) of an active covenant");
  covenant_extend->add_option("name", covenant_name, "covenant id")->required();
  covenant_extend->callback([&] { result = RunCovenantExtend(options, covenant_name); });
  auto* covenant_terminate =
      covenant->add_subcommand("terminate", "end a covenant early, recording who, why and when");
  std::string terminate_reason;
  std::string terminate_from;
  covenant_terminate->add_option("name", covenant_name, "covenant id")->required();
  covenant_terminate->add_option("--reason", terminate_reason, "why (required)")->required();
  covenant_terminate->add_option("--from", terminate_from,
                                 "first day it no longer applies (YYYY-MM-DD; default today)");
  covenant_terminate->callback([&] {
    result = RunCovenantTerminate(options, covenant_name, terminate_reason, terminate_from);
  });
  auto* covenant_amend = covenant->add_subcommand(
      "amend",
      "propose an amendment (wijziging) of a published covenant's terms; with --adopt-at, adopt "
      "it at a held meeting right away");
  std::string amend_file;
  std::string amend_meeting;
  covenant_amend->add_option("name", covenant_name, "covenant id")->required();
  covenant_amend
      ->add_option("-f,--file", amend_file,
                   "an Amendment as JSON or YAML: title, rationale, effective_date and a "
                   "terms_change or tariff_indexation (see proto/regie/covenants/v1/"
                   "consultation.proto)")
      ->required();
  covenant_amend->add_option("--adopt-at", amend_meeting,
                             "a held meeting: COVENANT/NUMBER or its full name");
  covenant_amend->callback(
      [&] { result = RunCovenantAmend(options, covenant_name, amend_file, amend_meeting); });
  auto* covenant_versions =
      covenant->add_subcommand("versions", "the versions of a covenant's terms");
  covenant_versions->add_option("name", covenant_name, "covenant id")->required();
  covenant_versions->callback([&] { result = RunCovenantVersions(options, covenant_name); });
  auto* covenant_diff =
      covenant->add_subcommand("diff", "what changed between two versions: field, before, after");
  int diff_from = 0;
  int diff_to = 0;
  covenant_diff->add_option("name", covenant_name, "covenant id")->required();
  covenant_diff->add_option("from", diff_from, "version")->required();
  covenant_diff->add_option("to", diff_to, "version")->required();
  covenant_diff->callback(
      [&] { result = RunCovenantDiff(options, covenant_name, diff_from, diff_to); });

  auto* question = app.add_subcommand(
      "question", "questions about a covenant (nota van inlichtingen): answers go to everyone");
  question->require_subcommand(1);
  std::string question_target;
  std::string question_text;
  auto* question_ask = question->add_subcommand("ask", "ask a question (providers)");
  question_ask->add_option("covenant", question_target, "covenant id")->required();
  question_ask->add_option("--text", question_text, "the question")->required();
  question_ask->callback([&] { result = RunQuestionAsk(options, question_target, question_text); });
  auto* question_answer =
      question->add_subcommand("answer", "answer and publish a question (the covenant's managers)");
  question_answer
      ->add_option("question", question_target, "covenants/{covenant}/questions/{number}")
      ->required();
  question_answer->add_option("--text", question_text, "the answer")->required();
  question_answer->callback(
      [&] { result = RunQuestionAnswer(options, question_target, question_text); });
  auto* question_list = question->add_subcommand("list", "the questions you may see");
  question_list->add_option("covenant", question_target, "covenant id")->required();
  question_list->callback([&] { result = RunQuestionList(options, question_target); });

  AddCatalogueCommands(app, options, result);
  AddConsultationCommands(app, options, result);
  AddDocumentCommands(app, options, result);
  AddProviderCommands(app, options, result);
  AddOutcomeCommands(app, options, result);
  AddReportCommands(app, options, result);

  auto* config = app.add_subcommand("config", "profiles in the config file");
  config->require_subcommand(1);
  auto* set_profile = config->add_subcommand("set-profile", "add or replace a profile");
  std::string profile_name;
  Profile profile;
  bool make_default = false;
  set_profile->add_option("name", profile_name, "profile name")->required();
  set_profile->add_option("--server", profile.address, "server host:port")->required();
  set_profile->add_option("--client-cert", profile.certificate, "client certificate")->required();
  set_profile->add_option("--client-key", profile.key, "client private key")->required();
  set_profile->add_option("--ca-cert", profile.ca, "deployment CA certificate")->required();
  set_profile->add_flag("--default", make_default, "use this profile when none is chosen");
  std::vector<std::string> area_addresses;
  set_profile
      ->add_option("--area", area_addresses,
                   "AREA=HOST:PORT: a service area served at an address of its own (covenants, "
                   "providers, outcomes, reports; one server per area); repeat for each")
      ->type_name("AREA=HOST:PORT");
  set_profile->callback([&] {
    result = RunConfigSetProfile(options, profile_name, profile, area_addresses, make_default);
  });
  config->add_subcommand("show", "list the profiles")->callback([&] {
    result = RunConfigShow(options);
  });

  auto* completion = app.add_subcommand("completion", "shell completion scripts");
  completion->require_subcommand(1);
  completion
      ->add_subcommand("bash", "print the bash completion script (source <(regie completion bash))")
      ->callback([&] { std::cout << BashCompletion(app); });
  // For tests and documentation (hidden): every command with its example, tab-separated, and
  // an error for each command lacking one.
  const auto without_example = AddExamples(app);
  app.add_subcommand("commands", "")->group("")->callback([&] {
    for (const auto& path : LeafCommandPaths(app)) {
      std::cout << path << "\t" << ExampleOf(path) << "\n";
    }
    for (const auto& path : without_example) {
      std::cerr << "regie: no example for `regie " << path << "`\n";
    }
    result = without_example.empty() ? exit_code::kOk : exit_code::kInternal;
  });

  // Global options are known before any subcommand callback runs.
  app.parse_complete_callback([&] {
    options.config_path =
        config_path.empty() ? DefaultConfigPath() : std::filesystem::path(config_path);
    options.output = output == "json"  ? OutputFormat::kJson
                     : output == "csv" ? OutputFormat::kCsv
                                       : OutputFormat::kTable;
    SetTableFormat(options.output);
    options.timeout = std::chrono::seconds(timeout_seconds);
  });

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      return app.exit(e);
    }
    std::cerr << "regie: " << e.what() << " (see regie --help)\n";
    return exit_code::kUsage;
  }
  return result;
}
