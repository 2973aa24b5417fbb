#pragma once

// The `regie` commands, apart from their command-line parsing (regie_main.cpp), so that each one
// is a plain function: options in, output on stdout, one-line error on stderr, exit code out.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "profile.hpp"

namespace regie::client {

// Documented in `regie --help` and docs/cli.md. Scripts rely on them: never renumber.
namespace exit_code {
inline constexpr int kOk = 0;
inline constexpr int kInternal = 1;      // a bug or an unexpected failure
inline constexpr int kUsage = 2;         // bad flags or arguments
inline constexpr int kConfig = 3;        // local configuration or files (profile, certificates)
inline constexpr int kRefused = 4;       // the server answered with an error
inline constexpr int kUnavailable = 5;   // the server could not be reached or timed out
inline constexpr int kVerifyFailed = 6;  // `regie audit verify` found the log altered
inline constexpr int kNotServing = 7;    // `regie health`: reachable but not SERVING
inline constexpr int kExpiring = 8;      // `regie health`: a certificate expires within --warn-days
}  // namespace exit_code

// Tables print aligned for people, or as CSV (RFC 4180) for spreadsheets; single resources and
// lists can also print as JSON.
enum class OutputFormat { kTable, kJson, kCsv };

// How tables print for the rest of the process: aligned columns, or CSV (kCsv).
void SetTableFormat(OutputFormat format);

struct GlobalOptions {
  std::filesystem::path config_path;
  ProfileOverrides profile;
  OutputFormat output = OutputFormat::kTable;
  std::chrono::milliseconds timeout{10000};  // per attempt
  int retries = 3;  // of calls safe to repeat (retry_policy.hpp), after transient failures
};

// Health of the server (or one service), and when the server's certificate, the caller's own and
// the CA's expire; a warning on stderr for each that expires within `warn_days`.
int RunHealth(const GlobalOptions& options, const std::string& service, int warn_days);
int RunWhoAmI(const GlobalOptions& options);

struct CaInitOptions {
  std::filesystem::path directory;
  std::string name = "Regie development CA";
  int valid_days = 3650;
};
int RunCaInit(const GlobalOptions& options, const CaInitOptions& ca);

struct CertIssueOptions {
  std::filesystem::path ca_directory;
  std::string role;  // procurement, provider, auditor, admin, or server
  std::string organisation;
  std::string name;
  std::filesystem::path out_directory = ".";
  std::string file_stem;  // default: derived from the name
  int valid_days = 365;
  std::vector<std::string> dns_names;     // server only
  std::vector<std::string> ip_addresses;  // server only
  bool overwrite = false;
};
int RunCertIssue(const GlobalOptions& options, const CertIssueOptions& issue);

int RunCertRevoke(const GlobalOptions& options, const std::string& serial,
                  const std::string& reason);
int RunCertListRevoked(const GlobalOptions& options);

int RunAuditVerify(const GlobalOptions& options);
// `regie audit log`: who changed what and why for `resource` and everything below it, from the
// ISO day `since` ("" for all).
// `regie audit as-of`: the resource `name` as it stood on the ISO day `date` (covenants, lots,
// requirements, agreements, reports), as JSON.
int RunAuditAsOf(const GlobalOptions& options, const std::string& name, const std::string& date);
int RunAuditLog(const GlobalOptions& options, const std::string& resource,
                const std::string& since);

// Reference data (municipalities, regions). Names may be given as an id ("9901", "duinstreek")
// or as a resource name ("municipalities/9901").
int RunMunicipalityList(const GlobalOptions& options);
int RunMunicipalityShow(const GlobalOptions& options, const std::string& municipality);
int RunMunicipalityCreate(const GlobalOptions& options, const std::string& code,
                          const std::string& display_name);

struct RegionOptions {
  std::string region_id;
  std::string display_name;
  std::vector<std::string> municipalities;
  std::string lead;
};
int RunRegionList(const GlobalOptions& options, const std::string& municipality);
int RunRegionShow(const GlobalOptions& options, const std::string& region);
int RunRegionCreate(const GlobalOptions& options, const RegionOptions& region);

// Covenants (convenanten). NAME may be an id or `covenants/{id}`.
int RunCovenantCreate(const GlobalOptions& options, const std::filesystem::path& file);
struct CovenantListOptions {
  std::string state;         // draft, published, active, extended, ended, terminated
  std::string municipality;  // CBS code
  std::string legal_basis;   // wmo-2015, jeugdwet, participatiewet
};
int RunCovenantList(const GlobalOptions& options, const CovenantListOptions& filter);
int RunCovenantShow(const GlobalOptions& options, const std::string& covenant,
                    const std::string& as_of);
int RunCovenantPublish(const GlobalOptions& options, const std::string& covenant);
struct DeadlineOptions {
  std::string within = "90d";  // days ahead: "90d" or "90"
  std::string from;            // YYYY-MM-DD; default today
  std::string covenant;        // one covenant only
};
int RunCovenantDeadlines(const GlobalOptions& options, const DeadlineOptions& deadlines);
int RunCovenantVersions(const GlobalOptions& options, const std::string& covenant);
// Questions (nota van inlichtingen). QUESTION is `covenants/{c}/questions/{n}`.
int RunQuestionAsk(const GlobalOptions& options, const std::string& covenant,
                   const std::string& text);
int RunQuestionAnswer(const GlobalOptions& options, const std::string& question,
                      const std::string& answer);
int RunQuestionList(const GlobalOptions& options, const std::string& covenant);
int RunCovenantExtend(const GlobalOptions& options, const std::string& covenant);
int RunCovenantTerminate(const GlobalOptions& options, const std::string& covenant,
                         const std::string& reason, const std::string& effective_date);
int RunCovenantDiff(const GlobalOptions& options, const std::string& covenant, int from_version,
                    int to_version);

// Lots and admission requirements as in force on `as_of` (YYYY-MM-DD; "" for today).
int RunLotList(const GlobalOptions& options, const std::string& covenant, const std::string& as_of);
int RunLotShow(const GlobalOptions& options, const std::string& covenant, const std::string& lot,
               const std::string& as_of);
// `lot`: only requirements that apply to it ("" for all).
int RunRequirementList(const GlobalOptions& options, const std::string& covenant,
                       const std::string& lot, const std::string& as_of);
int RunRequirementShow(const GlobalOptions& options, const std::string& covenant,
                       const std::string& requirement, const std::string& as_of);

// The consultation table (overlegtafel). MEETING and AMENDMENT are COVENANT/NUMBER or their full
// names, e.g. jeugd-wmo-duinstreek-2026/1 or covenants/jeugd-wmo-duinstreek-2026/meetings/1.
struct MeetingOptions {
  std::string covenant;
  std::string date;  // YYYY-MM-DD
  std::string location;
  std::vector<std::string> agenda;
};
int RunMeetingSchedule(const GlobalOptions& options, const MeetingOptions& meeting);
int RunMeetingMinutes(const GlobalOptions& options, const std::string& meeting,
                      const std::filesystem::path& minutes_file,
                      const std::vector<std::string>& decisions);
int RunMeetingCancel(const GlobalOptions& options, const std::string& meeting,
                     const std::string& reason);
int RunMeetingShow(const GlobalOptions& options, const std::string& meeting);
int RunMeetingList(const GlobalOptions& options, const std::string& covenant);

// Amendments (wijzigingen): `file` holds an Amendment (JSON or YAML); with `adopt_at` (a held
// meeting) it is adopted right after it is proposed.
int RunCovenantAmend(const GlobalOptions& options, const std::string& covenant,
                     const std::filesystem::path& file, const std::string& adopt_at);
int RunAmendmentAdopt(const GlobalOptions& options, const std::string& amendment,
                      const std::string& meeting);
int RunAmendmentWithdraw(const GlobalOptions& options, const std::string& amendment);
int RunAmendmentShow(const GlobalOptions& options, const std::string& amendment);
int RunAmendmentList(const GlobalOptions& options, const std::string& covenant);

// Documents of a covenant, recorded by the SHA-256 and size of a local file.
struct DocumentOptions {
  std::string covenant;
  std::string document_id;
  std::string kind;  // base-agreement, lot-agreement, clarification-note, process-agreement, other
  std::string title;
  std::filesystem::path file;
  std::string media_type = "application/pdf";
  std::string uri;
};
int RunDocumentRecord(const GlobalOptions& options, const DocumentOptions& document);
// `revision` 0 shows the newest.
int RunDocumentShow(const GlobalOptions& options, const std::string& covenant,
                    const std::string& document, int revision);
int RunDocumentList(const GlobalOptions& options, const std::string& covenant);
int RunDocumentRevisions(const GlobalOptions& options, const std::string& covenant,
                         const std::string& document);

// `area_addresses`: "AREA=HOST:PORT" each (--area), added to the profile's areas.
int RunConfigSetProfile(const GlobalOptions& options, const std::string& name, Profile profile,
                        const std::vector<std::string>& area_addresses, bool make_default);
int RunConfigShow(const GlobalOptions& options);

// `regie provider|evidence|application|participation|register|admission`: providers and their
// admission (docs/adr/0007). One set of parsed arguments serves every one of these commands.
struct ProviderCommandOptions {
  std::filesystem::path file;  // provider register|update -f; evidence add -f
  std::string provider;        // KvK number or providers/{kvk}; "" for the caller's own
  // Evidence.
  std::string evidence_id;
  std::string kind;
  std::string title;
  std::string issued;
  std::string expires;
  std::string expiring;  // "60d"
  // Applications: APP is COVENANT/NUMBER or the full name.
  std::string covenant;
  std::string application;
  std::string window;
  std::string note;
  std::vector<std::string> lots;
  std::string requirement;
  bool pass = false;
  bool fail = false;
  std::string motivation;
  std::vector<std::string> evidence;  // evidence ids of the applicant
  std::string lot;
  bool admit = false;
  bool reject = false;
  std::filesystem::path letter_file;
  std::string objection_kind;
  std::string filed;
  std::string summary;
  // Participations: COVENANT/KVK-LOT or the full name.
  std::string participation;
  std::string reason;
  std::string until;
  std::string end_kind;
  std::string end_date;
  std::string state;
  std::string as_of;
  std::string municipality;
};

int RunProviderRegister(const GlobalOptions& options, const ProviderCommandOptions& o, bool update);
int RunProviderShow(const GlobalOptions& options, const ProviderCommandOptions& o);
int RunProviderList(const GlobalOptions& options);
int RunEvidenceAdd(const GlobalOptions& options, const ProviderCommandOptions& o);
int RunEvidenceList(const GlobalOptions& options, const ProviderCommandOptions& o);
int RunApplicationRecord(const GlobalOptions& options, const ProviderCommandOptions& o);
int RunApplicationSubmit(const GlobalOptions& options, const ProviderCommandOptions& o);
int RunApplicationShow(const GlobalOptions& options, const ProviderCommandOptions& o);
int RunApplicationList(const GlobalOptions& options, const ProviderCommandOptions& o);
int RunApplicationWithdraw(const GlobalOptions& options, const ProviderCommandOptions& o);
int RunApplicationAssess(const GlobalOptions& options, const ProviderCommandOptions& o);
int RunApplicationDecide(const GlobalOptions& options, const ProviderCommandOptions& o);
int RunApplicationObject(const GlobalOptions& options, const ProviderCommandOptions& o);
int RunParticipationList(const GlobalOptions& options, const ProviderCommandOptions& o);
int RunParticipationSuspend(const GlobalOptions& options, const ProviderCommandOptions& o);
int RunParticipationReinstate(const GlobalOptions& options, const ProviderCommandOptions& o);
int RunParticipationEnd(const GlobalOptions& options, const ProviderCommandOptions& o);
int RunRegisterShow(const GlobalOptions& options, const ProviderCommandOptions& o);
int RunAdmissionReport(const GlobalOptions& options, const ProviderCommandOptions& o);

// `regie indicator`, `agreement` and `settle` (outcome agreements and settlement).
struct OutcomeCommandOptions {
  std::filesystem::path file;  // agreement create|amend -f
  std::string covenant;
  std::string indicator;
  // Agreements: COVENANT/LOT/ID or the full name.
  std::string agreement;
  std::string amendment;  // COVENANT/NUMBER or the full name
  std::string lot;
  std::string provider;  // KvK number or providers/{kvk}
  std::string as_of;
  int version = 0;
  // Settlements: COVENANT/ID or the full name.
  std::string settlement;
  std::string period;
  // Recovery.
  std::string planned;  // euros, e.g. 1000000 or 1000000.00
  std::string error_rate;
  std::string tolerance;
  std::string penalty;
};

int RunIndicatorList(const GlobalOptions& options, const OutcomeCommandOptions& o);
int RunIndicatorShow(const GlobalOptions& options, const OutcomeCommandOptions& o);
int RunAgreementCreate(const GlobalOptions& options, const OutcomeCommandOptions& o);
int RunAgreementShow(const GlobalOptions& options, const OutcomeCommandOptions& o);
int RunAgreementList(const GlobalOptions& options, const OutcomeCommandOptions& o);
int RunAgreementAmend(const GlobalOptions& options, const OutcomeCommandOptions& o);
int RunAgreementVersions(const GlobalOptions& options, const OutcomeCommandOptions& o);
int RunSettleRun(const GlobalOptions& options, const OutcomeCommandOptions& o);
int RunSettleShow(const GlobalOptions& options, const OutcomeCommandOptions& o);
int RunSettleList(const GlobalOptions& options, const OutcomeCommandOptions& o);
int RunSettleExplain(const GlobalOptions& options, const OutcomeCommandOptions& o);
int RunSettleRecovery(const GlobalOptions& options, const OutcomeCommandOptions& o);

struct ReportCommandOptions {
  std::filesystem::path file;  // report submit|upload -f: a ReportContent as YAML or JSON
  std::string request_id;      // submit|upload: to retry a submission safely (default: fresh)
  std::string covenant;
  std::string report;  // COVENANT/REPORT_ID or the full name
  int version = 0;
  // Filters of `report list`.
  std::string provider;
  std::string lot;
  std::string municipality;
  std::string period;
  std::string kind;
  std::string state;
  // Review.
  bool accept = false;
  bool question = false;
  bool reject = false;
  std::string reason;
  // `query aggregate --by`: comma-separated dimensions.
  std::string by;
  int year = 0;           // `query budget --year`
  std::string indicator;  // `query peers --indicator`
  // `export ... --output`: the file to write (default: standard output).
  std::filesystem::path output;
};

int RunReportSubmit(const GlobalOptions& options, const ReportCommandOptions& o);
int RunReportUpload(const GlobalOptions& options, const ReportCommandOptions& o);
int RunReportList(const GlobalOptions& options, const ReportCommandOptions& o);
int RunReportShow(const GlobalOptions& options, const ReportCommandOptions& o);
int RunReportVersions(const GlobalOptions& options, const ReportCommandOptions& o);
int RunReportVerify(const GlobalOptions& options, const ReportCommandOptions& o);
int RunReportReview(const GlobalOptions& options, const ReportCommandOptions& o);
int RunQueryAggregate(const GlobalOptions& options, const ReportCommandOptions& o);
int RunQueryPeers(const GlobalOptions& options, const ReportCommandOptions& o);
int RunQueryBudget(const GlobalOptions& options, const ReportCommandOptions& o);
int RunExportProductionStatement(const GlobalOptions& options, const ReportCommandOptions& o);
int RunExportOcds(const GlobalOptions& options, const ReportCommandOptions& o);

// "1000000", "1000000.5" or "1000000.00" euros as eurocents; nullopt for anything else.
std::optional<std::int64_t> ParseEuros(const std::string& text);

// $REGIE_CA_DIR, else the "ca" folder beside the config file.
std::filesystem::path DefaultCaDirectory(const std::filesystem::path& config_path);

}  // namespace regie::client
