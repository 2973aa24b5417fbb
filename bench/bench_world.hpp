#pragma once

// What every scenario of regie-bench shares: the options, the bench's world on the running stack
// (covenants, providers and their certificates), realistic reports, and the drivers that time
// calls (concurrently for a duration, or one after another).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <pqxx/pqxx>

#include "bench_support.hpp"
#include "profile.hpp"
#include "regie/covenants/v1/covenants.pb.h"
#include "regie/reports/v1/reports.pb.h"
#include "regie_client.hpp"

namespace regie::bench {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string address;
  std::filesystem::path ca_dir;     // ca.crt and ca.key of the deployment CA
  std::filesystem::path certs_dir;  // server, procurement and admin .crt/.key
  std::filesystem::path fixtures;   // tests/fixtures/duinstreek
  std::string database_url;
  int server_pid = 0;
  std::filesystem::path server_binary;
  std::string server_database_url;
  std::vector<int> concurrency = {1, 4, 16};
  double seconds = 10;
  // submit: the length of Regie's and the baseline's turns (Alternately). Half a second, so that
  // a disturbance of a few seconds, such as autovacuum's work on one side's tables, falls on both
  // (docs/performance.md, sixteenth round; 2 s before).
  double turn_seconds = 0.5;
  bool smoke = false;
  std::filesystem::path json_out;
  std::filesystem::path scratch;  // certificates issued for the run
};

// The bench's municipalities ("9901" ...): ten, so that a report has realistic breadth.
std::vector<std::string> MunicipalityCodes();

client::RegieClient Connect(const client::Profile& profile);
// The admin, the procurement staff of 9901 and the other certificates of the deployment.
client::Profile ProfileOf(const Options& o, const std::string& stem);

// Creates the municipalities with these codes that do not exist yet.
void CreateMunicipalities(const Options& o, const std::vector<std::string>& codes);
// Creates (or finds) the municipalities and `count` registered providers 70000000, 70000001, ...
// each with its own certificate; returns their KvK numbers and profiles in order.
struct Providers {
  std::vector<std::string> kvks;
  std::vector<client::Profile> profiles;
};
Providers RegisterProviders(const Options& o, int count);

// A published covenant from the Duinstreek fixture over the bench's municipalities, with a term
// from 2000 through 2099 (so that a century of quarters has ended), created by the procurement
// staff of 9901 after `adjust` had its say on the terms; returns `covenants/{id}`. Its term has
// begun, so the server's calendar puts it in force at its next tick (a new etag, a change).
std::string PublishedCovenant(
    const Options& o, const std::string& label,
    const std::function<void(covenants::v1::CovenantTerms&)>& adjust = {});

// PublishedCovenant, once the calendar has put it in force (waited for): what providers report to,
// with no change to come while the bench measures.
std::string CovenantInForce(const Options& o, const std::string& label,
                            const std::function<void(covenants::v1::CovenantTerms&)>& adjust = {});

// Records `kvk`'s admission to `lots` of `covenant` from 1 January 2000.
void Admit(const Options& o, const std::string& covenant, const std::string& kvk,
           const std::vector<std::string>& lots);

// The `n`-th report of a provider: quarters from 2000-Q1 through 2024-Q4, then corrections of
// them (new versions). Realistic size: 3 municipalities x 2 lots, with amounts in P1 and the five
// outcome indicators in P6.
reports::v1::ReportContent NthReport(const std::string& covenant, const std::string& kvk, int n);

// Where a report version is stored: its id, its version and the first day of its period.
struct ReportKey {
  std::string report_id;
  int version = 1;
  std::string period_start;  // ISO 8601 date
};

// The key Regie gives the `n`-th report of a provider (NthReport): the report id of its quarter
// in Regie's form (`{kvk}-{year}-q{quarter}`, reports::ReportId) and one version more for each
// correction. The baseline stores its rows under the same keys, so that its indexes grow as
// Regie's do: every correction goes next to the earlier versions of its quarter.
ReportKey NthReportKey(const std::string& kvk, int n);

