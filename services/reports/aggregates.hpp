#pragma once

// Aggregates of accepted report lines (QueryService.AggregateReports): the cells of up to two
// dimensions with their subtotals and grand total, and small-count suppression over that table
// (suppression.hpp). Pure: the store supplies the lines.

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "regie/covenants/v1/covenants.pb.h"
#include "regie/reports/v1/queries.pb.h"

namespace regie::reports {

// The counts of an aggregate row, in the order of AggregateRow's count fields.
inline constexpr std::size_t kCountMeasures = 6;

// One line of an accepted report version.
struct AcceptedLine {
  std::string lot_id;
  std::string municipality;  // `municipalities/{code}`
  std::string period;        // "2026-Q2" or "2026"
  std::string kvk;
  std::array<std::int64_t, kCountMeasures> counts{};  // in care, in, out, unilateral, complaints,
                                                      // incidents
  std::int64_t declared_eurocents = 0;
};

// The sums of one row of an aggregate.
struct AggregateSum {
  int providers = 0;  // distinct providers among the lines summed
  std::array<std::int64_t, kCountMeasures> counts{};
  std::int64_t declared_eurocents = 0;
};

// A row's key: its value of each grouped dimension, "" where it totals over that dimension (and
// for dimensions not grouped by).
using AggregateKey = std::array<std::string, 2>;

// An aggregate before suppression: the cells (every grouped dimension set), the subtotals (with two
// dimensions: one of them emptied) and the grand total.
struct GroupedSums {
  std::map<AggregateKey, AggregateSum> cells;
  std::map<AggregateKey, AggregateSum> subtotals;
  AggregateSum grand;
};

// `lines` grouped by `dimensions` (at most two, distinct). The store computes the same in SQL
// (sql/queries/reports/aggregate_sums.sql); this is its definition in C++, for tests.
GroupedSums Group(const std::vector<AcceptedLine>& lines,
                  const std::vector<v1::Dimension>& dimensions);

// The table of `sums`, suppressed when `suppress`.
v1::AggregateReportsResponse Aggregate(const GroupedSums& sums,
                                       const std::vector<v1::Dimension>& dimensions, bool suppress);

// Budget exhaustion for `year`: a row per budget of the terms' lots for that year, and per
// municipality and lot with declarations but no budget; ordered by municipality and lot. `lines`
// are the year's accepted quarterly lines.
v1::BudgetExhaustionResponse BudgetExhaustion(const covenants::v1::CovenantTerms& terms, int year,
                                              const std::vector<AcceptedLine>& lines);

// One provider's figures on an indicator.
struct PeerFigures {
  std::string kvk;
  std::int64_t numerator = 0;
  std::int64_t denominator = 0;
};

// The anonymised comparison: ranked best first by `higher_is_better`, letters in that order,
// `own_kvk`'s row marked with its counts (empty for callers who are not providers).
v1::ComparePeersResponse ComparePeers(std::vector<PeerFigures> figures, int minimum_n,
                                      bool higher_is_better, const std::string& own_kvk);

}  // namespace regie::reports
