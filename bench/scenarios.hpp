#pragma once

// The scenarios of regie-bench (docs/performance.md). Each measures Regie and a baseline in the
// same run and adds both to `results`.

#include "bench_world.hpp"

namespace regie::bench {

// 1. Signed quarterly reports submitted at each concurrency level, against the same rows
//    inserted with libpqxx, one transaction per report.
void Submit(const Options& o, const Providers& providers, Results& results);

// 2. Reports of the per-report maximum of lines streamed with UploadReport until a million lines
//    are stored, against libpqxx stream_to of the same rows.
void Upload(const Options& o, const Providers& providers, Results& results);

// 3. AggregateReports over ten million seeded lines, against the straightforward GROUP BY over
//    the raw tables; the answers are compared, also right after a new report is accepted.
void Aggregate(const Options& o, const Providers& providers, Results& results);

// 4. A settlement run over 1,000 providers x 5 indicators, against reading the same sums and
//    writing the same number of rows with libpqxx.
void Settlement(const Options& o, const Providers& providers, Results& results);

// 5. Resident memory of the server (idle and after the other scenarios) and its start-up time.
long ResidentKilobytes(int pid);
double StartupSeconds(const Options& o);

}  // namespace regie::bench
