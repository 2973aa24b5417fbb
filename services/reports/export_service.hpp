#pragma once

// gRPC adapter of regie.reports.v1.ExportService (docs/adr/0009): the OCDS release package
// (ocds.hpp) and the annual production statement.

#include "covenant_store.hpp"
#include "regie/reports/v1/exports.grpc.pb.h"
#include "reports_store.hpp"
#include "rpc/boundary.hpp"

namespace regie::reports {

// Exports for open data (OCDS, ocds.hpp).
class ExportService final : public v1::ExportService::Service {
 public:
  ExportService(const rpc::RpcBoundary& boundary, covenants::CovenantStore& covenants,
                ReportStore& reports);

  grpc::Status ExportOcds(grpc::ServerContext* context, const v1::ExportOcdsRequest* request,
                          v1::OcdsExport* response) override;
  grpc::Status ExportProductionStatement(grpc::ServerContext* context,
                                         const v1::ExportProductionStatementRequest* request,
                                         v1::ProductionStatement* response) override;

 private:
  const rpc::RpcBoundary& boundary_;
  covenants::CovenantStore& covenants_;
  ReportStore& reports_;
};

}  // namespace regie::reports
