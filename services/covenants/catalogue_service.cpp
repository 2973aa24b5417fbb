// CovenantService: lots and admission requirements, served from the terms in force on a day
// (docs/adr/0005).

#include "covenant_service.hpp"
#include "lot_rules.hpp"

namespace regie::covenants {
namespace {

constexpr char kLots[] = "lots";
constexpr char kRequirements[] = "requirements";

}  // namespace

grpc::Status CovenantService::GetLot(grpc::ServerContext* context, const v1::GetLotRequest* request,
                                     v1::Lot* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto [covenant_id, lot_id] =
        ParseCovenantChild(request->name(), kLots, v, "name", IsLotId);
    const auto as_of = AsOfDay(*request, v);
    v.ThrowIfAny();
    const auto covenant = GetVisibleCovenant(store_, call.deadline, call.principal, covenant_id,
                                             CovenantName(covenant_id), as_of);
    const auto terms = TermsFromJson(covenant.terms_json);
    const auto* lot = FindLot(terms, lot_id);
    if (lot == nullptr) {
      throw Error::NotFound(request->name() + " (in version " + std::to_string(covenant.version) +
                            ")");
    }
    *response = *lot;
    response->set_name(request->name());
  });
}

grpc::Status CovenantService::ListLots(grpc::ServerContext* context,
                                       const v1::ListLotsRequest* request,
                                       v1::ListLotsResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto covenant_id = ParseCovenantName(request->parent(), v, "parent");
    const auto as_of = AsOfDay(*request, v);
    v.ThrowIfAny();
    const auto covenant = GetVisibleCovenant(store_, call.deadline, call.principal, covenant_id,
                                             request->parent(), as_of);
    auto terms = TermsFromJson(covenant.terms_json);
    for (auto& lot : *terms.mutable_lots()) {
      lot.set_name(CovenantChildName(covenant_id, kLots, lot.lot_id()));
      *response->add_lots() = std::move(lot);
    }
    response->set_version(covenant.version);
  });
}

grpc::Status CovenantService::GetRequirement(grpc::ServerContext* context,
                                             const v1::GetRequirementRequest* request,
                                             v1::Requirement* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto [covenant_id, requirement_id] =
        ParseCovenantChild(request->name(), kRequirements, v, "name", IsLotId);
    const auto as_of = AsOfDay(*request, v);
    v.ThrowIfAny();
    const auto covenant = GetVisibleCovenant(store_, call.deadline, call.principal, covenant_id,
                                             CovenantName(covenant_id), as_of);
    const auto terms = TermsFromJson(covenant.terms_json);
    const auto* requirement = FindRequirement(terms, requirement_id);
    if (requirement == nullptr) {
      throw Error::NotFound(request->name() + " (in version " + std::to_string(covenant.version) +
                            ")");
    }
    *response = *requirement;
    response->set_name(request->name());
  });
}

grpc::Status CovenantService::ListRequirements(grpc::ServerContext* context,
                                               const v1::ListRequirementsRequest* request,
                                               v1::ListRequirementsResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto covenant_id = ParseCovenantName(request->parent(), v, "parent");
    const auto as_of = AsOfDay(*request, v);
    if (!request->lot_id().empty() && !IsLotId(request->lot_id())) {
      v.Add("lot_id", "must be a lot id such as P1");
    }
    v.ThrowIfAny();
    const auto covenant = GetVisibleCovenant(store_, call.deadline, call.principal, covenant_id,
                                             request->parent(), as_of);
    auto terms = TermsFromJson(covenant.terms_json);
    if (!request->lot_id().empty() && FindLot(terms, request->lot_id()) == nullptr) {
      throw Error::NotFound(CovenantChildName(covenant_id, kLots, request->lot_id()) +
                            " (in version " + std::to_string(covenant.version) + ")");
    }
    for (auto& requirement : *terms.mutable_requirements()) {
      if (request->lot_id().empty() || AppliesTo(requirement, request->lot_id())) {
        requirement.set_name(
            CovenantChildName(covenant_id, kRequirements, requirement.requirement_id()));
        *response->add_requirements() = std::move(requirement);
      }
    }
    response->set_version(covenant.version);
  });
}

}  // namespace regie::covenants
