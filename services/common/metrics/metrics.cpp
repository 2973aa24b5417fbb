#include "metrics.hpp"

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/exposer.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <fstream>
#include <mutex>
#include <sstream>
#include <stdexcept>

#include "auth/pki.hpp"
#include "error.hpp"

namespace regie::metrics {

namespace {

double Seconds(std::chrono::system_clock::time_point at) {
  return std::chrono::duration<double>(at.time_since_epoch()).count();
}

prometheus::MetricFamily Family(std::string name, std::string help, prometheus::MetricType type) {
  prometheus::MetricFamily family;
  family.name = std::move(name);
  family.help = std::move(help);
  family.type = type;
  return family;
}

void AddSample(prometheus::MetricFamily& family, double value,
               std::vector<prometheus::ClientMetric::Label> labels = {}) {
  prometheus::ClientMetric metric;
  metric.label = std::move(labels);
  if (family.type == prometheus::MetricType::Counter) {
    metric.counter.value = value;
  } else {
    metric.gauge.value = value;
  }
  family.metric.push_back(std::move(metric));
}

// The reasons of failures that come from the database (rpc/status.cpp).
bool IsDatabaseReason(std::string_view reason) {
  return reason == "DATABASE_UNAVAILABLE" || reason == "COMMIT_OUTCOME_UNKNOWN" ||
         reason == "TRANSACTION_CONFLICT";
}

}  // namespace

// What is read when scraped rather than counted: the pool's figures and certificate dates.
class Metrics::Scraped : public prometheus::Collectable {
 public:
  void WatchPool(const db::ConnectionPool& pool) {
    const std::lock_guard lock(mutex_);
    pool_ = &pool;
  }
  void WatchCertificate(const std::string& name, const std::filesystem::path& file) {
    const std::lock_guard lock(mutex_);
    certificates_.emplace_back(name, file);
  }
  void WatchReplica(const db::ReplicaMonitor& replica, const db::StandbyReads& reads) {
    const std::lock_guard lock(mutex_);
    replica_ = &replica;
    standby_reads_ = &reads;
  }

  void WatchBatchedWriter(const rpc::BatchedWriter& writer) {
    const std::lock_guard lock(mutex_);
    batched_writers_.push_back(writer);
  }
  void WatchCounter(const rpc::AreaCounter& counter) {
    const std::lock_guard lock(mutex_);
    counters_.push_back(counter);
  }

