// Small-count suppression: primary suppression of 1-4, complementary suppression so that no hidden
// count follows from a published total, on crafted tables and on random ones; and the aggregate
// table built from report lines.

#include <boost/test/unit_test.hpp>

#include <random>
#include <tuple>

#include "aggregates.hpp"
#include "ocds.hpp"
#include "suppression.hpp"

namespace regie::reports {
namespace {

// How many entries of `relation` are hidden.
int HiddenIn(const Relation& relation, const std::vector<bool>& hidden) {
  int count = hidden[relation.total] ? 1 : 0;
  for (const auto c : relation.cells) {
    count += hidden[c] ? 1 : 0;
  }
  return count;
}

// The entries and relations of a rows x columns table with row, column and grand totals:
// cells first (row-major), then row totals, column totals and the grand total.
struct Table {
  std::vector<std::int64_t> values;
  std::vector<Relation> relations;

  explicit Table(const std::vector<std::vector<std::int64_t>>& cells) {
    const auto rows = cells.size();
    const auto columns = cells.front().size();
    const auto cell = [&](std::size_t r, std::size_t c) { return r * columns + c; };
    const auto row_total = [&](std::size_t r) { return rows * columns + r; };
    const auto column_total = [&](std::size_t c) { return rows * columns + rows + c; };
    const auto grand = rows * columns + rows + columns;
    values.assign(grand + 1, 0);
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t c = 0; c < columns; ++c) {
        values[cell(r, c)] = cells[r][c];
        values[row_total(r)] += cells[r][c];
        values[column_total(c)] += cells[r][c];
        values[grand] += cells[r][c];
      }
    }
    Relation all_rows{{}, grand};
    Relation all_columns{{}, grand};
    for (std::size_t r = 0; r < rows; ++r) {
      Relation relation{{}, row_total(r)};
      for (std::size_t c = 0; c < columns; ++c) {
        relation.cells.push_back(cell(r, c));
      }
      relations.push_back(relation);
      all_rows.cells.push_back(row_total(r));
    }
    for (std::size_t c = 0; c < columns; ++c) {
      Relation relation{{}, column_total(c)};
      for (std::size_t r = 0; r < rows; ++r) {
        relation.cells.push_back(cell(r, c));
      }
      relations.push_back(relation);
      all_columns.cells.push_back(column_total(c));
    }
    relations.push_back(all_rows);
    relations.push_back(all_columns);
  }
};

