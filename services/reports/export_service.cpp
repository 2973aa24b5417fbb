#include "export_service.hpp"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "covenant_rules.hpp"
#include "deadlines.hpp"
#include "lifecycle.hpp"
#include "lot_rules.hpp"
#include "ocds.hpp"
#include "outcome_rules.hpp"
#include "provider_rules.hpp"
#include "reference_rules.hpp"
#include "report_filters.hpp"
#include "report_rules.hpp"

namespace regie::reports {

ExportService::ExportService(const rpc::RpcBoundary& boundary, covenants::CovenantStore& covenants,
                             ReportStore& reports)
    : boundary_(boundary), covenants_(covenants), reports_(reports) {}

grpc::Status ExportService::ExportOcds(grpc::ServerContext* context,
                                       const v1::ExportOcdsRequest* request,
                                       v1::OcdsExport* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto covenant_id = covenants::ParseCovenantName(request->covenant(), v, "covenant");
    v.ThrowIfAny();
    const auto covenant = covenants::GetVisibleCovenant(covenants_, call.deadline, call.principal,
                                                        covenant_id, request->covenant());
    if (covenant.published_at_us == 0) {
      throw Error::FailedPrecondition("COVENANT_DRAFT",
                                      request->covenant() + " is a draft: publish it first");
    }
    const auto terms = covenants::TermsFromJson(covenant.terms_json);
    OcdsFacts facts;
    facts.covenant_id = covenant_id;
    facts.title = terms.title();
    facts.state = std::string(covenants::StateName(covenant.state));
    facts.published_at = google::protobuf::util::TimeUtil::ToString(
        google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(
            covenant.published_at_us - covenant.published_at_us % 1000000));
    facts.term_start = covenants::IsoDate(terms.term().start_date());
    facts.term_end = covenants::IsoDay(covenants::TermEnd(terms, covenant.extensions_used));
    facts.terms_version = covenant.version;
    facts.owner_id = covenant.owner_municipality.empty()
                         ? "NL-REGION-" + covenant.owner_region
                         : "NL-CBS-GM" + covenant.owner_municipality;
    for (const auto& lot : terms.lots()) {
      facts.lots.emplace_back(lot.lot_id(), lot.title());
    }
    reports_.LoadOcdsFacts(call.deadline, covenant.owner_municipality, covenant.owner_region,
                           facts);
    const auto package = OcdsReleasePackage(facts);
    response->set_release_package_json(package.dump(2));
    response->set_releases(static_cast<int>(package["releases"].size()));
  });
}

grpc::Status ExportService::ExportProductionStatement(
    grpc::ServerContext* context, const v1::ExportProductionStatementRequest* request,
    v1::ProductionStatement* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto code = covenants::ParseMunicipalityName(request->municipality(), v, "municipality");
    const auto year = ParseReportPeriod(v1::ANNUAL_PRODUCTION, std::to_string(request->year()));
    if (!year) {
      v.Add("year", "must be a calendar year such as 2026");
    }
    v.ThrowIfAny();
    if (year->end >= covenants::TodayIn(covenants_, call.deadline)) {
      throw Error::FailedPrecondition(
          "PERIOD_NOT_ENDED", std::to_string(request->year()) +
                                  " has not ended: the production statement is made afterwards");
    }
    if (call.principal.role == auth::Role::kAuditor &&
        !InScope(call.principal, request->municipality())) {
      throw Error::PermissionDenied("NOT_IN_SCOPE",
                                    request->municipality() + " is not in your audit scope");
    }
    response->set_municipality(request->municipality());
    response->set_year(request->year());
    std::string covenant_id;
    std::optional<covenants::v1::CovenantTerms> terms;  // of covenant_id, when readable
    for (auto& line : reports_.ProductionLines(call.deadline, code, covenants::IsoDay(year->start),
                                               covenants::IsoDay(year->end))) {
      if (line.covenant() != covenant_id) {
        covenant_id = line.covenant();
        terms.reset();
        const auto covenant =
            covenants_.Get(call.deadline, covenant_id, covenants::IsoDay(year->end));
        if (covenant && (covenants::CanManage(call.principal, covenant->participants) ||
                         covenants::AuditsAny(call.principal, covenant->participants))) {
          terms = covenants::TermsFromJson(covenant->terms_json);
        }
      }
      if (!terms) {
        continue;  // a covenant whose reports the caller may not read
      }
      line.set_covenant(covenants::CovenantName(covenant_id));
      if (const auto* lot = covenants::FindLot(*terms, line.lot_id())) {
        for (const auto& product : lot->products()) {
          if (product.code() == line.product_code()) {
            line.set_product_category(product.category());
            line.set_product_description(product.description());
          }
        }
      }
      response->set_total_eurocents(response->total_eurocents() + line.amount_eurocents());
      *response->add_lines() = std::move(line);
    }
  });
}

}  // namespace regie::reports
