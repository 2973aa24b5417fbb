#pragma once

// gRPC adapter of regie.audit.v1.AuditService: hands out the raw audit log for verification.

#include "db/pool.hpp"
#include "regie/audit/v1/audit.grpc.pb.h"
#include "rpc/boundary.hpp"

namespace regie::audit {

class AuditService final : public regie::audit::v1::AuditService::Service {
 public:
  AuditService(const rpc::RpcBoundary& boundary, db::ConnectionPool& pool);

  grpc::Status GetLogState(grpc::ServerContext* context, const v1::GetLogStateRequest* request,
                           v1::LogState* response) override;
  grpc::Status ListEntries(grpc::ServerContext* context, const v1::ListEntriesRequest* request,
                           v1::ListEntriesResponse* response) override;
  grpc::Status ListResourceEvents(grpc::ServerContext* context,
                                  const v1::ListResourceEventsRequest* request,
                                  v1::ListResourceEventsResponse* response) override;
  grpc::Status ListCheckpoints(grpc::ServerContext* context,
                               const v1::ListCheckpointsRequest* request,
                               v1::ListCheckpointsResponse* response) override;
  grpc::Status ListSigningKeys(grpc::ServerContext* context,
                               const v1::ListSigningKeysRequest* request,
                               v1::ListSigningKeysResponse* response) override;

 private:
  const rpc::RpcBoundary& boundary_;
  db::ConnectionPool& pool_;
};

}  // namespace regie::audit
