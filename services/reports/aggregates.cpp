#include "aggregates.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "money.hpp"
#include "suppression.hpp"

namespace regie::reports {
namespace {

using Key = AggregateKey;

const std::string& ValueOf(const AcceptedLine& line, v1::Dimension dimension) {
  switch (dimension) {
    case v1::LOT:
      return line.lot_id;
    case v1::MUNICIPALITY:
      return line.municipality;
    default:
      return line.period;
  }
}

// A sum with the set of its providers, while grouping lines.
struct Summing {
  std::set<std::string> providers;
  AggregateSum sum;

  void Add(const AcceptedLine& line) {
    providers.insert(line.kvk);
    for (std::size_t m = 0; m < kCountMeasures; ++m) {
      sum.counts[m] += line.counts[m];
    }
    sum.declared_eurocents += line.declared_eurocents;
  }
  AggregateSum Done() const {
    auto done = sum;
    done.providers = static_cast<int>(providers.size());
    return done;
  }
};

v1::ShownCount* CountField(v1::AggregateRow& row, std::size_t measure) {
  switch (measure) {
    case 0:
      return row.mutable_clients_in_care();
    case 1:
      return row.mutable_inflow();
    case 2:
      return row.mutable_outflow();
    case 3:
      return row.mutable_unilateral_endings();
    case 4:
      return row.mutable_complaints();
    default:
      return row.mutable_serious_incidents();
  }
}

}  // namespace

GroupedSums Group(const std::vector<AcceptedLine>& lines,
                  const std::vector<v1::Dimension>& dimensions) {
  const std::size_t d = dimensions.size();
  std::map<Key, Summing> cells;
  std::map<Key, Summing> subtotals;
  Summing grand;
  for (const auto& line : lines) {
    Key key;
    for (std::size_t i = 0; i < d; ++i) {
      key[i] = ValueOf(line, dimensions[i]);
    }
    if (d > 0) {
      cells[key].Add(line);
    }
    if (d == 2) {
      subtotals[{key[0], ""}].Add(line);
      subtotals[{"", key[1]}].Add(line);
    }
    grand.Add(line);
  }
  GroupedSums sums;
  for (const auto& [key, summing] : cells) {
    sums.cells[key] = summing.Done();
  }
  for (const auto& [key, summing] : subtotals) {
    sums.subtotals[key] = summing.Done();
  }
  sums.grand = grand.Done();
  return sums;
}

v1::AggregateReportsResponse Aggregate(const GroupedSums& sums,
                                       const std::vector<v1::Dimension>& dimensions,
                                       bool suppress) {
  const std::size_t d = dimensions.size();
  const auto& cells = sums.cells;
  const auto& subtotals = sums.subtotals;
  const auto& grand = sums.grand;
  // Entries in output order, and the relations between them.
  std::vector<std::pair<Key, const AggregateSum*>> entries;
  std::map<Key, std::size_t> index;
  auto add_entry = [&](const Key& key, const AggregateSum& sum) {
    index[key] = entries.size();
    entries.emplace_back(key, &sum);
  };
  if (d > 0) {
    for (const auto& [key, sum] : cells) {
      add_entry(key, sum);
    }
  }
  for (const auto& [key, sum] : subtotals) {
    add_entry(key, sum);
  }
  const std::size_t grand_index = entries.size();
  entries.emplace_back(Key{}, &grand);

  std::vector<Relation> relations;
  if (d == 1) {
    Relation all{{}, grand_index};
    for (const auto& [key, sum] : cells) {
      all.cells.push_back(index.at(key));
    }
    relations.push_back(all);
  } else if (d == 2) {
    std::map<Key, Relation> by_subtotal;
    for (const auto& [key, sum] : cells) {
      for (const Key& sub : {Key{key[0], ""}, Key{"", key[1]}}) {
        auto& relation = by_subtotal[sub];
        relation.total = index.at(sub);
        relation.cells.push_back(index.at(key));
      }
    }
    Relation first_dimension{{}, grand_index};
    Relation second_dimension{{}, grand_index};
    for (auto& [sub, relation] : by_subtotal) {
      (sub[1].empty() ? first_dimension : second_dimension).cells.push_back(index.at(sub));
      relations.push_back(std::move(relation));
    }
    relations.push_back(first_dimension);
    relations.push_back(second_dimension);
  }

  std::array<std::vector<bool>, kCountMeasures> hidden;
  for (std::size_t m = 0; m < kCountMeasures; ++m) {
    std::vector<std::int64_t> values;
    for (const auto& entry : entries) {
      values.push_back(entry.second->counts[m]);
    }
    hidden[m] = suppress ? Suppress(values, relations) : std::vector<bool>(values.size(), false);
  }

  v1::AggregateReportsResponse response;
  response.set_suppression_applied(suppress);
  for (std::size_t e = 0; e < entries.size(); ++e) {
    const auto& [key, sum] = entries[e];
    auto* row = response.add_rows();
    for (std::size_t i = 0; i < d; ++i) {
      switch (dimensions[i]) {
        case v1::LOT:
          row->set_lot_id(key[i]);
          break;
        case v1::MUNICIPALITY:
          row->set_municipality(key[i]);
          break;
        default:
          row->set_period(key[i]);
      }
    }
    row->set_total(e >= (d > 0 ? cells.size() : 0));
    row->set_providers(sum->providers);
    for (std::size_t m = 0; m < kCountMeasures; ++m) {
      auto* count = CountField(*row, m);
      if (hidden[m][e]) {
        count->set_suppressed(true);
      } else {
        count->set_value(sum->counts[m]);
      }
    }
    row->set_declared_eurocents(sum->declared_eurocents);
  }
  return response;
}

v1::BudgetExhaustionResponse BudgetExhaustion(const covenants::v1::CovenantTerms& terms, int year,
                                              const std::vector<AcceptedLine>& lines) {
  struct Figures {
    std::int64_t budget = 0;
    std::int64_t declared = 0;
  };
  std::map<std::pair<std::string, std::string>, Figures> rows;  // (municipality, lot)
  for (const auto& lot : terms.lots()) {
    for (const auto& budget : lot.budgets()) {
      if (budget.year() == year) {
        rows[{budget.municipality(), lot.lot_id()}].budget += budget.amount_cents();
      }
    }
  }
  int through_quarter = 0;
  for (const auto& line : lines) {
    rows[{line.municipality, line.lot_id}].declared += line.declared_eurocents;
    // Periods are "YYYY-Qn".
    through_quarter = std::max(through_quarter, line.period.back() - '0');
  }
  v1::BudgetExhaustionResponse response;
  response.set_through_quarter(through_quarter);
  for (const auto& [key, figures] : rows) {
    auto* row = response.add_rows();
    row->set_municipality(key.first);
    row->set_lot_id(key.second);
    row->set_budget_eurocents(figures.budget);
    row->set_declared_eurocents(figures.declared);
    if (figures.budget > 0) {
      // Per mille, rounded half up, shown with one decimal.
      const auto per_mille = (figures.declared * 2000 / figures.budget + 1) / 2;
      row->set_exhausted_percent(std::to_string(per_mille / 10) + "." +
                                 std::to_string(per_mille % 10));
    }
    const auto forecast = through_quarter == 0 ? 0 : figures.declared * 4 / through_quarter;
    row->set_forecast_eurocents(forecast);
    row->set_warning(forecast > figures.budget);
  }
  return response;
}

v1::ComparePeersResponse ComparePeers(std::vector<PeerFigures> figures, int minimum_n,
                                      bool higher_is_better, const std::string& own_kvk) {
  const std::int64_t needed = std::max<std::int64_t>(minimum_n, kSuppressionThreshold);
  const auto ranked = [&](const PeerFigures& f) { return f.denominator >= needed; };
  // Ranked rows best first (comparing n1/d1 with n2/d2 as n1 x d2 with n2 x d1), then the rest.
  std::stable_sort(figures.begin(), figures.end(), [&](const auto& a, const auto& b) {
    if (ranked(a) != ranked(b)) {
      return ranked(a);
    }
    if (!ranked(a)) {
      return false;
    }
    const auto left = outcomes::Rational(a.numerator) * outcomes::Rational(b.denominator);
    const auto right = outcomes::Rational(b.numerator) * outcomes::Rational(a.denominator);
    return higher_is_better ? left > right : left < right;
  });
  v1::ComparePeersResponse response;
  response.set_direction(higher_is_better ? "HIGHER_IS_BETTER" : "LOWER_IS_BETTER");
  const auto ratio = [](std::int64_t n, std::int64_t d) {
    // Four decimals, half up, in integers: (n x 20000 / d + 1) / 2 ten-thousandths.
    const auto units = (n * 20000 / d + 1) / 2;
    auto fraction = std::to_string(units % 10000);
    return std::to_string(units / 10000) + "." + std::string(4 - fraction.size(), '0') + fraction;
  };
  std::int64_t total_n = 0;
  std::int64_t total_d = 0;
  int rank = 0;
  for (std::size_t i = 0; i < figures.size(); ++i) {
    const auto& f = figures[i];
    auto* row = response.add_rows();
    row->set_label(i < 26 ? std::string(1, static_cast<char>('A' + i)) : std::to_string(i + 1));
    row->set_own(!own_kvk.empty() && f.kvk == own_kvk);
    if (ranked(f)) {
      row->set_rank(++rank);
      row->set_value(ratio(f.numerator, f.denominator));
    } else {
      row->set_not_ranked_reason("fewer than " + std::to_string(needed) + " in the denominator");
    }
    if (row->own()) {
      row->set_numerator(f.numerator);
      row->set_denominator(f.denominator);
    }
    total_n += f.numerator;
    total_d += f.denominator;
  }
  if (total_d >= kSuppressionThreshold) {
    response.set_pooled_value(ratio(total_n, total_d));
  }
  return response;
}

}  // namespace regie::reports
