// Scenario 2 of regie-bench: large reports streamed with UploadReport (scenarios.hpp). A national
// covenant, every municipality x 29 lots, gives reports of almost the per-report maximum of
// lines (10,000); the scenario uploads them until a million lines are stored.

#include <pqxx/pqxx>

#include "crypto.hpp"
#include "input_file.hpp"
#include "report_signing.hpp"
#include "scenarios.hpp"
#include "targets.hpp"

namespace regie::bench {
namespace {

namespace rv1 = reports::v1;

// The report of quarter `q` of `kvk` with a line per municipality and lot: counts on every line,
// an amount on the lots that buy product 45A48 (P1 and its copies).
rv1::ReportContent LargeReport(const std::string& covenant, const std::string& kvk, int q,
                               const std::vector<std::string>& municipalities,
                               const std::vector<std::string>& lots) {
  rv1::ReportContent c;
  c.set_covenant(covenant);
  c.set_provider("providers/" + kvk);
  c.set_kind(rv1::QUARTERLY);
  c.set_period(std::to_string(2000 + q / 4) + "-Q" + std::to_string(q % 4 + 1));
  int i = 0;
  for (const auto& municipality : municipalities) {
    for (const auto& lot : lots) {
      auto* line = c.add_lines();
      line->set_municipality("municipalities/" + municipality);
      line->set_lot_id(lot);
      line->set_clients_in_care(20 + i % 40);
      line->set_inflow(i % 9);
      line->set_outflow(i % 7);
      line->set_unilateral_endings(std::min<std::int64_t>(i % 2, line->outflow()));
      line->set_median_waiting_days(10 + i % 30);
      line->set_complaints(i % 3);
      line->set_serious_incidents(0);
      if (lot == "P1" || lot.starts_with("K")) {
        auto* amount = line->add_amounts();
        amount->set_product_code("45A48");
        amount->set_amount_eurocents(7800L * (1 + i % 200));
      }
      ++i;
    }
  }
  c.set_remarks("Benchmark upload.");
  return c;
}

// The same rows with libpqxx stream_to (COPY), one transaction per report.
void StreamBaselineReport(pqxx::connection& connection, const std::string& covenant_id,
                          const std::string& report_id, const std::string& kvk,
                          const rv1::ReportContent& c) {
  pqxx::work tx(connection);
  InsertBaselineHeader(tx, covenant_id, {.report_id = report_id, .period_start = "2000-01-01"}, kvk,
                       c.remarks());
  tx.exec0("SET LOCAL search_path = bench_baseline");
  {
    pqxx::stream_to counts(tx, "count_lines",
                           std::vector<std::string>{
                               "covenant_id", "report_id", "version", "municipality_code", "lot_id",
                               "clients_in_care", "inflow", "outflow", "unilateral_endings",
                               "median_waiting_days", "complaints", "serious_incidents"});
    for (const auto& l : c.lines()) {
      counts << std::make_tuple(covenant_id, report_id, 1, l.municipality().substr(15), l.lot_id(),
                                l.clients_in_care(), l.inflow(), l.outflow(),
                                l.unilateral_endings(), l.median_waiting_days(), l.complaints(),
                                l.serious_incidents());
    }
    counts.complete();
  }
  {
    pqxx::stream_to amounts(
        tx, "amount_lines",
        std::vector<std::string>{"covenant_id", "report_id", "version", "municipality_code",
                                 "lot_id", "product_code", "amount_eurocents"});
    for (const auto& l : c.lines()) {
      for (const auto& a : l.amounts()) {
        amounts << std::make_tuple(covenant_id, report_id, 1, l.municipality().substr(15),
                                   l.lot_id(), a.product_code(), a.amount_eurocents());
      }
    }
    amounts.complete();
  }
  tx.commit();
}

}  // namespace

void Upload(const Options& o, const Providers& providers, Results& results) {
  // Smoke: 20 municipalities x 6 lots, two uploads.
  const int municipality_count = o.smoke ? 20 : 342;
  const int extra_lots = o.smoke ? 0 : 23;
  const long wanted_lines = o.smoke ? 240 : 1'000'000;
  // The bench's ten (the fixture's lot budgets name three of them) and more up to the count.
  auto municipalities = MunicipalityCodes();
  for (int i = 1; static_cast<int>(municipalities.size()) < municipality_count; ++i) {
    municipalities.push_back(std::to_string(8000 + i));
  }
  CreateMunicipalities(o, municipalities);
  std::vector<std::string> lots = {"P1", "P2", "P3", "P4", "P5", "P6"};
  const auto covenant = CovenantInForce(o, "upload", [&](covenants::v1::CovenantTerms& terms) {
    terms.clear_municipalities();
    for (const auto& code : municipalities) {
      terms.add_municipalities("municipalities/" + code);
    }
    const auto p1 = terms.lots(0);
    for (int k = 0; k < extra_lots; ++k) {
      auto* lot = terms.add_lots();
      *lot = p1;
      lot->set_lot_id("K" + std::to_string(10 + k));
      lot->set_title("Ambulatory youth care, district " + std::to_string(k + 1));
      lots.push_back(lot->lot_id());
    }
  });
  const std::vector<std::string> uploaders = {providers.kvks[0], providers.kvks[1]};
  for (const auto& kvk : uploaders) {
    Admit(o, covenant, kvk, lots);
  }
  const long lines_per_report = static_cast<long>(municipalities.size() * lots.size());
  const int reports = static_cast<int>((wanted_lines + lines_per_report - 1) / lines_per_report);
  // Signed before timing: signing is the provider's work, not Regie's.
  std::vector<rv1::SubmitReportRequest> requests;
  for (int r = 0; r < reports; ++r) {
    const auto& kvk = uploaders[static_cast<std::size_t>(r % 2)];
    rv1::SubmitReportRequest request;
    *request.mutable_content() = LargeReport(covenant, kvk, r / 2, municipalities, lots);
    request.set_signature(reports::SignReport(
        client::ReadTextFile(providers.profiles[static_cast<std::size_t>(r % 2)].key, "key"),
        request.content()));
    request.set_request_id(NewRequestId());
    requests.push_back(std::move(request));
  }
  std::vector<client::RegieClient> channels;
  channels.push_back(Connect(providers.profiles[0]));
  channels.push_back(Connect(providers.profiles[1]));
  pqxx::connection connection(o.database_url);
  CreateBaselineTables(connection);
  const auto covenant_id = covenant.substr(10);
  // Report by report, Regie's upload and the baseline's COPY in alternating order.
  auto [regie, baseline] = InPairs(
      reports,
      [&](int r) {
        channels[static_cast<std::size_t>(r % 2)].UploadReport(
            requests[static_cast<std::size_t>(r)], nullptr);
      },
      [&](int r) {
        const auto& content = requests[static_cast<std::size_t>(r)].content();
        StreamBaselineReport(connection, covenant_id, "upload-" + std::to_string(r),
                             uploaders[static_cast<std::size_t>(r % 2)], content);
      });
  // Throughput in lines; the percentiles stay per report.
  const auto lines = static_cast<double>(lines_per_report);
  regie.per_second *= lines;
  baseline.per_second *= lines;
  results.Add(
      "upload",
      std::to_string(reports) + " reports of " + std::to_string(lines_per_report) + " lines",
      "lines/s", regie, baseline,
      {{"lines", std::to_string(reports * lines_per_report)}, {"target", ">= 50% of stream_to"}});
  results.Judge(targets::Upload(Ratio(regie, baseline)));
}

}  // namespace regie::bench
