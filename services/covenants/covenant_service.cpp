#include "covenant_service.hpp"

#include <google/protobuf/util/field_mask_util.h>
#include <google/protobuf/util/time_util.h>

#include <nlohmann/json.hpp>

#include "deadlines.hpp"
#include "lifecycle.hpp"
#include "lot_rules.hpp"
#include "names.hpp"
#include "reference_rules.hpp"
#include "request.hpp"

namespace regie::covenants {
namespace {

using google::protobuf::util::FieldMaskUtil;
using google::protobuf::util::TimeUtil;

constexpr char kCovenantsKind[] = "covenants";

void ToProto(const CovenantRecord& record, v1::Covenant* out) {
  out->set_name(CovenantName(record.covenant_id));
  out->set_state(ToProto(record.state));
  *out->mutable_terms() = TermsFromJson(record.terms_json);
  out->set_version(record.version);
  if (const auto date = ParseIsoDate(record.effective_from)) {
    *out->mutable_version_effective_date() = *date;
  }
  out->set_owner(record.owner_municipality.empty() ? RegionName(record.owner_region)
                                                   : MunicipalityName(record.owner_municipality));
  out->set_etag(std::to_string(record.etag));
  *out->mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(record.created_at_us);
  *out->mutable_update_time() = TimeUtil::MicrosecondsToTimestamp(record.updated_at_us);
  if (record.published_at_us != 0) {
    *out->mutable_publish_time() = TimeUtil::MicrosecondsToTimestamp(record.published_at_us);
  }
  out->set_extensions_used(record.extensions_used);
  *out->mutable_term_end_date() = ToDate(TermEnd(out->terms(), record.extensions_used));
  if (!record.terminated_on.empty()) {
    auto* termination = out->mutable_termination();
    *termination->mutable_effective_date() = *ParseIsoDate(record.terminated_on);
    termination->set_reason(record.termination_reason);
    termination->set_terminated_by(record.terminated_by);
  }
}

void RequireEtag(const std::string& given, const CovenantRecord& covenant) {
  if (!given.empty() && given != std::to_string(covenant.etag)) {
    throw Error(ErrorCode::kAborted, "ETAG_MISMATCH",
                CovenantName(covenant.covenant_id) + " has changed since it was read (etag " +
                    given + ", now " + std::to_string(covenant.etag) +
                    "); read it again and retry");
  }
}

}  // namespace

CovenantService::CovenantService(const rpc::RpcBoundary& boundary, CovenantStore& store)
    : boundary_(boundary), store_(store) {}

grpc::Status CovenantService::CreateCovenant(grpc::ServerContext* context,
                                             const v1::CreateCovenantRequest* request,
                                             v1::Covenant* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    if (!IsCovenantId(request->covenant_id())) {
      v.Add("covenant_id", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
    }
    auto terms = request->covenant().terms();
    ValidateTerms(terms, v, "covenant.terms");
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    const auto participants = ParticipantsOf(terms);
    if (!CanManage(call.principal, participants)) {
      throw Error::PermissionDenied(
          "NOT_A_PARTICIPANT", "organisation " + call.principal.organisation +
                                   " takes no part in this covenant: only procurement staff of a "
                                   "participating municipality or of its region may create it");
    }
    SetServerFields(nullptr, terms);
    NewCovenant covenant{request->covenant_id(), "", "", MakeTermsRow(terms)};
    if (IsMunicipalityCode(call.principal.organisation)) {
      covenant.owner_municipality = call.principal.organisation;
    } else {
      covenant.owner_region = participants.region_id;
    }
    ToProto(store_.Create(call.deadline, call.audit, covenant), response);
  });
}

CovenantRecord CovenantService::ChangeAsManager(
    const rpc::Call& call, const std::string& covenant_id, const std::string& etag,
    const std::function<void(const CovenantRecord&, CovenantChange&)>& apply) {
  return store_.Change(call.deadline, call.audit, covenant_id, [&](const CovenantRecord& current) {
    RequireManager(call.principal, current);
    RequireEtag(etag, current);
    auto change = CovenantChange::From(current);
    apply(current, change);
    return change;
  });
}

