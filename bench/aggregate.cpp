// Scenario 3 of regie-bench: the auditor's aggregate over ten million stored lines
// (scenarios.hpp). The lines are seeded with SQL, shaped like a national shared service: many
// covenants of ten municipalities x five lots, fifty providers each, ten years of quarters. The
// questions go to one of those covenants, as a region's auditor asks them.

#include <pqxx/pqxx>

#include <iostream>
#include <set>

#include "crypto.hpp"
#include "input_file.hpp"
#include "regie/reports/v1/queries.grpc.pb.h"
#include "regie/reports/v1/reports.grpc.pb.h"
#include "report_signing.hpp"
#include "scenarios.hpp"
#include "targets.hpp"

namespace regie::bench {
namespace {

namespace rv1 = reports::v1;

// Lines = covenants x quarters x providers x 10 municipalities x 5 lots.
struct Shape {
  int covenants;
  int quarters;
  int providers;
};
const std::vector<std::string> kLots = {"P1", "P2", "P3", "P4", "P5"};

std::string SqlArray(const std::vector<std::string>& values) {
  std::string text = "{";
  for (const auto& v : values) {
    text += (text.size() > 1 ? "," : "") + v;
  }
  return text + "}";
}

// Accepted quarterly reports of every provider for every quarter from 2000-Q1, with a line per
// municipality and lot (counts from a hash of the line, an amount on every P1 line). The accepted
// versions and sums are brought up to date afterwards (Summarise).
void SeedCovenant(pqxx::connection& connection, const std::string& covenant_id,
                  const Shape& shape) {
  pqxx::work tx(connection);
  tx.exec0("SET LOCAL synchronous_commit = off");
  SeedAcceptedReports(tx, covenant_id, 0, shape.quarters, shape.providers);
  tx.exec_params0(R"(
      INSERT INTO reports.count_lines (covenant_id, report_id, version, municipality_code, lot_id,
                                       clients_in_care, inflow, outflow, unilateral_endings,
                                       median_waiting_days, complaints, serious_incidents)
      SELECT r.covenant_id, r.report_id, 1, m, l, h & 63, (h >> 6) & 15, (h >> 10) & 15,
             least((h >> 14) & 3, (h >> 10) & 15), 14 + ((h >> 16) & 31), (h >> 21) & 3,
             (h >> 23) & 1
        FROM reports.reports r, unnest($2::text[]) m, unnest($3::text[]) l,
             LATERAL (SELECT hashtext(r.report_id || m || l) & 2147483647 AS h) x
       WHERE r.covenant_id = $1)",
                  covenant_id, SqlArray(MunicipalityCodes()), SqlArray(kLots));
  tx.exec_params0(R"(
      INSERT INTO reports.amount_lines (covenant_id, report_id, version, municipality_code, lot_id,
                                        product_code, amount_eurocents)
      SELECT covenant_id, report_id, version, municipality_code, lot_id, '45A48',
             7800 * (1 + clients_in_care * 13 % 200)
        FROM reports.count_lines WHERE covenant_id = $1 AND lot_id = 'P1')",
                  covenant_id);
  tx.commit();
}

// Brings the accepted versions and the sums kept on write (docs/adr/0011, 0016) up to date for
// seeded covenants with the function ReviewReport uses, after the statistics have seen the new
// lines (planned with the statistics of empty tables, the recomputation reads every line of a
// covenant once per report).
void Summarise(pqxx::connection& connection, const std::vector<std::string>& covenant_ids) {
  pqxx::nontransaction(connection)
      .exec0("ANALYZE reports.reports, reports.count_lines, reports.amount_lines");
  for (const auto& covenant_id : covenant_ids) {
    pqxx::work tx(connection);
    tx.exec0("SET LOCAL synchronous_commit = off");
    tx.exec_params("SELECT reports.refresh_accepted_versions($1, NULL)", covenant_id);
    tx.commit();
  }
  pqxx::nontransaction(connection)
      .exec0("ANALYZE reports.accepted_versions, reports.accepted_sums, reports.provider_numbers");
}

// One question of the benchmark: a period filter and the dimensions.
struct Question {
  std::string variant;
  std::vector<rv1::Dimension> dimensions;
  std::function<std::string(int)> period;  // of the i-th asking
};

// The first and last day a period filter ("", "2005" or "2005-Q3") covers.
std::pair<std::string, std::string> Bounds(const std::string& period) {
  if (period.empty()) {
    return {"0001-01-01", "9999-12-31"};
  }
  const auto year = period.substr(0, 4);
  if (period.size() == 4) {
    return {year + "-01-01", year + "-12-31"};
  }
  static const char* const kFirst[] = {"01-01", "04-01", "07-01", "10-01"};
  static const char* const kLast[] = {"03-31", "06-30", "09-30", "12-31"};
  const auto q = period.back() - '1';
  return {year + "-" + kFirst[q], year + "-" + kLast[q]};
}

