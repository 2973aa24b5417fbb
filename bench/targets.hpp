#pragma once

// The performance issue's targets, as regie-bench judges them (docs/adr/0023). Each function takes
// the figures of one row of the results and says whether its target was met, and why, in words
// that name the figures.

#include <string>
#include <utility>

#include "bench_support.hpp"

namespace regie::bench::targets {

inline constexpr int kSubmitClients = 16;  // the submit level the targets are for
inline constexpr double kSubmitRatio = 0.60;
inline constexpr double kSubmitP99Ms = 25;
inline constexpr double kUploadRatio = 0.50;
inline constexpr double kAggregateP95Ms = 100;
inline constexpr double kSettlementMs = 1000;
inline constexpr double kIdleMemoryMb = 40;
inline constexpr double kStartupSeconds = 1;

namespace detail {

inline Verdict AtLeast(std::string target, const std::string& what, double value, double floor) {
  const bool met = value >= floor;
  return {std::move(target), met,
          what + " " + Fixed(value, 3) + (met ? " >= " : " < ") + Fixed(floor, 2)};
}

// `value` and `limit` are shown with `digits` digits after the point, followed by `unit`.
inline Verdict AtMost(std::string target, const std::string& what, double value, double limit,
                      const std::string& unit, int digits) {
  const bool met = value <= limit;
  return {std::move(target), met,
          what + " " + Fixed(value, digits) + unit + (met ? " <= " : " > ") + Fixed(limit, digits) +
              unit};
}

inline Verdict LessThan(std::string target, const std::string& what, double value, double limit,
                        const std::string& unit, int digits) {
  const bool met = value < limit;
  return {std::move(target), met,
          what + " " + Fixed(value, digits) + unit + (met ? " < " : " >= ") + Fixed(limit, digits) +
              unit};
}

}  // namespace detail

// Submit at 16 clients: at least 60% of the baseline's throughput.
inline Verdict SubmitThroughput(double ratio) {
  return detail::AtLeast(">= 60% of the baseline", "ratio", ratio, kSubmitRatio);
}

// Submit at 16 clients: p99 at most 25 ms, against the machine in the same run (docs/adr/0023).
// In a closed loop of 16 clients a latency is a throughput in disguise (Little's law), so when
// the machine cannot give even the baseline, plain inserts of the same rows in the same level,
// a p99 of 25 ms, no writer could have one there; then Regie's p99 must be at most the
// baseline's. Otherwise it must be at most 25 ms.
inline Verdict SubmitP99(double regie_p99_ms, double baseline_p99_ms) {
  const auto limit = Fixed(kSubmitP99Ms, 0) + " ms";
  const auto target = "p99 <= " + limit + " (or <= the baseline's, when the baseline's is above)";
  const auto regie = "Regie's p99 " + Fixed(regie_p99_ms, 1) + " ms";
  const auto baseline = "the baseline's " + Fixed(baseline_p99_ms, 1) + " ms";
  if (regie_p99_ms <= kSubmitP99Ms) {
    return {target, true, regie + " <= " + limit};
  }
  if (baseline_p99_ms <= kSubmitP99Ms) {
    return {target, false, regie + " > " + limit + ", and " + baseline + " met " + limit};
  }
  const bool met = regie_p99_ms <= baseline_p99_ms;
  return {target, met,
          regie + " > " + limit + ", and " + (met ? "<= " : "> ") + baseline +
              ": the machine gave neither " + limit + " in this level"};
}

// Bulk upload: at least 50% of stream_to's lines per second.
inline Verdict Upload(double ratio) {
  return detail::AtLeast(">= 50% of stream_to", "ratio", ratio, kUploadRatio);
}

// Auditor aggregate: p95 at most 100 ms (the answers' equality is checked where they are asked,
// and a difference ends the run).
inline Verdict Aggregate(double p95_ms) {
  return detail::AtMost("p95 <= 100 ms", "p95", p95_ms, kAggregateP95Ms, " ms", 1);
}

// Settlement of 1,000 providers: each run under 1 s.
inline Verdict Settlement(double slowest_ms) {
  return detail::LessThan("< 1 s per run", "the slowest run", slowest_ms, kSettlementMs, " ms", 1);
}

// Footprint: idle resident memory at most 40 MB.
inline Verdict IdleMemory(double megabytes) {
  return detail::AtMost("<= 40 MB", "resident", megabytes, kIdleMemoryMb, " MB", 1);
}

// Footprint: start-up to SERVING under 1 s.
inline Verdict Startup(double seconds) {
  return detail::LessThan("< 1 s", "start-up", seconds, kStartupSeconds, " s", 2);
}

}  // namespace regie::bench::targets
