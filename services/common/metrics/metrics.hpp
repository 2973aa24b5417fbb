#pragma once

// The Prometheus metrics of one Regie process (prometheus-cpp; docs/operations.md, "Metrics"):
//   regie_rpc_total{method,code}                      calls finished by the RPC boundary
//   regie_rpc_duration_seconds{method,code}           their latency (histogram)
//   regie_database_errors_total{reason}               calls that failed on the database
//   regie_db_pool_connections{state}                  open connections, idle or in use
//   regie_db_pool_waiting                             callers waiting for a connection now
//   regie_db_pool_{opened,discarded,timeouts}_total   connections opened, broken ones dropped,
//                                                     waits that ran out of time
//   regie_audit_sealed_entries                        length of the sealed audit chain
//   regie_audit_last_seal_timestamp_seconds           when the sealer last succeeded
//   regie_audit_last_checkpoint_timestamp_seconds     when this process last signed a checkpoint
//   regie_tls_certificate_expiry_timestamp_seconds{certificate}  notAfter of the files in use
//   regie_db_replica_usable, regie_db_replica_lag_seconds   the read standby, when there is one
//   regie_batch_queued{writes}                        items waiting for a batched writer now
//   regie_batches_total{writes}, regie_batch_items_total{writes}   batches written and their
//                                                     items (the ratio is the average batch)
// Pool figures, batches and certificate dates are read when scraped; the others are counted as
// they happen.

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_log.hpp"
#include "db/pool.hpp"
#include "db/replica.hpp"
#include "db/standby_reads.hpp"
#include "rpc/boundary.hpp"
#include "rpc/service_bundle.hpp"

namespace prometheus {
class Counter;
class Exposer;
class Gauge;
class Histogram;
class Registry;
template <typename T>
class Family;
}  // namespace prometheus

namespace regie::metrics {

class Metrics : public rpc::CallObserver {
 public:
  Metrics();
  ~Metrics() override;
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  void Finished(std::string_view method, int code, std::string_view reason,
                std::chrono::nanoseconds duration) override;

  // Reports `pool`'s figures at each scrape; `pool` must outlive this object.
  void WatchPool(const db::ConnectionPool& pool);
  // Reports the notAfter of the PEM certificate in `file` as `name`, read at each scrape (so a
  // renewed file shows at once); a file that cannot be read is left out.
  void WatchCertificate(const std::string& name, const std::filesystem::path& file);
  // Reports whether the read standby is used and how far behind it is, and where the
  // transactions of callers that only read went (db/standby_reads.hpp), at each scrape.
  void WatchReplica(const db::ReplicaMonitor& replica, const db::StandbyReads& reads);
  // Reports a batched writer's figures at each scrape; its `stats` must stay callable.
  void WatchBatchedWriter(const rpc::BatchedWriter& writer);
  // Reports an area's count at each scrape; its `value` must stay callable.
  void WatchCounter(const rpc::AreaCounter& counter);
  // After each successful run of the audit sealer.
  void Sealed(const audit::SealResult& result);

  // Serves GET /metrics over HTTP on `address` ("host:port"; port 0 picks a free one) from
  // threads of its own; returns the port. Throws std::runtime_error when it cannot listen.
  int Serve(const std::string& address);
  // Stops serving (and waits for a scrape in progress); before what the scrapes read goes away.
  void StopServing();

  // The exposition text a scrape would get now.
  std::string Text() const;

 private:
  class Scraped;

  std::shared_ptr<prometheus::Registry> registry_;
  std::shared_ptr<Scraped> scraped_;
  prometheus::Family<prometheus::Counter>& rpcs_;
  prometheus::Family<prometheus::Histogram>& latency_;
  prometheus::Family<prometheus::Counter>& database_errors_;
  prometheus::Gauge& sealed_entries_;
  prometheus::Gauge& last_seal_;
  prometheus::Gauge& last_checkpoint_;
  std::unique_ptr<prometheus::Exposer> exposer_;
};

}  // namespace regie::metrics