// The straightforward GROUP BY over the raw tables: the newest accepted version of each report
// by DISTINCT ON, its count lines, and the amounts declared on each line.
std::string RawSql(const std::vector<rv1::Dimension>& dimensions) {
  std::string keys;
  for (const auto d : dimensions) {
    keys += d == rv1::LOT            ? "l.lot_id, "
            : d == rv1::MUNICIPALITY ? "l.municipality_code, "
                                     : "n.period_start::text, ";
  }
  return R"(
      WITH newest AS (
        SELECT DISTINCT ON (report_id) report_id, version, provider_kvk, period_start
          FROM reports.reports
         WHERE covenant_id = $1 AND state = 'ACCEPTED' AND kind = 'QUARTERLY'
           AND period_start >= $2::date AND period_end <= $3::date
         ORDER BY report_id, version DESC)
      SELECT )" +
         keys + R"(count(DISTINCT n.provider_kvk), sum(l.clients_in_care), sum(l.inflow),
             sum(l.outflow), sum(l.unilateral_endings), sum(l.complaints),
             sum(l.serious_incidents),
             coalesce(sum((SELECT sum(a.amount_eurocents) FROM reports.amount_lines a
                            WHERE (a.covenant_id, a.report_id, a.version, a.municipality_code,
                                   a.lot_id) = (l.covenant_id, l.report_id, l.version,
                                                l.municipality_code, l.lot_id))), 0)
        FROM newest n
        JOIN reports.count_lines l
          ON l.covenant_id = $1 AND l.report_id = n.report_id AND l.version = n.version)" +
         (keys.empty() ? std::string() : " GROUP BY " + keys.substr(0, keys.size() - 2));
}

// "2005-07-01" as the quarter "2005-Q3".
std::string QuarterOf(const std::string& day) {
  return day.substr(0, 4) + "-Q" + std::to_string((std::stoi(day.substr(5, 2)) - 1) / 3 + 1);
}

// The cells of an answer as comparable text: the dimensions' values, providers, the six counts
// and the declared amount.
std::multiset<std::string> Cells(const rv1::AggregateReportsResponse& response,
                                 const std::vector<rv1::Dimension>& dimensions) {
  std::multiset<std::string> cells;
  for (const auto& row : response.rows()) {
    if (row.total() && !dimensions.empty()) {
      continue;
    }
    std::string cell;
    for (const auto d : dimensions) {
      cell += (d == rv1::LOT            ? row.lot_id()
               : d == rv1::MUNICIPALITY ? row.municipality()
                                        : row.period()) +
              "|";
    }
    cell += std::to_string(row.providers());
    for (const auto* count :
         {&row.clients_in_care(), &row.inflow(), &row.outflow(), &row.unilateral_endings(),
          &row.complaints(), &row.serious_incidents()}) {
      cell += "|" + std::to_string(count->value());
    }
    cells.insert(cell + "|" + std::to_string(row.declared_eurocents()));
  }
  return cells;
}

std::multiset<std::string> Cells(const pqxx::result& rows,
                                 const std::vector<rv1::Dimension>& dimensions) {
  std::multiset<std::string> cells;
  for (const auto& row : rows) {
    std::string cell;
    int column = 0;
    for (const auto d : dimensions) {
      const auto value = row[column++].as<std::string>();
      cell += (d == rv1::LOT            ? value
               : d == rv1::MUNICIPALITY ? "municipalities/" + value
                                        : QuarterOf(value)) +
              "|";
    }
    for (int i = 0; i < 8; ++i) {
      cell += (i > 0 ? "|" : "") + row[column++].as<std::string>();
    }
    cells.insert(cell);
  }
  return cells;
}

class Asker {
 public:
  Asker(const Options& o, std::string covenant)
      : procurement_(Connect(ProfileOf(o, "procurement"))),
        connection_(o.database_url),
        covenant_(std::move(covenant)) {}

  rv1::AggregateReportsResponse Regie(const Question& q, const std::string& period) {
    rv1::AggregateReportsRequest request;
    request.set_parent(covenant_);
    for (const auto d : q.dimensions) {
      request.add_group_by(d);
    }
    request.set_period(period);
    return procurement_.Unary(&rv1::QueryService::Stub::AggregateReports, request);
  }

  pqxx::result Raw(const Question& q, const std::string& period) {
    const auto [first, last] = Bounds(period);
    pqxx::nontransaction tx(connection_);
    return tx.exec_params(RawSql(q.dimensions), covenant_.substr(10), first, last);
  }

  // Throws unless Regie's cells and the raw query's are the same.
  void Compare(const Question& q, const std::string& period, const std::string& when) {
    const auto regie = Cells(Regie(q, period), q.dimensions);
    const auto raw = Cells(Raw(q, period), q.dimensions);
    if (regie != raw || regie.empty()) {
      throw std::runtime_error("aggregate '" + q.variant + "' for period '" + period + "' " + when +
                               ": Regie has " + std::to_string(regie.size()) +
                               " cells, the raw query " + std::to_string(raw.size()) +
                               (regie.empty() ? "" : ", first Regie " + *regie.begin()) +
                               (raw.empty() ? "" : ", first raw " + *raw.begin()));
    }
  }

