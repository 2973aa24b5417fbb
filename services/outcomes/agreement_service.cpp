#include "consultation_rules.hpp"
#include "covenant_rules.hpp"
#include "deadlines.hpp"
#include "lifecycle.hpp"
#include "lot_rules.hpp"
#include "outcome_services.hpp"
#include "proto_json.hpp"
#include "provider_rules.hpp"
#include "request.hpp"

namespace regie::outcomes {
namespace {

using covenants::AgreementRef;
using covenants::IsoDate;

constexpr char kIndicators[] = "indicators";
constexpr char kAgreements[] = "agreements";

IndicatorLookup LookupIn(IndicatorStore& store, db::Clock::time_point deadline) {
  return [&store, deadline](const std::string& id) { return store.Get(deadline, id); };
}

// The lot's terms as the covenant's newest version has them, or NOT_FOUND naming `lot_name`.
regie::covenants::v1::Lot LotOf(const covenants::CovenantRecord& covenant,
                                const std::string& lot_id, const std::string& lot_name) {
  const auto terms = covenants::TermsFromJson(covenant.terms_json);
  const auto* lot = covenants::FindLot(terms, lot_id);
  if (lot == nullptr) {
    throw Error::NotFound(lot_name);
  }
  return *lot;
}

// The agreement named `ref`, newest version, if `principal` may read it; NOT_FOUND otherwise.
v1::Agreement LoadReadable(covenants::CovenantStore& covenants, AgreementStore& agreements,
                           const rpc::Call& call, const AgreementRef& ref, const std::string& as_of,
                           int version) {
  const auto name = covenants::AgreementName(ref);
  const auto covenant = covenants::GetVisibleCovenant(covenants, call.deadline, call.principal,
                                                      ref.covenant_id, name);
  auto agreement = agreements.Get(call.deadline, ref, as_of, version);
  if (!agreement || !CanReadAgreement(call.principal, covenant.participants, *agreement)) {
    throw Error::NotFound(version == 0 ? name : name + " version " + std::to_string(version));
  }
  return *agreement;
}

}  // namespace

bool CanReadAgreement(const auth::Principal& principal, const covenants::Participants& participants,
                      const v1::Agreement& agreement) {
  if (principal.role == auth::Role::kProvider) {
    return agreement.provider().empty() ||
           providers::KvkOf(agreement.provider()) == principal.organisation;
  }
  return providers::CanReadAdmission(principal, participants, "");
}

// --- IndicatorService --------------------------------------------------------------------------

IndicatorService::IndicatorService(const rpc::RpcBoundary& boundary, IndicatorStore& indicators)
    : boundary_(boundary), indicators_(indicators) {}

grpc::Status IndicatorService::GetIndicator(grpc::ServerContext* context,
                                            const v1::GetIndicatorRequest* request,
                                            v1::Indicator* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto id = ParseIndicatorName(request->name(), v, "name");
    v.ThrowIfAny();
    const auto found = indicators_.Get(call.deadline, id);
    if (!found) {
      throw Error::NotFound(request->name());
    }
    *response = *found;
  });
}

grpc::Status IndicatorService::ListIndicators(grpc::ServerContext* context,
                                              const v1::ListIndicatorsRequest* request,
                                              v1::ListIndicatorsResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const int page_size = PageSize(request->page_size(), 100, 500, v);
    const auto after = DecodePageToken(kIndicators, request->page_token(), v);
    if (!after.empty() && !IsIndicatorId(after)) {
      v.Add("page_token", "is not a token of this list");
    }
    v.ThrowIfAny();
    auto found = indicators_.List(call.deadline, after, page_size + 1);
    response->set_next_page_token(TakePage(found, page_size, kIndicators, [](const auto& i) {
      return i.name().substr(i.name().rfind('/') + 1);
    }));
    for (auto& i : found) {
      *response->add_indicators() = std::move(i);
    }
  });
}

// --- AgreementService --------------------------------------------------------------------------

AgreementService::AgreementService(const rpc::RpcBoundary& boundary,
                                   covenants::CovenantStore& covenants,
                                   covenants::ConsultationStore& consultation,
                                   providers::ProviderStore& providers, IndicatorStore& indicators,
                                   AgreementStore& agreements)
    : boundary_(boundary),
      covenants_(covenants),
      consultation_(consultation),
      providers_(providers),
      indicators_(indicators),
      agreements_(agreements) {}

