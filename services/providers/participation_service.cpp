#include "participation_service.hpp"

#include <map>
#include <set>

#include "admission_rules.hpp"
#include "deadlines.hpp"
#include "lot_rules.hpp"
#include "names.hpp"
#include "provider_rules.hpp"
#include "request.hpp"

namespace regie::providers {
namespace {

using std::chrono::sys_days;

constexpr char kParticipations[] = "participations";
constexpr int kPage = 500;

// "{kvk}-{lot}".
bool IsParticipationId(std::string_view id) {
  return id.size() > 9 && IsKvkNumber(id.substr(0, 8)) && id[8] == '-' &&
         covenants::IsLotId(id.substr(9));
}

struct Target {
  covenants::CovenantRecord covenant;
  std::string kvk;
  std::string lot_id;
  v1::Participation current;
};

Target LoadReadable(covenants::CovenantStore& covenants, ParticipationStore& store,
                    const rpc::Call& call, const std::string& name) {
  Validation v;
  const auto [covenant_id, id] =
      covenants::ParseCovenantChild(name, kParticipations, v, "name", IsParticipationId);
  v.ThrowIfAny();
  Target t;
  t.covenant =
      covenants::GetVisibleCovenant(covenants, call.deadline, call.principal, covenant_id, name);
  t.kvk = id.substr(0, 8);
  t.lot_id = id.substr(9);
  auto found =
      store.List(call.deadline, {.covenant_id = covenant_id, .kvk = t.kvk, .lot_id = t.lot_id}, 1);
  if (found.empty() || !CanReadAdmission(call.principal, t.covenant.participants, t.kvk)) {
    throw Error::NotFound(name);
  }
  t.current = std::move(found[0]);
  return t;
}

}  // namespace

ParticipationService::ParticipationService(const rpc::RpcBoundary& boundary,
                                           covenants::CovenantStore& covenants,
                                           ProviderStore& providers,
                                           ParticipationStore& participations)
    : boundary_(boundary),
      covenants_(covenants),
      providers_(providers),
      participations_(participations) {}

grpc::Status ParticipationService::GetParticipation(grpc::ServerContext* context,
                                                    const v1::GetParticipationRequest* request,
                                                    v1::Participation* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    *response = LoadReadable(covenants_, participations_, call, request->name()).current;
  });
}

grpc::Status ParticipationService::ListParticipations(grpc::ServerContext* context,
                                                      const v1::ListParticipationsRequest* request,
                                                      v1::ListParticipationsResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    ParticipationFilter filter;
    filter.covenant_id = covenants::ParseCovenantName(request->parent(), v, "parent");
    if (!request->provider().empty()) {
      filter.kvk = ParseProviderName(request->provider(), v, "provider");
    }
    if (!request->lot_id().empty() && !covenants::IsLotId(request->lot_id())) {
      v.Add("lot_id", "must be a lot id such as P1");
    }
    filter.lot_id = request->lot_id();
    if (request->state() != v1::Participation::STATE_UNSPECIFIED) {
      filter.state = v1::Participation::State_Name(request->state());
    }
    const int page_size = PageSize(request->page_size(), 100, 500, v);
    const auto after = DecodePageToken(kParticipations, request->page_token(), v);
    if (!after.empty() && !IsParticipationId(after)) {
      v.Add("page_token", "is not a token of this list");
    }
    v.ThrowIfAny();
    const auto covenant = covenants::GetVisibleCovenant(covenants_, call.deadline, call.principal,
                                                        filter.covenant_id, request->parent());
    filter.kvk = ListFilterKvk(call.principal, covenant.participants, filter.kvk,
                               "participations (everyone may read the public register)");
    if (!after.empty()) {
      filter.after_covenant = filter.covenant_id;
      filter.after_kvk = after.substr(0, 8);
      filter.after_lot = after.substr(9);
    }
    auto found = participations_.List(call.deadline, filter, page_size + 1);
    response->set_next_page_token(TakePage(found, page_size, kParticipations, [](const auto& p) {
      return p.name().substr(p.name().rfind('/') + 1);
    }));
    for (auto& p : found) {
      *response->add_participations() = std::move(p);
    }
  });
}

grpc::Status ParticipationService::SuspendParticipation(
    grpc::ServerContext* context, const v1::SuspendParticipationRequest* request,
    v1::Participation* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    const auto t = LoadReadable(covenants_, participations_, call, request->name());
    covenants::RequireManager(call.principal, t.covenant);
    const auto today = covenants::TodayIn(covenants_, call.deadline);
    const auto* until = request->has_until_date() ? &request->until_date() : nullptr;
    *response = participations_.Change(call.deadline, call.audit, t.covenant.covenant_id, t.kvk,
                                       t.lot_id, [&](const v1::Participation& current) {
                                         return Suspend(current, request->reason(), until, today);
                                       });
  });
}

