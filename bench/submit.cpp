// Scenario 1 of regie-bench: submitting signed quarterly reports (scenarios.hpp).

#include <algorithm>
#include <cmath>

#include <pqxx/pqxx>

#include "crypto.hpp"
#include "input_file.hpp"
#include "regie/reports/v1/reports.grpc.pb.h"
#include "report_signing.hpp"
#include "scenarios.hpp"
#include "targets.hpp"

namespace regie::bench {
namespace {

namespace rv1 = reports::v1;
using client::RegieClient;

// The same rows as Regie stores for the `n`-th report of `kvk`, under the same keys, in one
// transaction.
void InsertBaselineReport(pqxx::connection& connection, const std::string& covenant_id,
                          const std::string& kvk, int n, const rv1::ReportContent& c) {
  const auto report = NthReportKey(kvk, n);
  pqxx::work tx(connection);
  InsertBaselineHeader(tx, covenant_id, report, kvk, c.remarks());
  // One multi-row INSERT per table, as Regie's store batches them: a fair baseline, not one
  // round trip per row.
  const auto key = tx.quote(covenant_id) + ", " + tx.quote(report.report_id) + ", " +
                   std::to_string(report.version) + ", ";
  std::string counts;
  std::string amounts;
  std::string indicators;
  const auto add = [](std::string& rows, const std::string& row) {
    rows += (rows.empty() ? "(" : ", (") + row + ")";
  };
  for (const auto& line : c.lines()) {
    const auto where =
        key + tx.quote(line.municipality().substr(15)) + ", " + tx.quote(line.lot_id()) + ", ";
    add(counts, where + std::to_string(line.clients_in_care()) + ", " +
                    std::to_string(line.inflow()) + ", " + std::to_string(line.outflow()) + ", " +
                    std::to_string(line.unilateral_endings()) + ", " +
                    std::to_string(line.median_waiting_days()) + ", " +
                    std::to_string(line.complaints()) + ", " +
                    std::to_string(line.serious_incidents()));
    for (const auto& a : line.amounts()) {
      add(amounts,
          where + tx.quote(a.product_code()) + ", " + std::to_string(a.amount_eurocents()));
    }
    for (const auto& i : line.indicators()) {
      add(indicators, where + tx.quote(i.indicator().substr(11)) + ", " +
                          std::to_string(i.numerator()) + ", " + std::to_string(i.denominator()));
    }
  }
  tx.exec0(
      "INSERT INTO bench_baseline.count_lines (covenant_id, report_id, version, "
      "municipality_code, lot_id, clients_in_care, inflow, outflow, unilateral_endings, "
      "median_waiting_days, complaints, serious_incidents) VALUES " +
      counts);
  tx.exec0(
      "INSERT INTO bench_baseline.amount_lines (covenant_id, report_id, version, "
      "municipality_code, lot_id, product_code, amount_eurocents) VALUES " +
      amounts);
  tx.exec0(
      "INSERT INTO bench_baseline.indicator_lines (covenant_id, report_id, version, "
      "municipality_code, lot_id, indicator_id, numerator, denominator) VALUES " +
      indicators);
  tx.commit();
}

}  // namespace

void Submit(const Options& o, const Providers& providers, Results& results) {
  const auto covenant = CovenantInForce(o, "submit");
  int needed = 0;
  for (const int clients : o.concurrency) {
    needed += clients;
  }
  if (static_cast<int>(providers.kvks.size()) < needed) {
    throw std::runtime_error("submit needs " + std::to_string(needed) + " providers");
  }
  for (int i = 0; i < needed; ++i) {
    Admit(o, covenant, providers.kvks[static_cast<std::size_t>(i)], {"P1", "P6"});
  }
  pqxx::connection setup(o.database_url);
  CreateBaselineTables(setup);
  const auto covenant_id = covenant.substr(std::string("covenants/").size());
  int first = 0;  // each level has its own providers, so that quarters are fresh
  // Regie and the baseline take turns of about o.turn_seconds, at least two turns each, after an
  // unmeasured second each (Alternately; docs/performance.md, eighth round).
  const int turns = std::max(2, static_cast<int>(std::lround(o.seconds / o.turn_seconds)));
  const double warmup_seconds = std::min(1.0, o.seconds / 5);
  for (const int clients : o.concurrency) {
    // Regie: signed, validated, durable and audited, over mutual TLS.
    std::vector<std::unique_ptr<RegieClient>> channels;
    std::vector<auth::SigningKey> keys;  // read once, as a provider's system would
    for (int c = 0; c < clients; ++c) {
      const auto& profile = providers.profiles[static_cast<std::size_t>(first + c)];
      channels.push_back(
          std::make_unique<RegieClient>(client::OpenChannel(profile), std::chrono::seconds(60)));
      keys.emplace_back(client::ReadTextFile(profile.key, "key"));
    }
    // The baseline: the same rows with libpqxx, one transaction per report, same concurrency.
    std::vector<std::unique_ptr<pqxx::connection>> connections;
    for (int c = 0; c < clients; ++c) {
      connections.push_back(std::make_unique<pqxx::connection>(o.database_url));
    }
    const auto autovacuum_before = AutovacuumNow(setup);
    const auto [regie, baseline, machine_probe_ms] = Alternately(
        clients, warmup_seconds, o.seconds, turns,
        [&](int c, int n) {
          rv1::SubmitReportRequest request;
          *request.mutable_content() =
              NthReport(covenant, providers.kvks[static_cast<std::size_t>(first + c)], n);
          request.set_signature(
              reports::SignReport(keys[static_cast<std::size_t>(c)], request.content()));
          request.set_request_id(NewRequestId());
          channels[static_cast<std::size_t>(c)]->Unary(&rv1::ReportService::Stub::SubmitReport,
                                                       request);
        },
        [&](int c, int n) {
          const auto& kvk = providers.kvks[static_cast<std::size_t>(first + c)];
          InsertBaselineReport(*connections[static_cast<std::size_t>(c)], covenant_id, kvk, n,
                               NthReport(covenant, kvk, n));
        });
    results.Add("submit", std::to_string(clients) + " client(s)", "reports/s", regie, baseline,
                {{"target", "at 16 clients: >= 60% of the baseline, p99 <= 25 ms (docs/adr/0023)"},
                 {"turns", std::to_string(turns) + " turns each, alternating with the baseline"},
                 {"warmup", Fixed(warmup_seconds, 1) + " s each before, not measured"},
                 {"autovacuum", AutovacuumBetween(autovacuum_before, AutovacuumNow(setup))}},
                machine_probe_ms);
    if (clients == targets::kSubmitClients) {
      results.Judge(targets::SubmitThroughput(Ratio(regie, baseline)));
      results.Judge(targets::SubmitP99(regie.p99_ms, baseline.p99_ms));
    }
    // The part of a submission's cost that any Regie call has: mutual TLS, HTTP/2, the boundary
    // (certificate, policy, access log), on the same channels. WhoAmI reads no database. Both
    // sides use the machine's CPU at these concurrencies, so if Regie's database work cost no
    // more than the baseline's, a submission's ratio could at best be calls / (calls + reports).
    const auto floor = Concurrently(clients, o.seconds, [&](int c, int /*n*/) {
      channels[static_cast<std::size_t>(c)]->WhoAmI();
    });
    const auto bound = floor.per_second / (floor.per_second + baseline.per_second);
    results.Add("submit", std::to_string(clients) + " client(s), WhoAmI (no database)", "calls/s",
                floor, baseline,
                {{"bound",
                  "a submission's ratio, were its database work as cheap as the "
                  "baseline's, would be at most " +
                      Fixed(bound, 2)}});
    first += clients;
  }
}

}  // namespace regie::bench