grpc::Status CovenantService::GetCovenant(grpc::ServerContext* context,
                                          const v1::GetCovenantRequest* request,
                                          v1::Covenant* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto id = ParseCovenantName(request->name(), v, "name");
    const auto as_of = AsOfDay(*request, v);
    v.ThrowIfAny();
    ToProto(GetVisibleCovenant(store_, call.deadline, call.principal, id, request->name(), as_of),
            response);
  });
}

grpc::Status CovenantService::ListCovenants(grpc::ServerContext* context,
                                            const v1::ListCovenantsRequest* request,
                                            v1::ListCovenantsResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const int page_size = PageSize(request->page_size(), 50, 500, v);
    const auto after = DecodePageToken(kCovenantsKind, request->page_token(), v);
    CovenantFilter filter;
    if (request->state() != v1::Covenant::STATE_UNSPECIFIED) {
      const auto state = FromProto(request->state());
      if (!state) {
        v.Add("state", "is not a covenant state");
      } else {
        filter.state = std::string(StateName(*state));
      }
    }
    if (!request->municipality().empty()) {
      filter.municipality = ParseMunicipalityName(request->municipality(), v, "municipality");
    }
    if (request->legal_basis() != v1::LEGAL_BASIS_UNSPECIFIED) {
      filter.legal_basis = v1::LegalBasis_Name(request->legal_basis());
    }
    v.ThrowIfAny();
    auto records =
        store_.List(call.deadline, DraftVisibility(call.principal), filter, after, page_size + 1);
    response->set_next_page_token(
        TakePage(records, page_size, kCovenantsKind, [](const auto& r) { return r.covenant_id; }));
    for (const auto& record : records) {
      ToProto(record, response->add_covenants());
    }
  });
}

grpc::Status CovenantService::UpdateCovenant(grpc::ServerContext* context,
                                             const v1::UpdateCovenantRequest* request,
                                             v1::Covenant* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    const auto id = ParseCovenantName(request->covenant().name(), v, "covenant.name");
    const auto& mask = request->update_mask();
    if (mask.paths().empty()) {
      v.Add("update_mask", "must name the fields to change, e.g. terms.title");
    }
    for (const auto& path : mask.paths()) {
      if (path.rfind("terms.", 0) != 0 ||
          !FieldMaskUtil::GetFieldDescriptors(v1::Covenant::descriptor(), path, nullptr)) {
        v.Add("update_mask", "'" + path + "' is not a field under terms");
      }
    }
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    const auto record = ChangeAsManager(
        call, id, request->covenant().etag(),
        [&](const CovenantRecord& current, CovenantChange& change) {
          RequireDraft(current.state);
          v1::Covenant merged;
          *merged.mutable_terms() = TermsFromJson(current.terms_json);
          FieldMaskUtil::MergeOptions options;
          options.set_replace_message_fields(true);
          options.set_replace_repeated_fields(true);
          FieldMaskUtil::MergeMessageTo(request->covenant(), mask, options, &merged);
          Validation terms_validation;
          ValidateTerms(merged.terms(), terms_validation, "covenant.terms");
          if (terms_validation.empty() &&
              !CanManage(call.principal, ParticipantsOf(merged.terms()))) {
            terms_validation.Add("covenant.terms.municipalities",
                                 "must keep your own organisation (" + call.principal.organisation +
                                     ") among the participants");
          }
          terms_validation.ThrowIfAny();
          SetServerFields(nullptr, *merged.mutable_terms());
          change.new_draft_terms = MakeTermsRow(merged.terms());
          change.audit_change_json =
              nlohmann::json{{"update_mask", mask.paths()},
                             {"terms", nlohmann::json::parse(TermsToJson(merged.terms()))}}
                  .dump();
        });
    ToProto(record, response);
  });
}

grpc::Status CovenantService::PublishCovenant(grpc::ServerContext* context,
                                              const v1::PublishCovenantRequest* request,
                                              v1::Covenant* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    const auto id = ParseCovenantName(request->name(), v, "name");
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    const auto record = ChangeAsManager(
        call, id, request->etag(), [](const CovenantRecord& current, CovenantChange& change) {
          change.new_state = ApplyTransition(current.state, Transition::kPublish);
          change.publish = true;
          change.audit_change_json = nlohmann::json{{"state", StateName(change.new_state)}}.dump();
        });
    ToProto(record, response);
  });
}