grpc::Status ParticipationService::ReinstateParticipation(
    grpc::ServerContext* context, const v1::ReinstateParticipationRequest* request,
    v1::Participation* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    const auto t = LoadReadable(covenants_, participations_, call, request->name());
    covenants::RequireManager(call.principal, t.covenant);
    const auto today = covenants::TodayIn(covenants_, call.deadline);
    const auto gaps =
        EvidenceGaps(covenants::TermsFromJson(t.covenant.terms_json), t.lot_id,
                     ValidKinds(AllEvidence(providers_, call.deadline, t.kvk), today));
    *response = participations_.Change(
        call.deadline, call.audit, t.covenant.covenant_id, t.kvk, t.lot_id,
        [&](const v1::Participation& current) { return Reinstate(current, gaps.empty()); });
  });
}

grpc::Status ParticipationService::EndParticipation(grpc::ServerContext* context,
                                                    const v1::EndParticipationRequest* request,
                                                    v1::Participation* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    const auto t = LoadReadable(covenants_, participations_, call, request->name());
    const bool by_provider = call.principal.role == auth::Role::kProvider;
    if (by_provider) {
      RequireOwnProvider(call.principal, t.kvk);
    } else {
      covenants::RequireManager(call.principal, t.covenant);
    }
    const auto terms = covenants::TermsFromJson(t.covenant.terms_json);
    const auto today = covenants::TodayIn(covenants_, call.deadline);
    *response = participations_.Change(call.deadline, call.audit, t.covenant.covenant_id, t.kvk,
                                       t.lot_id, [&](const v1::Participation& current) {
                                         return End(current, request->kind(), request->end_date(),
                                                    request->reason(), by_provider,
                                                    terms.term().notice_period_months(), today);
                                       });
  });
}

grpc::Status ParticipationService::GetRegister(grpc::ServerContext* context,
                                               const v1::GetRegisterRequest* request,
                                               v1::Register* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto covenant_id = covenants::ParseCovenantName(request->parent(), v, "parent");
    const auto as_of = covenants::AsOfDay(*request, v);
    std::string municipality;
    if (!request->municipality().empty()) {
      const auto code = ResourceId(request->municipality(), "municipalities");
      if (!code || !IsMunicipalityCode(*code)) {
        v.Add("municipality", "must be municipalities/{4-digit CBS code}");
      }
      municipality = request->municipality();
    }
    v.ThrowIfAny();
    const auto covenant = covenants::GetVisibleCovenant(covenants_, call.deadline, call.principal,
                                                        covenant_id, request->parent(), as_of);
    const auto terms = covenants::TermsFromJson(covenant.terms_json);
    if (!request->lot_id().empty() && covenants::FindLot(terms, request->lot_id()) == nullptr) {
      throw Error::InvalidField("lot_id",
                                "'" + request->lot_id() + "' is no lot of " + request->parent());
    }
    const auto day = as_of.empty() ? covenants::TodayIn(covenants_, call.deadline)
                                   : covenants::ToDays(*covenants::ParseIsoDate(as_of));
    std::map<std::string, std::vector<v1::Participation>> by_lot;
    for (ParticipationFilter filter{.covenant_id = covenant_id, .lot_id = request->lot_id()};;) {
      auto page = participations_.List(call.deadline, filter, kPage);
      for (auto& p : page) {
        if (InRegister(p, day)) {
          by_lot[p.lot_id()].push_back(std::move(p));
        }
      }
      if (page.size() < kPage) {
        break;
      }
      filter.after_covenant = covenant_id;
      filter.after_kvk = KvkOf(page.back().provider());
      filter.after_lot = page.back().lot_id();
    }
    response->set_covenant(request->parent());
    *response->mutable_as_of() = covenants::ToDate(day);
    std::map<std::string, v1::Provider> providers;
    for (const auto& lot : terms.lots()) {
      if (!request->lot_id().empty() && lot.lot_id() != request->lot_id()) {
        continue;
      }
      auto* out = response->add_lots();
      out->set_lot_id(lot.lot_id());
      out->set_title(lot.title());
      for (const auto& p : by_lot[lot.lot_id()]) {
        const auto kvk = KvkOf(p.provider());
        if (!providers.count(kvk)) {
          auto found = providers_.List(call.deadline, kvk, "", 1);
          providers[kvk] = found.empty() ? v1::Provider() : found[0];
        }
        const auto& provider = providers[kvk];
        const auto& area = provider.working_area();
        if (!municipality.empty() && !area.empty() &&
            std::find(area.begin(), area.end(), municipality) == area.end()) {
          continue;
        }
        auto* entry = out->add_providers();
        entry->set_provider(p.provider());
        entry->set_display_name(provider.display_name());
        *entry->mutable_agb_codes() = provider.agb_codes();
        std::set<std::string> cities;
        for (const auto& address : provider.addresses()) {
          if (cities.insert(address.city()).second) {
            entry->add_cities(address.city());
          }
        }
        *entry->mutable_working_area() = area;
        *entry->mutable_in_force_from() = p.in_force_from();
      }
    }
  });
}

}  // namespace regie::providers
