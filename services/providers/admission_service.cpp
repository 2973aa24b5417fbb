#include "admission_service.hpp"

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "admission_rules.hpp"
#include "deadlines.hpp"
#include "names.hpp"
#include "provider_rules.hpp"
#include "request.hpp"

namespace regie::providers {
namespace {

using std::chrono::sys_days;

constexpr char kApplications[] = "applications";
// Applications of one window: a region sees tens to hundreds; this bounds the report.
constexpr int kMaxReportApplications = 5000;

bool IsApplicationId(std::string_view id) {
  return !id.empty() && id.size() <= 9 && id[0] != '0' &&
         std::all_of(id.begin(), id.end(), [](char c) { return c >= '0' && c <= '9'; });
}

struct Loaded {
  covenants::CovenantRecord covenant;
  v1::Application application;
  int id = 0;
};

// The application named `name` with its covenant, when the caller may read it.
Loaded LoadReadable(covenants::CovenantStore& covenants, AdmissionStore& store,
                    const rpc::Call& call, const std::string& name) {
  Validation v;
  const auto [covenant_id, id_text] =
      covenants::ParseCovenantChild(name, kApplications, v, "name", IsApplicationId);
  v.ThrowIfAny();
  Loaded loaded;
  loaded.covenant =
      covenants::GetVisibleCovenant(covenants, call.deadline, call.principal, covenant_id, name);
  loaded.id = std::stoi(id_text);
  auto found = store.List(call.deadline, covenant_id, {.only_id = loaded.id}, 1);
  if (found.empty() ||
      !CanReadAdmission(call.principal, loaded.covenant.participants, KvkOf(found[0].provider()))) {
    throw Error::NotFound(name);
  }
  loaded.application = std::move(found[0]);
  return loaded;
}

// The terms an application is judged by: those of the version in force at its submission.
covenants::v1::CovenantTerms TermsOf(covenants::CovenantStore& store,
                                     db::Clock::time_point deadline, const Loaded& loaded) {
  const auto json = store.GetVersionTerms(deadline, loaded.covenant.covenant_id,
                                          loaded.application.terms_version());
  if (!json) {
    throw std::runtime_error("version " + std::to_string(loaded.application.terms_version()) +
                             " of " + loaded.covenant.covenant_id + " is missing");
  }
  return covenants::TermsFromJson(*json);
}

std::vector<std::string> LotIds(const v1::Application& a) {
  return {a.lot_ids().begin(), a.lot_ids().end()};
}

sys_days DayOf(const google::protobuf::Timestamp& t) {
  return std::chrono::floor<std::chrono::days>(std::chrono::sys_seconds(
      std::chrono::seconds(google::protobuf::util::TimeUtil::TimestampToSeconds(t))));
}

}  // namespace

AdmissionService::AdmissionService(const rpc::RpcBoundary& boundary,
                                   covenants::CovenantStore& covenants, ProviderStore& providers,
                                   AdmissionStore& applications)
    : boundary_(boundary),
      covenants_(covenants),
      providers_(providers),
      applications_(applications) {}

grpc::Status AdmissionService::SubmitApplication(grpc::ServerContext* context,
                                                 const v1::SubmitApplicationRequest* request,
                                                 v1::Application* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    const auto covenant_id = covenants::ParseCovenantName(request->parent(), v, "parent");
    const auto& a = request->application();
    const auto kvk = ParseProviderName(a.provider(), v, "application.provider");
    if (a.has_window_date() && !covenants::IsValidDate(a.window_date())) {
      v.Add("application.window_date", "must be a calendar date, or unset for the next window");
    }
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    RequireOwnProvider(call.principal, kvk);
    const auto covenant = covenants::GetVisibleCovenant(covenants_, call.deadline, call.principal,
                                                        covenant_id, request->parent());
    const auto terms = covenants::TermsFromJson(covenant.terms_json);
    ValidateApplication(a, terms, v);
    v.ThrowIfAny();
    const auto today = covenants::TodayIn(covenants_, call.deadline);
    const auto window = AccessionWindow(
        terms, covenant.state, covenant.extensions_used, today,
        a.has_window_date() ? std::optional(covenants::ToDays(a.window_date())) : std::nullopt);
    *response = applications_.Submit(
        call.deadline, call.audit,
        {covenant_id, kvk, LotIds(a), covenants::IsoDate(covenants::ToDate(window)), a.note(),
         covenant.version});
  });
}