 private:
  client::RegieClient procurement_;
  pqxx::connection connection_;
  std::string covenant_;
};

// Submits the `n`-th report of the provider, signed, and has the procurement staff accept it.
void SubmitAndAccept(const Options& o, const std::string& covenant, const Providers& providers,
                     int n) {
  rv1::SubmitReportRequest submit;
  *submit.mutable_content() = NthReport(covenant, providers.kvks[0], n);
  submit.set_signature(reports::SignReport(client::ReadTextFile(providers.profiles[0].key, "key"),
                                           submit.content()));
  submit.set_request_id(NewRequestId());
  const auto stored =
      Connect(providers.profiles[0]).Unary(&rv1::ReportService::Stub::SubmitReport, submit);
  rv1::ReviewReportRequest review;
  review.set_name(stored.name());
  review.set_version(stored.version());
  review.set_decision(rv1::ReviewReportRequest::ACCEPT);
  review.set_request_id(NewRequestId());
  Connect(ProfileOf(o, "procurement")).Unary(&rv1::ReportService::Stub::ReviewReport, review);
}

}  // namespace

void Aggregate(const Options& o, const Providers& providers, Results& results) {
  const Shape shape = o.smoke ? Shape{2, 8, 5} : Shape{100, 40, 50};
  const long lines = 50L * shape.covenants * shape.quarters * shape.providers;
  if (static_cast<int>(providers.kvks.size()) < shape.providers) {
    throw std::runtime_error("aggregate needs " + std::to_string(shape.providers) + " providers");
  }
  // Seeding: the covenants through Regie, their reports with SQL.
  std::vector<std::string> covenants;
  const auto started = Clock::now();
  pqxx::connection seeder(o.database_url);
  for (int c = 0; c < shape.covenants; ++c) {
    // Not waited for: the calendar puts each in force while the next is seeded, long before the
    // questions are asked.
    covenants.push_back(PublishedCovenant(o, "seed" + std::to_string(c)));
    SeedCovenant(seeder, covenants.back().substr(10), shape);
    if ((c + 1) % 10 == 0 || c + 1 == shape.covenants) {
      std::cerr << "regie-bench: seeded " << (c + 1) * lines / shape.covenants << " of " << lines
                << " lines, "
                << static_cast<int>(std::chrono::duration<double>(Clock::now() - started).count())
                << " s\n";
    }
  }
  std::vector<std::string> covenant_ids;
  for (const auto& name : covenants) {
    covenant_ids.push_back(name.substr(10));
  }
  Summarise(seeder, covenant_ids);
  std::cerr << "regie-bench: accepted versions and sums of " << lines << " lines, "
            << static_cast<int>(std::chrono::duration<double>(Clock::now() - started).count())
            << " s\n";
  const double seeding = std::chrono::duration<double>(Clock::now() - started).count();

  const auto& covenant = covenants.front();
  const int years = shape.quarters / 4;
  const std::vector<Question> questions = {
      {"a year, lot x municipality",
       {rv1::LOT, rv1::MUNICIPALITY},
       [&](int i) { return std::to_string(2000 + i % years); }},
      {"a quarter, by municipality",
       {rv1::MUNICIPALITY},
       [&](int i) { return std::to_string(2000 + i % years) + "-Q" + std::to_string(i % 4 + 1); }},
      {"a year, quarter x lot",
       {rv1::PERIOD, rv1::LOT},
       [&](int i) { return std::to_string(2000 + (i + 3) % years); }},
      {"the whole term, lot x municipality",
       {rv1::LOT, rv1::MUNICIPALITY},
       [](int) { return std::string(); }},
  };
  Asker asker(o, covenant);
  const int times = o.smoke ? 3 : 50;
  const std::map<std::string, std::string> notes = {
      {"lines", std::to_string(lines)},
      {"seeding_seconds", std::to_string(seeding)},
      {"target", "p95 <= 100 ms, answers equal to the raw query"}};
  for (const auto& q : questions) {
    asker.Compare(q, q.period(0), "after seeding");
    const auto regie = OneAfterAnother(times, [&](int i) { asker.Regie(q, q.period(i)); });
    const auto raw = OneAfterAnother(times, [&](int i) { asker.Raw(q, q.period(i)); });
    results.Add("aggregate", q.variant, "answers/s", regie, raw, notes);
    results.Judge(targets::Aggregate(regie.p95_ms));
  }

  // Right after new reports arrive: a new quarter, then a correction of it, each accepted
  // through Regie and asked about at once.
  Admit(o, covenant, providers.kvks[0], {"P1", "P6"});
  const auto fresh = NthReport(covenant, providers.kvks[0], shape.quarters).period();
  for (const int n : {shape.quarters, shape.quarters + 100}) {
    SubmitAndAccept(o, covenant, providers, n);
    asker.Compare(questions[0], fresh.substr(0, 4), "right after " + fresh + " was accepted");
    asker.Compare(questions[3], "", "right after " + fresh + " was accepted");
  }
}

}  // namespace regie::bench