grpc::Status CovenantService::ListCovenantVersions(grpc::ServerContext* context,
                                                   const v1::ListCovenantVersionsRequest* request,
                                                   v1::ListCovenantVersionsResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto id = ParseCovenantName(request->name(), v, "name");
    v.ThrowIfAny();
    GetVisibleCovenant(store_, call.deadline, call.principal, id, request->name());
    for (const auto& version : store_.ListVersions(call.deadline, id)) {
      auto* out = response->add_versions();
      out->set_version(version.version);
      if (const auto date = ParseIsoDate(version.effective_from)) {
        *out->mutable_effective_date() = *date;
      }
      *out->mutable_record_time() = TimeUtil::MicrosecondsToTimestamp(version.recorded_at_us);
      if (version.amendment_id != 0) {
        out->set_amendment(
            CovenantChildName(id, "amendments", std::to_string(version.amendment_id)));
        out->set_meeting(CovenantChildName(id, "meetings", std::to_string(version.meeting_id)));
        out->set_rationale(version.rationale);
      }
    }
  });
}

grpc::Status CovenantService::DiffCovenantVersions(grpc::ServerContext* context,
                                                   const v1::DiffCovenantVersionsRequest* request,
                                                   v1::DiffCovenantVersionsResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto id = ParseCovenantName(request->name(), v, "name");
    if (request->from_version() < 1) {
      v.Add("from_version", "must be a version number, 1 or more");
    }
    if (request->to_version() < 1) {
      v.Add("to_version", "must be a version number, 1 or more");
    }
    v.ThrowIfAny();
    GetVisibleCovenant(store_, call.deadline, call.principal, id, request->name());
    auto terms_of = [&](int version) {
      auto terms = store_.GetVersionTerms(call.deadline, id, version);
      if (!terms) {
        throw Error::NotFound(request->name() + " version " + std::to_string(version));
      }
      return *terms;
    };
    const auto before = terms_of(request->from_version());
    const auto after = terms_of(request->to_version());
    for (const auto& change : DiffTerms(before, after)) {
      auto* out = response->add_changes();
      out->set_field(change.field);
      out->set_before(change.before);
      out->set_after(change.after);
    }
  });
}

namespace {

v1::Deadline::Kind ToProto(DeadlineKind kind) {
  switch (kind) {
    case DeadlineKind::kTermEnd:
      return v1::Deadline::TERM_END;
    case DeadlineKind::kNotice:
      return v1::Deadline::NOTICE;
    case DeadlineKind::kAccessionApplication:
      return v1::Deadline::ACCESSION_APPLICATION;
    case DeadlineKind::kAccessionWindow:
      return v1::Deadline::ACCESSION_WINDOW;
    case DeadlineKind::kQuarterlyReport:
      return v1::Deadline::QUARTERLY_REPORT;
    case DeadlineKind::kAnnualStatement:
      return v1::Deadline::ANNUAL_STATEMENT;
    case DeadlineKind::kAuditOpinion:
      return v1::Deadline::AUDIT_OPINION;
    case DeadlineKind::kComplaintsReport:
      return v1::Deadline::COMPLAINTS_REPORT;
  }
  return v1::Deadline::KIND_UNSPECIFIED;
}

bool Running(CovenantState state) {
  return state == CovenantState::kPublished || state == CovenantState::kActive ||
         state == CovenantState::kExtended;
}

}  // namespace

