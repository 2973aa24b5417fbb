#pragma once

// gRPC adapter of regie.reports.v1.QueryService (docs/adr/0009): aggregates with small-count
// suppression, peer comparison and budget exhaustion over accepted reports (aggregates.hpp).

#include "covenant_store.hpp"
#include "regie/reports/v1/queries.grpc.pb.h"
#include "reports_store.hpp"
#include "rpc/boundary.hpp"

namespace regie::reports {

// Read-only aggregates of accepted reports, with small-count suppression (suppression.hpp).
class QueryService final : public v1::QueryService::Service {
 public:
  QueryService(const rpc::RpcBoundary& boundary, covenants::CovenantStore& covenants,
               ReportStore& reports);

  grpc::Status AggregateReports(grpc::ServerContext* context,
                                const v1::AggregateReportsRequest* request,
                                v1::AggregateReportsResponse* response) override;
  grpc::Status BudgetExhaustion(grpc::ServerContext* context,
                                const v1::BudgetExhaustionRequest* request,
                                v1::BudgetExhaustionResponse* response) override;
  grpc::Status ComparePeers(grpc::ServerContext* context, const v1::ComparePeersRequest* request,
                            v1::ComparePeersResponse* response) override;

 private:
  const rpc::RpcBoundary& boundary_;
  covenants::CovenantStore& covenants_;
  ReportStore& reports_;
};

}  // namespace regie::reports
