#pragma once

// gRPC adapter of regie.reports.v1.ReportService (docs/adr/0009). Rules live in report_rules.hpp,
// the signed bytes in report_signing.hpp, storage behind reports_store.hpp.

#include <atomic>
#include <cstdint>
#include <string>

#include "covenant_store.hpp"
#include "regie/reports/v1/reports.grpc.pb.h"
#include "report_rules.hpp"
#include "reports_store.hpp"
#include "rpc/boundary.hpp"

namespace regie::reports {

class ReportService final : public v1::ReportService::Service {
 public:
  ReportService(const rpc::RpcBoundary& boundary, covenants::CovenantStore& covenants,
                ReportStore& reports);

  grpc::Status SubmitReport(grpc::ServerContext* context, const v1::SubmitReportRequest* request,
                            v1::Report* response) override;
  grpc::Status UploadReport(grpc::ServerContext* context,
                            grpc::ServerReader<v1::UploadReportRequest>* reader,
                            v1::Report* response) override;
  grpc::Status GetReport(grpc::ServerContext* context, const v1::GetReportRequest* request,
                         v1::Report* response) override;
  grpc::Status ListReports(grpc::ServerContext* context, const v1::ListReportsRequest* request,
                           v1::ListReportsResponse* response) override;
  grpc::Status ListReportVersions(grpc::ServerContext* context,
                                  const v1::ListReportVersionsRequest* request,
                                  v1::ListReportVersionsResponse* response) override;
  grpc::Status ReviewReport(grpc::ServerContext* context, const v1::ReviewReportRequest* request,
                            v1::Report* response) override;

  // How submissions got the facts they were stored with (docs/adr/0019): `held` ones were checked
  // against facts the process held and stored without a read, `read` counts the facts' reads.
  struct FactsCounts {
    std::uint64_t held = 0;
    std::uint64_t read = 0;
  };
  FactsCounts Facts() const { return {facts_held_.load(), facts_read_.load()}; }

 private:
  // A submission as parsed before any facts are read.
  struct ParsedSubmission {
    std::string covenant_id;
    std::string kvk;
    Period period;
    std::string period_start;  // ISO
    std::string period_end;
    v1::ReportContent canonical;
    std::string canonical_bytes;
    std::string digest;  // SHA-256 of canonical_bytes
  };

  // SubmitReport's work, shared by UploadReport once the stream is read.
  v1::Report Submit(const rpc::Call& call, const v1::SubmitReportRequest& request);
  // The version to store, checked against `facts`: the rules of report_rules.hpp, the period's
  // end, the signature. Throws what it breaks; takes `parsed.canonical` when it does not.
  NewVersion CheckedVersion(const rpc::Call& call, const v1::SubmitReportRequest& request,
                            ParsedSubmission& parsed, const SubmissionFacts& facts);
  // Every version of a report the caller may read, oldest first; NOT_FOUND or PERMISSION_DENIED.
  std::vector<v1::Report> ReadableVersions(const rpc::Call& call, const std::string& name);

  const rpc::RpcBoundary& boundary_;
  covenants::CovenantStore& covenants_;
  ReportStore& reports_;
  std::atomic<std::uint64_t> facts_held_ = 0;
  std::atomic<std::uint64_t> facts_read_ = 0;
};

}  // namespace regie::reports
