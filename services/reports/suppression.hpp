#pragma once

// Small-count suppression for tables of counts shown to people who are neither the reporting
// provider nor its contracting municipalities (domain brief section 5; docs/adr/0009).
//
// A table is a list of entries (cells and the totals published with them) and a list of
// relations: sets of entries whose cells add up to the relation's total, which is itself an entry.
// Primary suppression hides every count from 1 to kThreshold - 1 (a zero identifies nobody and is
// shown). Complementary suppression then makes sure no relation has exactly one hidden entry, as
// that entry would follow from the others by subtraction: while one has, the smallest visible
// entry of that relation is hidden too (which may be its total).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace regie::reports {

inline constexpr std::int64_t kSuppressionThreshold = 5;

// One relation: the entries of its cells and the entry of their total.
struct Relation {
  std::vector<std::size_t> cells;
  std::size_t total = 0;
};

// Which entries of `values` to hide, by index.
std::vector<bool> Suppress(const std::vector<std::int64_t>& values,
                           const std::vector<Relation>& relations,
                           std::int64_t threshold = kSuppressionThreshold);

}  // namespace regie::reports
