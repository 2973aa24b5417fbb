#pragma once

// How a process hosts a service area. Every area (covenants, providers, outcomes, reports)
// provides a factory that builds its stores and gRPC services from the parts every process shares.
// regie-server hosts them all; a per-area daemon (regie-covenantsd, ...) hosts one.

#include <grpcpp/impl/service_type.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "db/batcher.hpp"
#include "db/pool.hpp"
#include "rpc/boundary.hpp"

namespace regie::rpc {

// What a process shares with the areas it hosts; all outlive the bundles.
struct ServiceParts {
  db::ConnectionPool& pool;
  const RpcBoundary& boundary;
  // For reads that tolerate bounded staleness (auditor queries, exports): a hot standby's pool
  // that falls back to `pool` (docs/scaling.md), or `pool` itself when there is no standby.
  db::ConnectionPool& read_pool;
};

// A writer of an area that stores what arrives together in batches (db/batcher.hpp), named by
// what it writes ("report_submissions"), for the process's metrics.
struct BatchedWriter {
  std::string writes;
  std::function<db::BatcherStats()> stats;  // callable while the bundle lives
};

// A count an area keeps itself, for the process's metrics: one sample of the counter family
// `name`, with `labels`, read at each scrape.
struct AreaCounter {
  std::string name;  // regie_..._total
  std::string help;
  std::vector<std::pair<std::string, std::string>> labels;
  std::function<std::uint64_t()> value;  // callable while the bundle lives
};

class ServiceBundle {
 public:
  virtual ~ServiceBundle() = default;
  // The gRPC services to register; owned by the bundle.
  virtual std::vector<grpc::Service*> services() = 0;
  // Their full names ("regie.covenants.v1.ReferenceDataService"), for health.
  virtual std::vector<std::string> service_names() const = 0;
  // Work the calendar drives (e.g. activating covenants on their start date), called by the
  // process's background loop every --calendar-interval-ms. Throws when the database fails.
  virtual void Tick(db::Clock::time_point /*deadline*/) {}
  // Its batched writers, if any.
  virtual std::vector<BatchedWriter> batched_writers() { return {}; }
  // Its own counts, if any.
  virtual std::vector<AreaCounter> counters() { return {}; }
};

using BundleFactory = std::function<std::unique_ptr<ServiceBundle>(const ServiceParts&)>;

}  // namespace regie::rpc