grpc::Status AdmissionService::GetApplication(grpc::ServerContext* context,
                                              const v1::GetApplicationRequest* request,
                                              v1::Application* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    *response = LoadReadable(covenants_, applications_, call, request->name()).application;
  });
}

grpc::Status AdmissionService::ListApplications(grpc::ServerContext* context,
                                                const v1::ListApplicationsRequest* request,
                                                v1::ListApplicationsResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto covenant_id = covenants::ParseCovenantName(request->parent(), v, "parent");
    ApplicationFilter filter;
    if (!request->provider().empty()) {
      filter.kvk = ParseProviderName(request->provider(), v, "provider");
    }
    if (request->has_window_date()) {
      if (!covenants::IsValidDate(request->window_date())) {
        v.Add("window_date", "must be a calendar date");
      } else {
        filter.window_date = covenants::IsoDate(request->window_date());
      }
    }
    const int page_size = PageSize(request->page_size(), 100, 500, v);
    filter.after_id =
        static_cast<int>(DecodeNumberPageToken(kApplications, request->page_token(), v));
    v.ThrowIfAny();
    const auto covenant = covenants::GetVisibleCovenant(covenants_, call.deadline, call.principal,
                                                        covenant_id, request->parent());
    if (call.principal.role == auth::Role::kProvider) {
      if (!filter.kvk.empty() && filter.kvk != call.principal.organisation) {
        throw Error::PermissionDenied("NOT_YOUR_ORGANISATION",
                                      "a provider lists only its own applications");
      }
      filter.kvk = call.principal.organisation;
    } else if (!CanReadAdmission(call.principal, covenant.participants, filter.kvk)) {
      throw Error::PermissionDenied("NOT_A_COVENANT_READER",
                                    "only the covenant's managers and auditors list applications");
    }
    auto found = applications_.List(call.deadline, covenant_id, filter, page_size + 1);
    response->set_next_page_token(TakePage(found, page_size, kApplications, [](const auto& a) {
      return a.name().substr(a.name().rfind('/') + 1);
    }));
    for (auto& a : found) {
      *response->add_applications() = std::move(a);
    }
  });
}

grpc::Status AdmissionService::WithdrawApplication(grpc::ServerContext* context,
                                                   const v1::WithdrawApplicationRequest* request,
                                                   v1::Application* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    const auto loaded = LoadReadable(covenants_, applications_, call, request->name());
    RequireOwnProvider(call.principal, KvkOf(loaded.application.provider()));
    *response = applications_.Change(
        call.deadline, call.audit, loaded.covenant.covenant_id, loaded.id,
        [&](const v1::Application& current) {
          return ApplicationUpdate{Withdraw(current), R"({"state":"WITHDRAWN"})"};
        });
  });
}