  std::vector<prometheus::MetricFamily> Collect() const override {
    using prometheus::MetricType;
    const std::lock_guard lock(mutex_);
    std::vector<prometheus::MetricFamily> families;
    if (!batched_writers_.empty()) {
      auto queued =
          Family("regie_batch_queued", "Items waiting for a batched writer", MetricType::Gauge);
      auto batches = Family("regie_batches_total",
                            "Batches a batched writer took from its queue, a lone item's too",
                            MetricType::Counter);
      auto items =
          Family("regie_batch_items_total", "The items in those batches", MetricType::Counter);
      for (const auto& writer : batched_writers_) {
        const auto stats = writer.stats();
        AddSample(queued, static_cast<double>(stats.queued), {{"writes", writer.writes}});
        AddSample(batches, static_cast<double>(stats.batches_total), {{"writes", writer.writes}});
        AddSample(items, static_cast<double>(stats.items_total), {{"writes", writer.writes}});
      }
      families.push_back(std::move(queued));
      families.push_back(std::move(batches));
      families.push_back(std::move(items));
    }
    // The areas' counts, a family per name in the order first watched.
    for (std::size_t i = 0; i < counters_.size(); ++i) {
      const auto& name = counters_[i].name;
      if (std::any_of(counters_.begin(), counters_.begin() + static_cast<std::ptrdiff_t>(i),
                      [&](const rpc::AreaCounter& c) { return c.name == name; })) {
        continue;  // in the family already
      }
      auto family = Family(name, counters_[i].help, MetricType::Counter);
      for (const auto& counter : counters_) {
        if (counter.name == name) {
          std::vector<prometheus::ClientMetric::Label> labels;
          for (const auto& [label, value] : counter.labels) {
            labels.push_back({label, value});
          }
          AddSample(family, static_cast<double>(counter.value()), std::move(labels));
        }
      }
      families.push_back(std::move(family));
    }
    if (pool_ != nullptr) {
      const auto stats = pool_->stats();
      auto connections =
          Family("regie_db_pool_connections", "Open database connections", MetricType::Gauge);
      AddSample(connections, stats.idle, {{"state", "idle"}});
      AddSample(connections, stats.open - stats.idle, {{"state", "in_use"}});
      families.push_back(std::move(connections));
      auto waiting = Family("regie_db_pool_waiting", "Callers waiting for a database connection",
                            MetricType::Gauge);
      AddSample(waiting, stats.waiting);
      families.push_back(std::move(waiting));
      const struct {
        const char* name;
        const char* help;
        std::uint64_t value;
      } totals[] = {
          {"regie_db_pool_opened_total", "Database connections opened", stats.opened_total},
          {"regie_db_pool_discarded_total", "Broken database connections dropped from the pool",
           stats.discarded_total},
          {"regie_db_pool_timeouts_total", "Waits for a database connection that ran out of time",
           stats.timeouts_total}};
      for (const auto& [name, help, value] : totals) {
        auto total = Family(name, help, MetricType::Counter);
        AddSample(total, static_cast<double>(value));
        families.push_back(std::move(total));
      }
    }
    if (replica_ != nullptr) {
      auto usable = Family("regie_db_replica_usable",
                           "1 while reads that tolerate staleness go to the standby, else 0",
                           MetricType::Gauge);
      AddSample(usable, replica_->usable() ? 1 : 0);
      families.push_back(std::move(usable));
      if (const auto lag = replica_->lag_seconds()) {
        auto lag_family =
            Family("regie_db_replica_lag_seconds", "How far the read standby is behind the primary",
                   MetricType::Gauge);
        AddSample(lag_family, *lag);
        families.push_back(std::move(lag_family));
      }
      auto routed = Family("regie_db_read_only_caller_transactions_total",
                           "Transactions of callers that only read (auditors), by the pool they "
                           "were sent to: the standby's, or the primary's (a read-write one)",
                           MetricType::Counter);
      AddSample(routed, static_cast<double>(standby_reads_->routed_total()), {{"pool", "standby"}});
      AddSample(routed, static_cast<double>(standby_reads_->kept_on_primary_total()),
                {{"pool", "primary"}});
      families.push_back(std::move(routed));
    }
    auto expiry = Family("regie_tls_certificate_expiry_timestamp_seconds",
                         "When a certificate this process uses expires (notAfter, Unix time)",
                         MetricType::Gauge);
    for (const auto& [name, file] : certificates_) {
      try {
        std::ifstream in(file);
        std::stringstream pem;
        pem << in.rdbuf();
        AddSample(expiry, Seconds(auth::ParseCertificate(pem.str()).not_after),
                  {{"certificate", name}});
      } catch (const std::exception&) {
        // Unreadable now (being replaced, say): leave it out of this scrape.
      }
    }
    if (!expiry.metric.empty()) {
      families.push_back(std::move(expiry));
    }
    return families;
  }

