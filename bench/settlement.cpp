// Scenario 4 of regie-bench: a settlement run over 1,000 providers x 5 indicators
// (scenarios.hpp). One outcome agreement of lot P6 for every provider of the lot; each provider's
// four accepted quarterly reports of a year are seeded with SQL (three municipalities, the five
// indicators), and RunSettlement settles them all at once.

#include <iostream>
#include <pqxx/pqxx>

#include "crypto.hpp"
#include "input_file.hpp"
#include "regie/outcomes/v1/agreements.grpc.pb.h"
#include "regie/outcomes/v1/settlements.grpc.pb.h"
#include "scenarios.hpp"
#include "targets.hpp"

namespace regie::bench {
namespace {

namespace ov1 = outcomes::v1;

// Accepted quarterly reports of `year` for providers 70000000 .. +providers-1 with the five
// indicators in P6 for three municipalities (figures from a hash, so that scores differ).
void SeedYear(pqxx::connection& connection, const std::string& covenant_id, int year,
              int providers) {
  pqxx::work tx(connection);
  tx.exec0("SET LOCAL synchronous_commit = off");
  SeedAcceptedReports(tx, covenant_id, (year - 2000) * 4, 4, providers);
  tx.exec_params0(R"(
      INSERT INTO reports.indicator_lines (covenant_id, report_id, version, municipality_code,
                                           lot_id, indicator_id, numerator, denominator)
      SELECT r.covenant_id, r.report_id, 1, m, 'P6', i, h % 41, 40
        FROM reports.reports r,
             unnest(ARRAY['9901', '9902', '9903']) m,
             unnest(ARRAY['nji-drop-out', 'nji-satisfaction', 'nji-no-further-help',
                          'nji-goals-reached', 'zrm-improvement']) i,
             LATERAL (SELECT hashtext(r.report_id || m || i) & 2147483647 AS h) x
       WHERE r.covenant_id = $1 AND r.period_start >= make_date($2, 1, 1)
         AND r.period_end <= make_date($2, 12, 31))",
                  covenant_id, year);
  tx.exec_params("SELECT reports.refresh_accepted_versions($1, NULL)", covenant_id);
  tx.commit();
}

// The baseline: the same sums with one GROUP BY over the raw tables, and as many rows of the
// size Regie stores written in one transaction.
void BaselineRun(pqxx::connection& connection, const std::string& covenant_id, int year,
                 const std::vector<std::string>& contents) {
  pqxx::work tx(connection);
  const auto sums = tx.exec_params(R"(
      SELECT r.provider_kvk, l.indicator_id, sum(l.numerator), sum(l.denominator)
        FROM reports.reports r
        JOIN reports.indicator_lines l USING (covenant_id, report_id, version)
       WHERE r.covenant_id = $1 AND r.state = 'ACCEPTED' AND r.kind = 'QUARTERLY'
         AND r.period_start >= make_date($2, 1, 1) AND r.period_end <= make_date($2, 12, 31)
         AND l.lot_id = 'P6'
       GROUP BY 1, 2)",
                                   covenant_id, year);
  if (sums.empty()) {
    throw std::runtime_error("the settlement baseline found no sums");
  }
  tx.exec0("SET LOCAL search_path = bench_baseline");
  pqxx::stream_to rows(
      tx, "settlements",
      std::vector<std::string>{"covenant_id", "settlement_id", "version", "period", "provider_kvk",
                               "lot_id", "agreement_id", "agreement_version", "inputs_digest",
                               "total_eurocents", "content_pb", "run_by"});
  int i = 0;
  for (const auto& content : contents) {
    rows << std::make_tuple(covenant_id, std::to_string(year) + "-" + std::to_string(i++), 1,
                            std::to_string(year), "70000000", "P6", "results-70000000", 1,
                            std::string(64, 'd'), 236880000, "\\x" + ToHex(content), "CN=bench");
  }
  rows.complete();
  tx.commit();
}

}  // namespace

