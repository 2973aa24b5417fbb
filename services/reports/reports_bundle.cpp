#include "reports_bundle.hpp"

#include "export_service.hpp"
#include "query_service.hpp"
#include "report_service.hpp"

namespace regie::reports {
namespace {

class ReportsBundle final : public rpc::ServiceBundle {
 public:
  explicit ReportsBundle(const rpc::ServiceParts& parts)
      : covenant_store_(parts.pool),
        report_store_(parts.pool),
        read_covenant_store_(parts.read_pool),
        read_report_store_(parts.read_pool),
        report_service_(parts.boundary, covenant_store_, report_store_),
        // Auditor queries and exports may lag the primary a little; a provider reading back its
        // own submission (ReportService) may not.
        query_service_(parts.boundary, read_covenant_store_, read_report_store_),
        export_service_(parts.boundary, read_covenant_store_, read_report_store_) {}

  std::vector<grpc::Service*> services() override {
    return {&report_service_, &query_service_, &export_service_};
  }

  std::vector<rpc::BatchedWriter> batched_writers() override {
    return {{"report_submissions", [this] { return report_store_.SubmissionBatches(); }}};
  }

  std::vector<rpc::AreaCounter> counters() override {
    constexpr char kName[] = "regie_submission_facts_total";
    constexpr char kHelp[] =
        "Report submissions answered with facts the process held, checked where stored "
        "(source=held), and reads of the facts (source=read; docs/adr/0019)";
    return {{kName, kHelp, {{"source", "held"}}, [this] { return report_service_.Facts().held; }},
            {kName, kHelp, {{"source", "read"}}, [this] { return report_service_.Facts().read; }}};
  }

  std::vector<std::string> service_names() const override {
    return {v1::ReportService::service_full_name(), v1::QueryService::service_full_name(),
            v1::ExportService::service_full_name()};
  }

 private:
  covenants::PgCovenantStore covenant_store_;
  PgReportStore report_store_;
  covenants::PgCovenantStore read_covenant_store_;
  PgReportStore read_report_store_;
  ReportService report_service_;
  QueryService query_service_;
  ExportService export_service_;
};

}  // namespace

std::unique_ptr<rpc::ServiceBundle> MakeReportsBundle(const rpc::ServiceParts& parts) {
  return std::make_unique<ReportsBundle>(parts);
}

}  // namespace regie::reports