 private:
  mutable std::mutex mutex_;
  const db::ConnectionPool* pool_ = nullptr;
  const db::ReplicaMonitor* replica_ = nullptr;
  const db::StandbyReads* standby_reads_ = nullptr;  // with replica_
  std::vector<std::pair<std::string, std::filesystem::path>> certificates_;
  std::vector<rpc::BatchedWriter> batched_writers_;
  std::vector<rpc::AreaCounter> counters_;
};

Metrics::Metrics()
    : registry_(std::make_shared<prometheus::Registry>()),
      scraped_(std::make_shared<Scraped>()),
      rpcs_(prometheus::BuildCounter()
                .Name("regie_rpc_total")
                .Help("RPCs finished, by method and status code")
                .Register(*registry_)),
      latency_(prometheus::BuildHistogram()
                   .Name("regie_rpc_duration_seconds")
                   .Help("RPC latency at the server, by method and status code")
                   .Register(*registry_)),
      database_errors_(prometheus::BuildCounter()
                           .Name("regie_database_errors_total")
                           .Help("RPCs that failed on the database, by reason")
                           .Register(*registry_)),
      sealed_entries_(prometheus::BuildGauge()
                          .Name("regie_audit_sealed_entries")
                          .Help("Entries in the sealed audit chain")
                          .Register(*registry_)
                          .Add({})),
      last_seal_(prometheus::BuildGauge()
                     .Name("regie_audit_last_seal_timestamp_seconds")
                     .Help("When this process last ran the audit sealer successfully")
                     .Register(*registry_)
                     .Add({})),
      last_checkpoint_(prometheus::BuildGauge()
                           .Name("regie_audit_last_checkpoint_timestamp_seconds")
                           .Help("When this process last signed an audit checkpoint")
                           .Register(*registry_)
                           .Add({})) {}

Metrics::~Metrics() = default;

void Metrics::Finished(std::string_view method, int code, std::string_view reason,
                       std::chrono::nanoseconds duration) {
  const std::string code_name = code == 0 ? "OK" : ErrorCodeName(static_cast<ErrorCode>(code));
  const prometheus::Labels labels{{"method", std::string(method)}, {"code", code_name}};
  rpcs_.Add(labels).Increment();
  // From 1 ms to 10 s: a read takes milliseconds, a settlement run or an export seconds.
  static const prometheus::Histogram::BucketBoundaries kBuckets{
      0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
  latency_.Add(labels, kBuckets).Observe(std::chrono::duration<double>(duration).count());
  if (IsDatabaseReason(reason)) {
    database_errors_.Add({{"reason", std::string(reason)}}).Increment();
  }
}

void Metrics::WatchPool(const db::ConnectionPool& pool) { scraped_->WatchPool(pool); }

void Metrics::WatchCertificate(const std::string& name, const std::filesystem::path& file) {
  scraped_->WatchCertificate(name, file);
}

void Metrics::WatchReplica(const db::ReplicaMonitor& replica, const db::StandbyReads& reads) {
  scraped_->WatchReplica(replica, reads);
}

void Metrics::WatchBatchedWriter(const rpc::BatchedWriter& writer) {
  scraped_->WatchBatchedWriter(writer);
}

void Metrics::WatchCounter(const rpc::AreaCounter& counter) { scraped_->WatchCounter(counter); }

void Metrics::Sealed(const audit::SealResult& result) {
  if (!result.ran) {
    return;  // another process holds the sealer lock: it reports the chain
  }
  const double now = Seconds(std::chrono::system_clock::now());
  sealed_entries_.Set(static_cast<double>(result.head_seq));
  last_seal_.Set(now);
  if (result.checkpointed) {
    last_checkpoint_.Set(now);
  }
}

int Metrics::Serve(const std::string& address) {
  try {
    exposer_ = std::make_unique<prometheus::Exposer>(address, 1);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot serve metrics on " + address + ": " + e.what());
  }
  exposer_->RegisterCollectable(registry_);
  exposer_->RegisterCollectable(scraped_);
  const auto ports = exposer_->GetListeningPorts();
  return ports.empty() ? 0 : ports.front();
}

void Metrics::StopServing() { exposer_.reset(); }

std::string Metrics::Text() const {
  auto families = registry_->Collect();
  auto more = scraped_->Collect();
  families.insert(families.end(), more.begin(), more.end());
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, families);
  return out.str();
}

}  // namespace regie::metrics