void Settlement(const Options& o, const Providers& ignored, Results& results) {
  (void)ignored;
  const int provider_count = o.smoke ? 10 : 1000;
  const std::vector<int> years = o.smoke ? std::vector<int>{2005} : std::vector<int>{2005, 2006};
  RegisterProviders(o, provider_count);
  const auto covenant = CovenantInForce(o, "settle");
  const auto covenant_id = covenant.substr(10);
  auto procurement = Connect(ProfileOf(o, "procurement"));
  // A task-based lot's lump sum is per provider: an agreement each, after the admission.
  ov1::CreateAgreementRequest fixture;
  client::ReadMessageFile(o.fixtures / "agreement.yaml", fixture);
  for (int p = 0; p < provider_count; ++p) {
    const auto kvk = std::to_string(70000000 + p);
    Admit(o, covenant, kvk, {"P6"});
    auto create = fixture;
    create.set_parent(covenant + "/lots/P6");
    create.set_agreement_id("results-" + kvk);
    create.mutable_agreement()->set_provider("providers/" + kvk);
    create.set_request_id(NewRequestId());
    procurement.Unary(&ov1::AgreementService::Stub::CreateAgreement, create);
  }
  pqxx::connection connection(o.database_url);
  for (const int year : years) {
    SeedYear(connection, covenant_id, year, provider_count);
  }
  pqxx::nontransaction(connection)
      .exec0("ANALYZE reports.reports, reports.indicator_lines, reports.accepted_versions");

  // Regie: each year settled for the first time (every settlement CREATED), then again
  // (every one UNCHANGED).
  std::vector<std::string> contents;  // the stored settlements (binary), for the baseline's rows
  const auto run = [&](int year, ov1::SettlementOutcome::Result expected) {
    ov1::RunSettlementRequest request;
    request.set_parent(covenant);
    request.set_period(std::to_string(year));
    request.set_request_id(NewRequestId());
    const auto response = procurement.Unary(&ov1::SettlementService::Stub::RunSettlement, request);
    int as_expected = 0;
    for (const auto& outcome : response.outcomes()) {
      as_expected += outcome.result() == expected ? 1 : 0;
      if (contents.size() < static_cast<std::size_t>(provider_count)) {
        contents.push_back(outcome.settlement().SerializeAsString());
      }
    }
    if (as_expected != provider_count) {
      throw std::runtime_error("settling " + std::to_string(year) + " gave " +
                               std::to_string(as_expected) + " of " +
                               std::to_string(provider_count) + " outcomes " +
                               ov1::SettlementOutcome::Result_Name(expected));
    }
  };
  const auto first = OneAfterAnother(static_cast<int>(years.size()), [&](int i) {
    run(years[static_cast<std::size_t>(i)], ov1::SettlementOutcome::CREATED);
  });
  const auto again = OneAfterAnother(static_cast<int>(years.size()), [&](int i) {
    run(years[static_cast<std::size_t>(i)], ov1::SettlementOutcome::UNCHANGED);
  });

  {
    pqxx::work tx(connection);
    tx.exec0("CREATE SCHEMA IF NOT EXISTS bench_baseline");
    tx.exec0(
        "CREATE TABLE IF NOT EXISTS bench_baseline.settlements (LIKE outcomes.settlements "
        "INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)");
    tx.commit();
  }
  const auto baseline = OneAfterAnother(static_cast<int>(years.size()), [&](int i) {
    BaselineRun(connection, covenant_id, years[static_cast<std::size_t>(i)], contents);
  });
  const std::map<std::string, std::string> notes = {{"providers", std::to_string(provider_count)},
                                                    {"target", "< 1 s per run"}};
  results.Add("settle", std::to_string(provider_count) + " providers, first run", "runs/s", first,
              baseline, notes);
  results.Judge(targets::Settlement(first.max_ms));
  results.Add("settle", std::to_string(provider_count) + " providers, unchanged rerun", "runs/s",
              again, baseline, notes);
  results.Judge(targets::Settlement(again.max_ms));
}

}  // namespace regie::bench
