#include "reference_service.hpp"

#include <google/protobuf/util/time_util.h>

#include "request.hpp"

namespace regie::covenants {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kMunicipalitiesKind[] = "municipalities";
constexpr char kRegionsKind[] = "regions";

void ToProto(const MunicipalityRecord& record, v1::Municipality* out) {
  out->set_name(MunicipalityName(record.code));
  out->set_code(record.code);
  out->set_display_name(record.display_name);
  *out->mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(record.created_at_us);
}

void ToProto(const RegionRecord& record, v1::Region* out) {
  out->set_name(RegionName(record.region_id));
  out->set_region_id(record.region_id);
  out->set_display_name(record.display_name);
  for (const auto& code : record.members) {
    out->add_municipalities(MunicipalityName(code));
  }
  out->set_lead_municipality(MunicipalityName(record.lead));
  *out->mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(record.created_at_us);
}

}  // namespace

ReferenceDataService::ReferenceDataService(const rpc::RpcBoundary& boundary, ReferenceStore& store)
    : boundary_(boundary), store_(store) {}

grpc::Status ReferenceDataService::GetMunicipality(grpc::ServerContext* context,
                                                   const v1::GetMunicipalityRequest* request,
                                                   v1::Municipality* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto code = ParseMunicipalityName(request->name(), v, "name");
    v.ThrowIfAny();
    const auto record = store_.GetMunicipality(call.deadline, code);
    if (!record) {
      throw Error::NotFound(request->name());
    }
    ToProto(*record, response);
  });
}

grpc::Status ReferenceDataService::ListMunicipalities(grpc::ServerContext* context,
                                                      const v1::ListMunicipalitiesRequest* request,
                                                      v1::ListMunicipalitiesResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const int page_size = PageSize(request->page_size(), 100, 1000, v);
    const auto after = DecodePageToken(kMunicipalitiesKind, request->page_token(), v);
    v.ThrowIfAny();
    auto records = store_.ListMunicipalities(call.deadline, after, page_size + 1);
    response->set_next_page_token(
        TakePage(records, page_size, kMunicipalitiesKind, [](const auto& r) { return r.code; }));
    for (const auto& record : records) {
      ToProto(record, response->add_municipalities());
    }
  });
}

grpc::Status ReferenceDataService::CreateMunicipality(grpc::ServerContext* context,
                                                      const v1::CreateMunicipalityRequest* request,
                                                      v1::Municipality* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    const auto input =
        ValidateMunicipality(request->municipality().code(), request->municipality().display_name(),
                             request->request_id());
    ToProto(store_.CreateMunicipality(call.deadline, call.audit, input), response);
  });
}

grpc::Status ReferenceDataService::GetRegion(grpc::ServerContext* context,
                                             const v1::GetRegionRequest* request,
                                             v1::Region* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto id = ParseRegionName(request->name(), v, "name");
    v.ThrowIfAny();
    const auto record = store_.GetRegion(call.deadline, id);
    if (!record) {
      throw Error::NotFound(request->name());
    }
    ToProto(*record, response);
  });
}

grpc::Status ReferenceDataService::ListRegions(grpc::ServerContext* context,
                                               const v1::ListRegionsRequest* request,
                                               v1::ListRegionsResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const int page_size = PageSize(request->page_size(), 100, 1000, v);
    const auto after = DecodePageToken(kRegionsKind, request->page_token(), v);
    const auto municipality =
        request->municipality().empty()
            ? std::string()
            : ParseMunicipalityName(request->municipality(), v, "municipality");
    v.ThrowIfAny();
    auto records = store_.ListRegions(call.deadline, after, municipality, page_size + 1);
    response->set_next_page_token(
        TakePage(records, page_size, kRegionsKind, [](const auto& r) { return r.region_id; }));
    for (const auto& record : records) {
      ToProto(record, response->add_regions());
    }
  });
}

grpc::Status ReferenceDataService::CreateRegion(grpc::ServerContext* context,
                                                const v1::CreateRegionRequest* request,
                                                v1::Region* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    const auto& region = request->region();
    const auto input =
        ValidateRegion(region.region_id(), region.display_name(),
                       {region.municipalities().begin(), region.municipalities().end()},
                       region.lead_municipality(), request->request_id());
    ToProto(store_.CreateRegion(call.deadline, call.audit, input), response);
  });
}

}  // namespace regie::covenants
