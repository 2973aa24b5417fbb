#pragma once

// gRPC adapter of regie.covenants.v1.DocumentService: a covenant's documents by hash.

#include "covenant_store.hpp"
#include "document_store.hpp"
#include "regie/covenants/v1/documents.grpc.pb.h"
#include "rpc/boundary.hpp"

namespace regie::covenants {

class DocumentService final : public v1::DocumentService::Service {
 public:
  DocumentService(const rpc::RpcBoundary& boundary, CovenantStore& covenants,
                  DocumentStore& documents);

  grpc::Status RecordDocument(grpc::ServerContext* context,
                              const v1::RecordDocumentRequest* request,
                              v1::Document* response) override;
  grpc::Status GetDocument(grpc::ServerContext* context, const v1::GetDocumentRequest* request,
                           v1::Document* response) override;
  grpc::Status ListDocuments(grpc::ServerContext* context, const v1::ListDocumentsRequest* request,
                             v1::ListDocumentsResponse* response) override;
  grpc::Status ListDocumentRevisions(grpc::ServerContext* context,
                                     const v1::ListDocumentRevisionsRequest* request,
                                     v1::ListDocumentRevisionsResponse* response) override;

 private:
  const rpc::RpcBoundary& boundary_;
  CovenantStore& covenants_;
  DocumentStore& documents_;
};

}  // namespace regie::covenants