grpc::Status AdmissionService::AssessRequirement(grpc::ServerContext* context,
                                                 const v1::AssessRequirementRequest* request,
                                                 v1::Application* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    const auto loaded = LoadReadable(covenants_, applications_, call, request->name());
    covenants::RequireManager(call.principal, loaded.covenant);
    const auto terms = TermsOf(covenants_, call.deadline, loaded);
    const auto kvk = KvkOf(loaded.application.provider());
    auto assessment = request->assessment();
    const covenants::v1::Requirement* requirement = nullptr;
    for (const auto* r : RequirementsFor(terms, LotIds(loaded.application))) {
      requirement = r->requirement_id() == assessment.requirement_id() ? r : requirement;
    }
    Validation v;
    ValidateAssessment(assessment, requirement, kvk, v);
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    std::vector<v1::Evidence> cited;
    for (int i = 0; i < assessment.evidence_size(); ++i) {
      auto& ref = *assessment.mutable_evidence(i);
      const auto id = ref.evidence().substr(ref.evidence().rfind('/') + 1);
      const auto found =
          providers_.ListEvidence(call.deadline, {.kvk = kvk, .evidence_id = id, .limit = 1});
      if (found.empty()) {
        v.Add("assessment.evidence[" + std::to_string(i) + "].evidence",
              ref.evidence() + " does not exist");
        continue;
      }
      ref.set_revision(found[0].revision());
      cited.push_back(found[0]);
    }
    v.ThrowIfAny();
    const auto today = covenants::TodayIn(covenants_, call.deadline);
    CheckAssessedEvidence(assessment, *requirement, cited, today, v);
    v.ThrowIfAny();
    assessment.clear_assessor();
    assessment.clear_assess_time();
    *response = applications_.Change(
        call.deadline, call.audit, loaded.covenant.covenant_id, loaded.id,
        [&](const v1::Application& current) {
          auto next = Assess(current, terms, assessment);
          nlohmann::json evidence = nlohmann::json::array();
          for (const auto& e : assessment.evidence()) {
            evidence.push_back(e.evidence() + "@" + std::to_string(e.revision()));
          }
          return ApplicationUpdate{
              std::move(next),
              nlohmann::json{{"requirement_id", assessment.requirement_id()},
                             {"requirement_revision", requirement->revision()},
                             {"result", v1::Assessment::Result_Name(assessment.result())},
                             {"motivation", assessment.motivation()},
                             {"evidence", evidence}}
                  .dump()};
        });
  });
}

grpc::Status AdmissionService::DecideLot(grpc::ServerContext* context,
                                         const v1::DecideLotRequest* request,
                                         v1::Application* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    if (request->outcome() != v1::LotDecision::ADMITTED &&
        request->outcome() != v1::LotDecision::REJECTED) {
      v.Add("outcome", "must be ADMITTED or REJECTED");
    }
    if (!request->letter().empty()) {
      CheckText(request->letter(), 20000, v, "letter");
    }
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    const auto loaded = LoadReadable(covenants_, applications_, call, request->name());
    covenants::RequireManager(call.principal, loaded.covenant);
    const auto terms = TermsOf(covenants_, call.deadline, loaded);
    const auto today = covenants::TodayIn(covenants_, call.deadline);
    *response = applications_.Change(
        call.deadline, call.audit, loaded.covenant.covenant_id, loaded.id,
        [&](const v1::Application& current) {
          auto next = Decide(current, terms, request->lot_id(), request->outcome(),
                             request->letter(), call.principal.subject, today);
          return ApplicationUpdate{
              std::move(next),
              nlohmann::json{{"lot_id", request->lot_id()},
                             {"outcome", v1::LotDecision::Outcome_Name(request->outcome())}}
                  .dump()};
        });
  });
}

grpc::Status AdmissionService::RegisterObjection(grpc::ServerContext* context,
                                                 const v1::RegisterObjectionRequest* request,
                                                 v1::Application* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    auto objection = request->objection();
    if (objection.kind() == v1::Objection::KIND_UNSPECIFIED) {
      v.Add("objection.kind", "must be COMPLAINT, OBJECTION or APPEAL");
    }
    if (!covenants::IsValidDate(objection.filed_date())) {
      v.Add("objection.filed_date", "must be a calendar date");
    }
    CheckText(objection.summary(), 4000, v, "objection.summary");
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    const auto loaded = LoadReadable(covenants_, applications_, call, request->name());
    covenants::RequireManager(call.principal, loaded.covenant);
    objection.clear_registered_by();
    objection.clear_register_time();
    const auto today = covenants::TodayIn(covenants_, call.deadline);
    *response = applications_.Change(
        call.deadline, call.audit, loaded.covenant.covenant_id, loaded.id,
        [&](const v1::Application& current) {
          sys_days decided_on = today;
          for (const auto& lot : current.lots()) {
            if (lot.lot_id() == request->lot_id() && lot.has_decide_time()) {
              decided_on = DayOf(lot.decide_time());
            }
          }
          auto next = Object(current, request->lot_id(), objection, decided_on, today);
          return ApplicationUpdate{
              std::move(next),
              nlohmann::json{{"lot_id", request->lot_id()},
                             {"objection", v1::Objection::Kind_Name(objection.kind())},
                             {"filed_date", covenants::IsoDate(objection.filed_date())},
                             {"summary", objection.summary()}}
                  .dump()};
        });
  });
}