grpc::Status AgreementService::CreateAgreement(grpc::ServerContext* context,
                                               const v1::CreateAgreementRequest* request,
                                               v1::Agreement* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    const auto [covenant_id, lot_id] =
        covenants::ParseCovenantChild(request->parent(), "lots", v, "parent", covenants::IsLotId);
    if (!covenants::IsAgreementId(request->agreement_id())) {
      v.Add("agreement_id", "must be 1-40 characters of a-z, 0-9 and '-', starting with a letter");
    }
    if (request->has_effective_date() && !covenants::IsValidDate(request->effective_date())) {
      v.Add("effective_date", "must be a calendar date");
    }
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    const auto covenant = covenants::GetVisibleCovenant(covenants_, call.deadline, call.principal,
                                                        covenant_id, request->parent());
    covenants::RequireManager(call.principal, covenant);
    const auto lot = LotOf(covenant, lot_id, request->parent());
    ValidateAgreement(request->agreement(), lot.funding_model(),
                      LookupIn(indicators_, call.deadline), v);
    const auto terms = covenants::TermsFromJson(covenant.terms_json);
    const auto start = IsoDate(terms.term().start_date());
    const auto end = covenants::IsoDay(covenants::TermEnd(terms, covenant.extensions_used));
    const auto effective =
        request->has_effective_date() ? IsoDate(request->effective_date()) : start;
    if (request->has_effective_date() && (effective < start || effective > end)) {
      v.Add("effective_date", "must be within the covenant's term, " + start + " to " + end);
    }
    const auto& provider = request->agreement().provider();
    if (!provider.empty() && v.empty() &&
        providers_.List(call.deadline, providers::KvkOf(provider), "", 1).empty()) {
      v.Add("agreement.provider", provider + " is not a registered provider");
    }
    v.ThrowIfAny();
    auto first = request->agreement();
    first.set_funding_model(lot.funding_model());
    first.set_version(1);
    *first.mutable_effective_date() = *covenants::ParseIsoDate(effective);
    first.clear_amendment();
    first.clear_created_by();
    first.clear_create_time();
    *response = agreements_.Create(call.deadline, call.audit,
                                   {covenant_id, lot_id, request->agreement_id()}, first);
  });
}

grpc::Status AgreementService::GetAgreement(grpc::ServerContext* context,
                                            const v1::GetAgreementRequest* request,
                                            v1::Agreement* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto ref = covenants::ParseAgreementName(request->name(), v, "name");
    const auto as_of = covenants::AsOfDay(*request, v);
    if (request->version() < 0) {
      v.Add("version", "must be 0 (as of a day) or a version number");
    }
    v.ThrowIfAny();
    const auto day =
        as_of.empty() ? covenants::IsoDay(covenants::TodayIn(covenants_, call.deadline)) : as_of;
    *response = LoadReadable(covenants_, agreements_, call, ref, day, request->version());
  });
}

grpc::Status AgreementService::ListAgreements(grpc::ServerContext* context,
                                              const v1::ListAgreementsRequest* request,
                                              v1::ListAgreementsResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    AgreementFilter filter;
    filter.covenant_id = covenants::ParseCovenantName(request->parent(), v, "parent");
    if (!request->lot_id().empty() && !covenants::IsLotId(request->lot_id())) {
      v.Add("lot_id", "must be a lot id such as P1");
    }
    filter.lot_id = request->lot_id();
    if (!request->provider().empty()) {
      filter.kvk = providers::ParseProviderName(request->provider(), v, "provider");
    }
    const int page_size = PageSize(request->page_size(), 100, 500, v);
    const auto after = DecodePageToken(kAgreements, request->page_token(), v);
    const auto slash = after.find('/');
    if (!after.empty() &&
        (slash == std::string::npos || !covenants::IsLotId(after.substr(0, slash)) ||
         !covenants::IsAgreementId(after.substr(slash + 1)))) {
      v.Add("page_token", "is not a token of this list");
    }
    v.ThrowIfAny();
    const auto covenant = covenants::GetVisibleCovenant(covenants_, call.deadline, call.principal,
                                                        filter.covenant_id, request->parent());
    filter.kvk = providers::ListFilterKvk(call.principal, covenant.participants, filter.kvk,
                                          "agreements (and the lot-wide ones)");
    if (!after.empty()) {
      filter.after_lot = after.substr(0, slash);
      filter.after_agreement = after.substr(slash + 1);
    }
    filter.as_of = covenants::IsoDay(covenants::TodayIn(covenants_, call.deadline));
    auto found = agreements_.List(call.deadline, filter, page_size + 1);
    response->set_next_page_token(TakePage(found, page_size, kAgreements, [](const auto& a) {
      Validation ignored;
      const auto ref = covenants::ParseAgreementName(a.name(), ignored, "");
      return ref.lot_id + "/" + ref.agreement_id;
    }));
    for (auto& a : found) {
      *response->add_agreements() = std::move(a);
    }
  });
}

