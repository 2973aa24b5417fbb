#include "suppression.hpp"

#include <optional>

namespace regie::reports {

std::vector<bool> Suppress(const std::vector<std::int64_t>& values,
                           const std::vector<Relation>& relations, std::int64_t threshold) {
  std::vector<bool> hidden(values.size(), false);
  for (std::size_t i = 0; i < values.size(); ++i) {
    hidden[i] = values[i] > 0 && values[i] < threshold;
  }
  // Each pass hides at least one more entry or ends, so this stops after at most values.size()
  // passes.
  for (bool changed = true; changed;) {
    changed = false;
    for (const auto& relation : relations) {
      std::vector<std::size_t> members = relation.cells;
      members.push_back(relation.total);
      int hidden_count = 0;
      std::optional<std::size_t> smallest_visible;
      for (const auto m : members) {
        if (hidden[m]) {
          ++hidden_count;
        } else if (!smallest_visible || values[m] < values[*smallest_visible]) {
          smallest_visible = m;
        }
      }
      if (hidden_count == 1 && smallest_visible) {
        hidden[*smallest_visible] = true;
        changed = true;
      }
    }
  }
  return hidden;
}

}  // namespace regie::reports