grpc::Status AdmissionService::RecordEarlierAdmission(
    grpc::ServerContext* context, const v1::RecordEarlierAdmissionRequest* request,
    v1::Application* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    const auto covenant_id = covenants::ParseCovenantName(request->parent(), v, "parent");
    const auto kvk = ParseProviderName(request->provider(), v, "provider");
    if (!covenants::IsValidDate(request->in_force_from())) {
      v.Add("in_force_from", "must be a calendar date");
    }
    if (request->decision().size() < 20) {
      v.Add("decision",
            "cite the decision that admitted the provider (its number and date), in "
            "at least 20 characters");
    } else {
      CheckText(request->decision(), 4000, v, "decision");
    }
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    const auto covenant = covenants::GetVisibleCovenant(covenants_, call.deadline, call.principal,
                                                        covenant_id, request->parent());
    covenants::RequireManager(call.principal, covenant);
    const auto terms = covenants::TermsFromJson(covenant.terms_json);
    ValidateLotIds(request->lot_ids(), terms, v, "lot_ids");
    v.ThrowIfAny();
    const auto first_day = EarlierAdmissionDay(terms, covenant.state, covenant.extensions_used,
                                               covenants::TodayIn(covenants_, call.deadline),
                                               covenants::ToDays(request->in_force_from()));
    *response = applications_.RecordEarlier(call.deadline, call.audit,
                                            {covenant_id,
                                             kvk,
                                             {request->lot_ids().begin(), request->lot_ids().end()},
                                             covenants::IsoDate(covenants::ToDate(first_day)),
                                             "",
                                             covenant.version},
                                            request->decision());
  });
}

grpc::Status AdmissionService::GetAdmissionReport(grpc::ServerContext* context,
                                                  const v1::GetAdmissionReportRequest* request,
                                                  v1::AdmissionReport* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto covenant_id = covenants::ParseCovenantName(request->parent(), v, "parent");
    if (!covenants::IsValidDate(request->window_date())) {
      v.Add("window_date", "must be the calendar date of the accession window");
    }
    v.ThrowIfAny();
    const auto covenant = covenants::GetVisibleCovenant(covenants_, call.deadline, call.principal,
                                                        covenant_id, request->parent());
    if (call.principal.role == auth::Role::kProvider ||
        !CanReadAdmission(call.principal, covenant.participants, "")) {
      throw Error::PermissionDenied(
          "NOT_A_COVENANT_READER",
          "only the covenant's managers and auditors read its admission report");
    }
    const auto applications = applications_.List(
        call.deadline, covenant_id, {.window_date = covenants::IsoDate(request->window_date())},
        kMaxReportApplications);
    response->set_covenant(request->parent());
    *response->mutable_window_date() = request->window_date();
    std::map<std::string, v1::RequirementUse> uses;
    for (const auto& a : applications) {
      for (const auto& s : a.assessments()) {
        auto& use = uses[s.requirement_id()];
        use.set_requirement_id(s.requirement_id());
        const auto& seen = use.revisions();
        if (std::find(seen.begin(), seen.end(), s.requirement_revision()) == seen.end()) {
          use.add_revisions(s.requirement_revision());
          std::sort(use.mutable_revisions()->begin(), use.mutable_revisions()->end());
        }
        (s.result() == v1::Assessment::PASS ? use.set_passed(use.passed() + 1)
                                            : use.set_failed(use.failed() + 1));
      }
      *response->add_applications() = a;
    }
    for (auto& [id, use] : uses) {
      *response->add_requirements() = std::move(use);
    }
  });
}

}  // namespace regie::providers