AcceptedLine Line(const std::string& lot, const std::string& municipality, const std::string& kvk,
                  std::int64_t in_care, std::int64_t complaints) {
  AcceptedLine line;
  line.lot_id = lot;
  line.municipality = "municipalities/" + municipality;
  line.period = "2026-Q1";
  line.kvk = kvk;
  line.counts = {in_care, 10, 10, 0, complaints, 0};
  line.declared_eurocents = 100;
  return line;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(suppression)

BOOST_AUTO_TEST_CASE(one_small_cell_takes_the_next_smallest_with_it) {
  // Cells 10, 3, 8 and their total 21.
  const auto hidden = Suppress({10, 3, 8, 21}, {{{0, 1, 2}, 3}});
  BOOST_TEST((hidden == std::vector<bool>{false, true, true, false}));
}

BOOST_AUTO_TEST_CASE(a_lone_small_cell_hides_its_total) {
  BOOST_TEST((Suppress({3, 3}, {{{0}, 1}}) == std::vector<bool>{true, true}));
}

BOOST_AUTO_TEST_CASE(zeros_and_counts_from_five_are_shown) {
  BOOST_TEST((Suppress({0, 12, 12}, {{{0, 1}, 2}}) == std::vector<bool>{false, false, false}));
  BOOST_TEST((Suppress({5, 7, 12}, {{{0, 1}, 2}}) == std::vector<bool>{false, false, false}));
  BOOST_TEST((Suppress({4, 8, 12}, {{{0, 1}, 2}}) == std::vector<bool>{true, true, false}));
}

BOOST_AUTO_TEST_CASE(a_crafted_two_way_table_leaves_nothing_derivable) {
  //        X   Y  | total
  //   A   10   2  |  12
  //   B    7   9  |  16
  //       17  11  |  28
  const Table table({{10, 2}, {7, 9}});
  const auto hidden = Suppress(table.values, table.relations);
  // AY is small; its row and column each need a second hidden cell, and so on round the square.
  BOOST_TEST((hidden == std::vector<bool>{true, true, true, true,  // cells
                                          false, false,            // row totals
                                          false, false,            // column totals
                                          false}));                // grand total
  for (const auto& relation : table.relations) {
    BOOST_TEST(HiddenIn(relation, hidden) != 1);
  }
}

BOOST_AUTO_TEST_CASE(random_tables_never_leave_one_hidden_entry_in_a_relation) {
  std::mt19937 random(20261123);
  std::uniform_int_distribution<std::int64_t> count(0, 30);
  std::uniform_int_distribution<std::size_t> size(1, 5);
  for (int round = 0; round < 500; ++round) {
    std::vector<std::vector<std::int64_t>> cells(size(random));
    const auto columns = size(random);
    for (auto& row : cells) {
      row.resize(columns);
      for (auto& value : row) {
        value = count(random) % 3 == 0 ? count(random) % 5 : count(random);
      }
    }
    const Table table(cells);
    const auto hidden = Suppress(table.values, table.relations);
    for (std::size_t i = 0; i < table.values.size(); ++i) {
      if (table.values[i] > 0 && table.values[i] < kSuppressionThreshold) {
        BOOST_TEST_REQUIRE(hidden[i]);
      }
    }
    for (const auto& relation : table.relations) {
      BOOST_TEST_REQUIRE(HiddenIn(relation, hidden) != 1);
    }
  }
}

BOOST_AUTO_TEST_CASE(the_aggregate_table_has_cells_subtotals_and_a_grand_total) {
  const std::vector<AcceptedLine> lines = {
      Line("P1", "9901", "11111111", 20, 3), Line("P1", "9901", "22222222", 10, 0),
      Line("P1", "9902", "11111111", 12, 6), Line("P4", "9901", "11111111", 7, 0),
      Line("P4", "9902", "22222222", 9, 1)};
  const auto open =
      Aggregate(Group(lines, {v1::LOT, v1::MUNICIPALITY}), {v1::LOT, v1::MUNICIPALITY}, false);
  BOOST_TEST(!open.suppression_applied());
  // 4 cells, 2 lot subtotals, 2 municipality subtotals, the grand total.
  BOOST_REQUIRE(open.rows_size() == 9);
  const auto& first = open.rows(0);
  BOOST_TEST(first.lot_id() == "P1");
  BOOST_TEST(first.municipality() == "municipalities/9901");
  BOOST_TEST(!first.total());
  BOOST_TEST(first.providers() == 2);
  BOOST_TEST(first.clients_in_care().value() == 30);
  BOOST_TEST(first.complaints().value() == 3);
  BOOST_TEST(first.declared_eurocents() == 200);
  const auto& grand = open.rows(8);
  BOOST_TEST(grand.total());
  BOOST_TEST(grand.lot_id().empty());
  BOOST_TEST(grand.municipality().empty());
  BOOST_TEST(grand.clients_in_care().value() == 58);
  BOOST_TEST(grand.complaints().value() == 10);

  const auto shared =
      Aggregate(Group(lines, {v1::LOT, v1::MUNICIPALITY}), {v1::LOT, v1::MUNICIPALITY}, true);
  BOOST_TEST(shared.suppression_applied());
  // Complaints 3, 6, 0, 1 per cell: the 3 and the 1 are small, and their rows and columns need
  // company; in care 30, 12, 7, 9 per cell: nothing small, nothing hidden.
  int hidden_complaints = 0;
  for (const auto& row : shared.rows()) {
    BOOST_TEST(!row.clients_in_care().suppressed());
    if (row.complaints().suppressed()) {
      ++hidden_complaints;
      BOOST_TEST(row.complaints().value() == 0);
    }
  }
  BOOST_TEST(shared.rows(0).complaints().suppressed());  // P1 x 9901 = 3
  BOOST_TEST(shared.rows(3).complaints().suppressed());  // P4 x 9902 = 1
  BOOST_TEST(hidden_complaints >= 4);
  BOOST_TEST(!shared.rows(8).complaints().suppressed());  // the grand total, 10

  const auto total_only = Aggregate(Group(lines, {}), {}, true);
  BOOST_REQUIRE(total_only.rows_size() == 1);
  BOOST_TEST(total_only.rows(0).total());
  BOOST_TEST(total_only.rows(0).providers() == 2);
}

BOOST_AUTO_TEST_CASE(budget_exhaustion_forecasts_in_a_straight_line_and_warns) {
  covenants::v1::CovenantTerms terms;
  auto* lot = terms.add_lots();
  lot->set_lot_id("P1");
  for (const auto& [municipality, year, cents] :
       std::vector<std::tuple<std::string, int, std::int64_t>>{
           {"9901", 2026, 10'000'000}, {"9902", 2026, 5'000'000}, {"9901", 2027, 1}}) {
    auto* budget = lot->add_budgets();
    budget->set_municipality("municipalities/" + municipality);
    budget->set_year(year);
    budget->set_amount_cents(cents);
  }
  auto declared = [](const std::string& municipality, const std::string& period,
                     std::int64_t cents) {
    auto line = Line("P1", municipality, "12345678", 10, 0);
    line.period = period;
    line.declared_eurocents = cents;
    return line;
  };
  const auto result = BudgetExhaustion(
      terms, 2026,
      {declared("9901", "2026-Q1", 3'000'000), declared("9901", "2026-Q2", 3'000'000),
       declared("9902", "2026-Q1", 1'000'000), declared("9903", "2026-Q2", 500)});
  BOOST_TEST(result.through_quarter() == 2);
  BOOST_REQUIRE(result.rows_size() == 3);
  const auto& duinhaven = result.rows(0);
  BOOST_TEST(duinhaven.municipality() == "municipalities/9901");
  BOOST_TEST(duinhaven.budget_eurocents() == 10'000'000);
  BOOST_TEST(duinhaven.declared_eurocents() == 6'000'000);
  BOOST_TEST(duinhaven.exhausted_percent() == "60.0");
  BOOST_TEST(duinhaven.forecast_eurocents() == 12'000'000);
  BOOST_TEST(duinhaven.warning());
  const auto& bollenveld = result.rows(1);
  BOOST_TEST(bollenveld.exhausted_percent() == "20.0");
  BOOST_TEST(bollenveld.forecast_eurocents() == 2'000'000);
  BOOST_TEST(!bollenveld.warning());
  const auto& zeewijk = result.rows(2);  // declared without a budget
  BOOST_TEST(zeewijk.budget_eurocents() == 0);
  BOOST_TEST(zeewijk.exhausted_percent().empty());
  BOOST_TEST(zeewijk.warning());
}

BOOST_AUTO_TEST_CASE(peers_are_ranked_anonymously_and_small_denominators_are_not_ranked) {
  // Drop-out, lower is better, minimum n 10: Y 3/40 before X 7/50; Z's 4 clients are too few.
  const auto result = ComparePeers({{"11111111", 7, 50}, {"22222222", 3, 40}, {"33333333", 2, 4}},
                                   10, /*higher_is_better=*/false, "11111111");
  BOOST_TEST(result.direction() == "LOWER_IS_BETTER");
  BOOST_REQUIRE(result.rows_size() == 3);
  BOOST_TEST(result.rows(0).label() == "A");
  BOOST_TEST(result.rows(0).rank() == 1);
  BOOST_TEST(result.rows(0).value() == "0.0750");
  BOOST_TEST(!result.rows(0).own());
  BOOST_TEST(result.rows(0).denominator() == 0);  // no counts of others
  BOOST_TEST(result.rows(1).own());
  BOOST_TEST(result.rows(1).value() == "0.1400");
  BOOST_TEST(result.rows(1).numerator() == 7);
  BOOST_TEST(result.rows(1).denominator() == 50);
  BOOST_TEST(result.rows(2).rank() == 0);
  BOOST_TEST(result.rows(2).value().empty());
  BOOST_TEST(!result.rows(2).not_ranked_reason().empty());
  BOOST_TEST(result.pooled_value() == "0.1277");  // 12 / 94
  // Higher is better reverses the order; a caller that is no provider has no own row.
  const auto higher = ComparePeers({{"11111111", 7, 50}, {"22222222", 3, 40}}, 10, true, "");
  BOOST_TEST(higher.rows(0).value() == "0.1400");
  BOOST_TEST(!higher.rows(0).own());
  BOOST_TEST(!higher.rows(1).own());
}

BOOST_AUTO_TEST_CASE(the_ocds_export_leaves_out_observations_on_small_denominators) {
  OcdsFacts facts;
  facts.covenant_id = "c-1";
  facts.title = "Covenant";
  facts.state = "active";
  facts.published_at = "2026-01-01T00:00:00Z";
  facts.term_start = "2026-01-01";
  facts.term_end = "2029-12-31";
  facts.terms_version = 1;
  facts.owner_id = "NL-CBS-GM9901";
  facts.owner_name = "Duinhaven";
  facts.generated_at = "2027-01-01T00:00:00Z";
  facts.awards.push_back({"12345678", "P6", "ACTIVE", "2026-01-01", "Jeugdzorg Duinstreek"});
  facts.observations.push_back({"12345678-2026-q1", 1, "12345678", "2026-01-01", "2026-03-31", "P6",
                                "nji-drop-out", 7, 50, "2026-05-01T00:00:00Z"});
  facts.observations.push_back({"12345678-2026-q1", 1, "12345678", "2026-01-01", "2026-03-31", "P6",
                                "nji-satisfaction", 3, 4, "2026-05-01T00:00:00Z"});
  facts.observations.push_back({"12345678-2026-q2", 1, "12345678", "2026-04-01", "2026-06-30", "P6",
                                "nji-satisfaction", 2, 3, "2026-08-01T00:00:00Z"});
  const auto package = OcdsReleasePackage(facts);
  const auto& releases = package["releases"];
  // The tender, the award, and Q1's implementation update; Q2 had only a denominator of 3.
  BOOST_REQUIRE(releases.size() == 3u);
  BOOST_TEST(releases[0]["ocid"] == std::string(kOcidPrefix) + "c-1");
  BOOST_TEST(releases[0]["tender"]["techniques"]["hasFrameworkAgreement"] == true);
  const auto& metrics = releases[2]["contracts"][0]["implementation"]["metrics"];
  BOOST_REQUIRE(metrics.size() == 1u);
  BOOST_TEST(metrics[0]["id"] == "nji-drop-out");
  BOOST_TEST(metrics[0]["observations"][0]["measure"] == "0.1400");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::reports
