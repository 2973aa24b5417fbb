#pragma once

// Measurements of regie-bench: latency percentiles and throughput of one run, and the results
// table (a scenario's run next to its baseline, with their ratio).

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace regie::bench {

struct Run {
  std::size_t count = 0;
  double seconds = 0;
  double per_second = 0;
  double p50_ms = 0;
  double p95_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

// Whether a row met its target, and the figures that say so (targets.hpp).
struct Verdict {
  std::string target;  // what was asked, e.g. "p95 <= 100 ms"
  bool met = false;
  std::string reason;
};

// The nearest-rank percentile `p` (0-100) of sorted `values`.
inline double Percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) {
    return 0;
  }
  const auto rank =
      static_cast<std::size_t>(std::ceil(p / 100 * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size(), std::max<std::size_t>(rank, 1)) - 1];
}

inline Run Summarise(std::vector<double> latencies_ms, double seconds) {
  std::sort(latencies_ms.begin(), latencies_ms.end());
  Run run;
  run.count = latencies_ms.size();
  run.seconds = seconds;
  run.per_second = seconds > 0 ? static_cast<double>(run.count) / seconds : 0;
  run.p50_ms = Percentile(latencies_ms, 50);
  run.p95_ms = Percentile(latencies_ms, 95);
  run.p99_ms = Percentile(latencies_ms, 99);
  run.max_ms = latencies_ms.empty() ? 0 : latencies_ms.back();
  return run;
}

// Regie's throughput as a share of the baseline's.
inline double Ratio(const Run& regie, const Run& baseline) {
  return baseline.per_second > 0 ? regie.per_second / baseline.per_second : 0.0;
}

// `value` with `digits` digits after the point.
inline std::string Fixed(double value, int digits) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << value;
  return s.str();
}

class Results {
 public:
  // A smoke run's sizes are too small for its figures to say anything about the targets, so its
  // verdicts are not kept (Judge).
  explicit Results(bool judged) : judged_(judged) {}

  // Regie's `run` next to its `baseline`; the ratio is of their throughputs. A note named "bound"
  // is printed under the row too, and so are one named "autovacuum" (AutovacuumBetween) and the
  // machine's speed while they ran, when given (the median of MachineProbeMs before their turns),
  // as a share of the fastest probe of all rows.
  void Add(const std::string& scenario, const std::string& variant, const std::string& unit,
           const Run& run, const Run& baseline, const std::map<std::string, std::string>& notes,
           std::optional<double> machine_probe_ms = std::nullopt) {
    nlohmann::json row = {
        {"scenario", scenario}, {"variant", variant},         {"unit", unit},
        {"regie", Json(run)},   {"baseline", Json(baseline)}, {"ratio", Ratio(run, baseline)}};
    for (const auto& [k, v] : notes) {
      row[k] = v;
    }
    if (machine_probe_ms) {
      row["machine_probe_ms"] = *machine_probe_ms;
    }
    rows_.push_back(std::move(row));
  }

  // A single figure without a baseline (memory, start-up time).
  void AddValue(const std::string& scenario, const std::string& variant, const std::string& unit,
                double value, const std::string& target) {
    rows_.push_back({{"scenario", scenario},
                     {"variant", variant},
                     {"unit", unit},
                     {"value", value},
                     {"target", target}});
  }

  // The verdict on the last row's target.
  void Judge(const Verdict& verdict) {
    if (!judged_ || rows_.empty()) {
      return;
    }
    rows_.back()["verdicts"].push_back(
        {{"target", verdict.target}, {"met", verdict.met}, {"reason", verdict.reason}});
  }

  // The verdicts, as (row, verdict) pairs in the order of the rows.
  std::vector<std::pair<std::string, Verdict>> Verdicts() const {
    std::vector<std::pair<std::string, Verdict>> all;
    for (const auto& row : rows_) {
      for (const auto& v : row.value("verdicts", nlohmann::json::array())) {
        all.emplace_back(
            row["scenario"].get<std::string>() + ", " + row["variant"].get<std::string>(),
            Verdict{v["target"].get<std::string>(), v["met"].get<bool>(),
                    v["reason"].get<std::string>()});
      }
    }
    return all;
  }