grpc::Status AgreementService::AmendAgreement(grpc::ServerContext* context,
                                              const v1::AmendAgreementRequest* request,
                                              v1::Agreement* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    const auto ref = covenants::ParseAgreementName(request->name(), v, "name");
    const auto [amendment_covenant, amendment_number] = covenants::ParseCovenantChild(
        request->amendment(), "amendments", v, "amendment", covenants::IsItemNumber);
    if (!ref.covenant_id.empty() && !amendment_covenant.empty() &&
        amendment_covenant != ref.covenant_id) {
      v.Add("amendment", "must be an amendment of " + covenants::CovenantName(ref.covenant_id));
    }
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    const auto covenant = covenants::GetVisibleCovenant(covenants_, call.deadline, call.principal,
                                                        ref.covenant_id, request->name());
    covenants::RequireManager(call.principal, covenant);
    const auto versions = agreements_.Versions(call.deadline, ref);
    if (versions.empty()) {
      throw Error::NotFound(request->name());
    }
    const auto& newest = versions.back();
    const int amendment_id = std::stoi(amendment_number);
    const auto amendment = consultation_.GetAmendment(call.deadline, ref.covenant_id, amendment_id);
    if (!amendment) {
      throw Error::NotFound(request->amendment());
    }
    if (amendment->state != "adopted") {
      throw Error::FailedPrecondition("AMENDMENT_NOT_ADOPTED",
                                      request->amendment() + " is " + amendment->state +
                                          ": an agreement changes only by an amendment adopted at "
                                          "the consultation table");
    }
    const auto proposal =
        providers::FromJson<regie::covenants::v1::Amendment>(amendment->proposal_json);
    const auto& named = proposal.agreement_change().agreements();
    if (std::find(named.begin(), named.end(), request->name()) == named.end()) {
      throw Error::FailedPrecondition(
          "AMENDMENT_SCOPE",
          request->amendment() + " does not name " + request->name() + " in its agreement_change");
    }
    const auto& agreement = request->agreement();
    if (agreement.provider() != newest.provider()) {
      v.Add("agreement.provider",
            "cannot change: the agreement is with " +
                (newest.provider().empty() ? std::string("every provider of the lot")
                                           : newest.provider()));
    }
    ValidateAgreement(agreement, newest.funding_model(), LookupIn(indicators_, call.deadline), v);
    v.ThrowIfAny();
    auto next = agreement;
    next.set_funding_model(newest.funding_model());
    *next.mutable_effective_date() = proposal.effective_date();
    next.set_amendment(request->amendment());
    next.clear_created_by();
    next.clear_create_time();
    *response = agreements_.Amend(call.deadline, call.audit, ref, amendment_id, next);
  });
}

grpc::Status AgreementService::ListAgreementVersions(
    grpc::ServerContext* context, const v1::ListAgreementVersionsRequest* request,
    v1::ListAgreementVersionsResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto ref = covenants::ParseAgreementName(request->name(), v, "name");
    v.ThrowIfAny();
    LoadReadable(covenants_, agreements_, call, ref, "", 1);
    for (auto& version : agreements_.Versions(call.deadline, ref)) {
      *response->add_versions() = std::move(version);
    }
  });
}

}  // namespace regie::outcomes
