#include "provider_service.hpp"

#include "deadlines.hpp"
#include "names.hpp"
#include "provider_rules.hpp"
#include "request.hpp"

namespace regie::providers {
namespace {

constexpr char kProviders[] = "providers";
constexpr char kEvidence[] = "evidence";

// The provider named `name` when the caller may read it; NOT_FOUND otherwise (another provider's
// registration looks absent to a provider).
v1::Provider GetReadable(ProviderStore& store, const rpc::Call& call, const std::string& kvk) {
  auto found = store.List(call.deadline, kvk, "", 1);
  if (found.empty() || !CanReadProvider(call.principal, kvk)) {
    throw Error::NotFound(ProviderName(kvk));
  }
  return std::move(found[0]);
}

}  // namespace

ProviderService::ProviderService(const rpc::RpcBoundary& boundary,
                                 covenants::CovenantStore& covenants, ProviderStore& providers,
                                 EvidenceMonitor& monitor)
    : boundary_(boundary), covenants_(covenants), providers_(providers), monitor_(monitor) {}

grpc::Status ProviderService::RegisterProvider(grpc::ServerContext* context,
                                               const v1::RegisterProviderRequest* request,
                                               v1::Provider* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    ValidateProvider(request->provider(), v, "provider");
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    RequireOwnProvider(call.principal, request->provider().kvk_number());
    *response = providers_.Register(call.deadline, call.audit, request->provider());
  });
}

grpc::Status ProviderService::UpdateProvider(grpc::ServerContext* context,
                                             const v1::UpdateProviderRequest* request,
                                             v1::Provider* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    const auto kvk = ParseProviderName(request->provider().name(), v, "provider.name");
    ValidateProvider(request->provider(), v, "provider");
    if (!kvk.empty() && request->provider().kvk_number() != kvk) {
      v.Add("provider.kvk_number", "cannot change: it must be " + kvk + " as in the name");
    }
    if (request->etag() <= 0) {
      v.Add("etag", "is required: the etag of the registration as read last");
    }
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    RequireOwnProvider(call.principal, kvk);
    *response = providers_.Update(call.deadline, call.audit, request->provider(), request->etag());
  });
}

grpc::Status ProviderService::GetProvider(grpc::ServerContext* context,
                                          const v1::GetProviderRequest* request,
                                          v1::Provider* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto kvk = ParseProviderName(request->name(), v, "name");
    v.ThrowIfAny();
    *response = GetReadable(providers_, call, kvk);
  });
}

grpc::Status ProviderService::ListProviders(grpc::ServerContext* context,
                                            const v1::ListProvidersRequest* request,
                                            v1::ListProvidersResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const int page_size = PageSize(request->page_size(), 100, 500, v);
    const auto after = DecodePageToken(kProviders, request->page_token(), v);
    v.ThrowIfAny();
    const auto only =
        call.principal.role == auth::Role::kProvider ? call.principal.organisation : "";
    auto providers = providers_.List(call.deadline, only, after, page_size + 1);
    response->set_next_page_token(
        TakePage(providers, page_size, kProviders, [](const auto& p) { return p.kvk_number(); }));
    for (auto& p : providers) {
      *response->add_providers() = std::move(p);
    }
  });
}

grpc::Status ProviderService::AddEvidence(grpc::ServerContext* context,
                                          const v1::AddEvidenceRequest* request,
                                          v1::Evidence* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    const auto kvk = ParseProviderName(request->parent(), v, "parent");
    if (!IsEvidenceId(request->evidence_id())) {
      v.Add("evidence_id", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
    }
    const auto today = covenants::TodayIn(covenants_, call.deadline);
    ValidateEvidence(request->evidence(), today, v, "evidence");
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    RequireOwnProvider(call.principal, kvk);
    *response = providers_.AddEvidence(call.deadline, call.audit, kvk, request->evidence_id(),
                                       request->evidence());
    // Valid evidence ends an automatic suspension at once rather than at the next tick.
    monitor_.Run(call.deadline, today, kvk);
  });
}

grpc::Status ProviderService::ListEvidence(grpc::ServerContext* context,
                                           const v1::ListEvidenceRequest* request,
                                           v1::ListEvidenceResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto kvk = ParseProviderName(request->parent(), v, "parent");
    const int page_size = PageSize(request->page_size(), 100, 500, v);
    const auto after = DecodePageToken(kEvidence, request->page_token(), v);
    v.ThrowIfAny();
    GetReadable(providers_, call, kvk);
    auto evidence = providers_.ListEvidence(
        call.deadline, {.kvk = kvk, .after_kvk = kvk, .after_id = after, .limit = page_size + 1});
    response->set_next_page_token(TakePage(evidence, page_size, kEvidence, [](const auto& e) {
      return e.name().substr(e.name().rfind('/') + 1);
    }));
    for (auto& e : evidence) {
      *response->add_evidence() = std::move(e);
    }
  });
}

grpc::Status ProviderService::ListExpiringEvidence(grpc::ServerContext* context,
                                                   const v1::ListExpiringEvidenceRequest* request,
                                                   v1::ListEvidenceResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const bool everyone = request->parent() == "providers/-";
    const auto kvk = everyone ? "" : ParseProviderName(request->parent(), v, "parent");
    if (request->within_days() < 0 || request->within_days() > 3650) {
      v.Add("within_days", "must be 0-3650");
    }
    const int limit = PageSize(request->page_size(), 100, 1000, v);
    v.ThrowIfAny();
    if (everyone && call.principal.role == auth::Role::kProvider) {
      throw Error::PermissionDenied(
          "NOT_YOUR_ORGANISATION",
          "a provider lists only its own evidence: providers/" + call.principal.organisation);
    }
    if (!everyone) {
      GetReadable(providers_, call, kvk);
    }
    const auto before = covenants::TodayIn(covenants_, call.deadline) +
                        std::chrono::days(request->within_days() + 1);
    auto evidence = providers_.ListEvidence(
        call.deadline, {.kvk = kvk,
                        .expiring_before = covenants::IsoDate(covenants::ToDate(before)),
                        .limit = limit});
    for (auto& e : evidence) {
      *response->add_evidence() = std::move(e);
    }
  });
}

}  // namespace regie::providers