grpc::Status CovenantService::ListDeadlines(grpc::ServerContext* context,
                                            const v1::ListDeadlinesRequest* request,
                                            v1::ListDeadlinesResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    if (request->has_from_date() && !IsValidDate(request->from_date())) {
      v.Add("from_date", "must be a calendar date");
    }
    const int within = request->within_days() == 0 ? 90 : request->within_days();
    if (within < 1 || within > 730) {
      v.Add("within_days", "must be 1-730");
    }
    const auto only = request->covenant().empty()
                          ? std::string()
                          : ParseCovenantName(request->covenant(), v, "covenant");
    v.ThrowIfAny();
    const auto from = request->has_from_date() ? ToDays(request->from_date())
                                               : ToDays(*ParseIsoDate(store_.Today(call.deadline)));
    const auto to = from + std::chrono::days(within - 1);

    struct Found {
      DeadlineItem item;
      const CovenantRecord* covenant;
      std::string title;
    };
    std::vector<CovenantRecord> covenants;
    for (std::string after;;) {
      auto page = store_.List(call.deadline, DraftVisibility(call.principal), {}, after, 500);
      for (auto& record : page) {
        if (Running(record.state) && (only.empty() || record.covenant_id == only)) {
          covenants.push_back(std::move(record));
        }
      }
      if (page.size() < 500) {
        break;
      }
      after = page.back().covenant_id;
    }
    std::vector<Found> found;
    for (const auto& covenant : covenants) {
      const auto terms = TermsFromJson(covenant.terms_json);
      for (auto& item : Deadlines(terms, covenant.extensions_used, from, to)) {
        found.push_back({std::move(item), &covenant, terms.title()});
      }
    }
    std::stable_sort(found.begin(), found.end(),
                     [](const Found& a, const Found& b) { return a.item.date < b.item.date; });
    for (const auto& f : found) {
      auto* out = response->add_deadlines();
      *out->mutable_date() = ToDate(f.item.date);
      out->set_kind(ToProto(f.item.kind));
      out->set_covenant(CovenantName(f.covenant->covenant_id));
      out->set_covenant_title(f.title);
      out->set_description(f.item.description);
    }
  });
}

grpc::Status CovenantService::ExtendCovenant(grpc::ServerContext* context,
                                             const v1::ExtendCovenantRequest* request,
                                             v1::Covenant* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    const auto id = ParseCovenantName(request->name(), v, "name");
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    const auto today = ToDays(*ParseIsoDate(store_.Today(call.deadline)));
    const auto record = ChangeAsManager(
        call, id, request->etag(), [&](const CovenantRecord& current, CovenantChange& change) {
          const auto terms = TermsFromJson(current.terms_json);
          CheckExtension(current.state, terms, current.extensions_used, today);
          change.new_state = ApplyTransition(current.state, Transition::kExtend);
          change.extensions_used = current.extensions_used + 1;
          change.audit_change_json =
              nlohmann::json{
                  {"state", StateName(change.new_state)},
                  {"extensions_used", change.extensions_used},
                  {"term_end_date", IsoDate(ToDate(TermEnd(terms, change.extensions_used)))}}
                  .dump();
        });
    ToProto(record, response);
  });
}

grpc::Status CovenantService::TerminateCovenant(grpc::ServerContext* context,
                                                const v1::TerminateCovenantRequest* request,
                                                v1::Covenant* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    const auto id = ParseCovenantName(request->name(), v, "name");
    if (const auto problem = CheckText(request->reason(), 1000); !problem.empty()) {
      v.Add("reason", problem);
    }
    if (request->has_effective_date() && !IsValidDate(request->effective_date())) {
      v.Add("effective_date", "must be a calendar date");
    }
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    const auto today = ToDays(*ParseIsoDate(store_.Today(call.deadline)));
    const auto effective =
        request->has_effective_date() ? ToDays(request->effective_date()) : today;
    const auto record = ChangeAsManager(
        call, id, request->etag(), [&](const CovenantRecord& current, CovenantChange& change) {
          CheckTermination(current.state, TermsFromJson(current.terms_json),
                           current.extensions_used, today, effective);
          change.new_state = ApplyTransition(current.state, Transition::kTerminate);
          change.terminated_on = IsoDate(ToDate(effective));
          change.termination_reason = request->reason();
          change.terminated_by = call.principal.subject;
          change.audit_change_json = nlohmann::json{{"state", StateName(change.new_state)},
                                                    {"effective_date", change.terminated_on},
                                                    {"reason", change.termination_reason}}
                                         .dump();
        });
    ToProto(record, response);
  });
}

}  // namespace regie::covenants