  void Print(std::ostream& out) const {
    out << std::left << std::setw(10) << "SCENARIO" << std::setw(40) << "VARIANT" << std::setw(12)
        << "REGIE" << std::setw(12) << "BASELINE" << std::setw(8) << "RATIO" << std::setw(26)
        << "REGIE p50/p95/p99 ms"
        << "BASELINE p50/p95/p99 ms\n";
    for (const auto& row : rows_) {
      out << std::setw(10) << row["scenario"].get<std::string>() << std::setw(40)
          << row["variant"].get<std::string>();
      if (row.contains("value")) {
        out << Fixed(row["value"].get<double>(), 3) << " " << row["unit"].get<std::string>()
            << (row["target"].get<std::string>().empty()
                    ? ""
                    : "   (target " + row["target"].get<std::string>() + ")")
            << "\n";
        PrintVerdicts(out, row);
        continue;
      }
      const auto& r = row["regie"];
      const auto& b = row["baseline"];
      out << std::setw(12) << Fixed(r["per_second"].get<double>(), 1) << std::setw(12)
          << Fixed(b["per_second"].get<double>(), 1) << std::setw(8)
          << Fixed(row["ratio"].get<double>(), 2) << std::setw(26) << Percentiles(r)
          << std::setw(26) << Percentiles(b) << "   " << row["unit"].get<std::string>() << "\n";
      if (row.contains("bound")) {
        out << std::setw(50) << "" << row["bound"].get<std::string>() << "\n";
      }
      if (row.contains("autovacuum")) {
        out << std::setw(50) << ""
            << "PostgreSQL's autovacuum meanwhile: " << row["autovacuum"].get<std::string>()
            << "\n";
      }
      if (row.contains("machine_probe_ms")) {
        const double ms = row["machine_probe_ms"].get<double>();
        out << std::setw(50) << ""
            << "machine probe " << Fixed(ms, 1) << " ms: speed "
            << Fixed(100 * FastestProbeMs() / ms, 0) << "% of the fastest in this run\n";
      }
      PrintVerdicts(out, row);
    }
    PrintSummary(out);
  }

  nlohmann::json Json() const { return rows_; }

 private:
  static nlohmann::json Json(const Run& r) {
    return {{"count", r.count},   {"seconds", r.seconds}, {"per_second", r.per_second},
            {"p50_ms", r.p50_ms}, {"p95_ms", r.p95_ms},   {"p99_ms", r.p99_ms},
            {"max_ms", r.max_ms}};
  }
  static void PrintVerdicts(std::ostream& out, const nlohmann::json& row) {
    for (const auto& v : row.value("verdicts", nlohmann::json::array())) {
      out << std::setw(50) << ""
          << "target " << v["target"].get<std::string>() << ": "
          << (v["met"].get<bool>() ? "met" : "NOT MET") << " (" << v["reason"].get<std::string>()
          << ")\n";
    }
  }
  void PrintSummary(std::ostream& out) const {
    if (!judged_) {
      out << "\nTargets: not judged (a smoke run's sizes say nothing about them).\n";
      return;
    }
    const auto verdicts = Verdicts();
    if (verdicts.empty()) {
      out << "\nTargets: none in this run's rows (submit's are for 16 clients).\n";
      return;
    }
    const auto met =
        std::count_if(verdicts.begin(), verdicts.end(), [](const auto& v) { return v.second.met; });
    out << "\nTargets (docs/adr/0023): " << met << " of " << verdicts.size() << " met.\n";
    for (const auto& [row, v] : verdicts) {
      if (!v.met) {
        out << "  NOT MET: " << row << ": " << v.target << " (" << v.reason << ")\n";
      }
    }
  }
  double FastestProbeMs() const {
    double fastest = 0;
    for (const auto& row : rows_) {
      if (row.contains("machine_probe_ms")) {
        const double ms = row["machine_probe_ms"].get<double>();
        fastest = fastest == 0 ? ms : std::min(fastest, ms);
      }
    }
    return fastest;
  }
  static std::string Percentiles(const nlohmann::json& run) {
    return Fixed(run["p50_ms"].get<double>(), 1) + "/" + Fixed(run["p95_ms"].get<double>(), 1) +
           "/" + Fixed(run["p99_ms"].get<double>(), 1);
  }

  bool judged_;
  nlohmann::json rows_ = nlohmann::json::array();
};

}  // namespace regie::bench