// The baseline's tables (schema bench_baseline): the shapes of the report tables, without
// Regie's foreign keys.
void CreateBaselineTables(pqxx::connection& connection);

// The baseline's row of a report version, as Regie stores one (signature and certificate of
// realistic size).
void InsertBaselineHeader(pqxx::work& tx, const std::string& covenant_id, const ReportKey& key,
                          const std::string& kvk, const std::string& remarks);

// For the seeded scenarios: accepted version 1 of the quarterly reports of providers 70000000 ..
// +providers-1 for `quarters` quarters from the `first_quarter`-th after 2000-Q1 (0 for 2000-Q1),
// without lines; the caller adds those and calls reports.refresh_accepted_versions.
void SeedAcceptedReports(pqxx::work& tx, const std::string& covenant_id, int first_quarter,
                         int quarters, int providers);

// `clients` threads doing `one(client, n)` for `seconds`; the latencies of every call.
Run Concurrently(int clients, double seconds, const std::function<void(int, int)>& one);

// The machine's speed at this moment, as the milliseconds it takes to hash the same 32 MiB
// (SHA-256) on every core at once; the faster of two tries. Lower is faster. The host of a shared
// VM lends it more or less of its cores from moment to moment: here the same work took up to 1.6
// times as long, in spells of tens of seconds (docs/performance.md, eleventh round). Whatever else
// runs on the machine (the stack's background work) counts too.
double MachineProbeMs();

// PostgreSQL's autovacuum, as `connection` sees it now: the vacuums and analyses it has finished
// on all tables so far, and its workers at work. It visits each database once a minute
// (autovacuum_naptime) and works on the tables that have grown enough since its last visit; on
// two cores its work slows both sides of a measurement (docs/performance.md, fourteenth round).
struct Autovacuum {
  std::int64_t finished = 0;
  std::int64_t working = 0;
};
Autovacuum AutovacuumNow(pqxx::connection& connection);

// What autovacuum did between `before` and `after`, for a note under a row: "none", or how many
// vacuums and analyses of a table it finished, and whether it was at work at either end.
std::string AutovacuumBetween(const Autovacuum& before, const Autovacuum& after);

// What Alternately measured: Regie's run, the baseline's, and the median of the machine probes
// taken before each turn (MachineProbeMs).
struct Turns {
  Run regie;
  Run baseline;
  double machine_probe_ms = 0;
};

// Regie's calls and the baseline's, each `clients` threads doing `one(client, n)` for `seconds` in
// all, taking `turns` turns of seconds / turns each: R B, B R, R B, ... A shared VM's speed drifts
// by tens of percent within a minute; in turns the drift falls on both sides alike, where one
// block after the other gave it to one side. Each client's n counts on from turn to turn.
// Before the turns, each side calls for `warmup_seconds` unmeasured, so that both are measured
// warm: Regie's channels make their TLS handshakes on their first call, where the baseline's
// connections were made before, and a server's first calls start its threads and its pooled
// connections' prepared statements.
Turns Alternately(int clients, double warmup_seconds, double seconds, int turns,
                  const std::function<void(int, int)>& regie,
                  const std::function<void(int, int)>& baseline);

// `one(i)` for i = 0 .. times-1, one after another; the latencies of every call.
Run OneAfterAnother(int times, const std::function<void(int)>& one);

// Regie's `regie(i)` and the baseline's `baseline(i)` for i = 0 .. times-1, one call after
// another in pairs whose order alternates (R B, B R, ...), so that the VM's drift falls on both
// sides alike, as in Alternately. Each side's throughput is its calls over the time they took.
// Returns Regie's run and the baseline's.
std::pair<Run, Run> InPairs(int times, const std::function<void(int)>& regie,
                            const std::function<void(int)>& baseline);

}  // namespace regie::bench
