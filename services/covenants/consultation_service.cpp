#include "consultation_service.hpp"

#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <nlohmann/json.hpp>

#include "consultation_rules.hpp"
#include "deadlines.hpp"
#include "lifecycle.hpp"
#include "names.hpp"
#include "request.hpp"

namespace regie::covenants {
namespace {

using google::protobuf::util::TimeUtil;

constexpr char kMeetings[] = "meetings";
constexpr char kAmendments[] = "amendments";
// Reads the newest version: every version has taken effect by then.
constexpr char kNewest[] = "9999-12-31";

std::pair<std::string, int> ParseItemName(const std::string& name, const char* collection,
                                          Validation& v, const std::string& field) {
  const auto [covenant_id, id] = ParseCovenantChild(name, collection, v, field, IsItemNumber);
  return {covenant_id, id.empty() ? 0 : std::stoi(id)};
}

std::string ItemName(const std::string& covenant_id, const char* collection, int id) {
  return CovenantChildName(covenant_id, collection, std::to_string(id));
}

void ToProto(const MeetingRecord& m, v1::Meeting* out) {
  static const std::map<std::string, v1::Meeting::State> kStates = {
      {"scheduled", v1::Meeting::SCHEDULED},
      {"held", v1::Meeting::HELD},
      {"cancelled", v1::Meeting::CANCELLED}};
  out->set_name(ItemName(m.covenant_id, kMeetings, m.meeting_id));
  out->set_state(kStates.at(m.state));
  *out->mutable_meeting_date() = *ParseIsoDate(m.meeting_date);
  out->set_location(m.location);
  *out->mutable_agenda() = {m.agenda.begin(), m.agenda.end()};
  *out->mutable_invitees() = {m.invitees.begin(), m.invitees.end()};
  out->set_minutes(m.minutes);
  *out->mutable_decisions() = {m.decisions.begin(), m.decisions.end()};
  out->set_cancellation_reason(m.cancellation_reason);
  out->set_scheduled_by(m.scheduled_by);
  *out->mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(m.created_at_us);
  *out->mutable_update_time() = TimeUtil::MicrosecondsToTimestamp(m.updated_at_us);
}

// What is stored of a proposal: the fields the proposer set, nothing the server sets.
std::string ProposalJson(const v1::Amendment& amendment) {
  v1::Amendment proposal;
  proposal.set_title(amendment.title());
  proposal.set_rationale(amendment.rationale());
  *proposal.mutable_effective_date() = amendment.effective_date();
  if (amendment.has_terms_change()) {
    *proposal.mutable_terms_change() = amendment.terms_change();
  } else if (amendment.has_agreement_change()) {
    *proposal.mutable_agreement_change() = amendment.agreement_change();
  } else {
    *proposal.mutable_tariff_indexation() = amendment.tariff_indexation();
  }
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(proposal, &json, options).ok()) {
    throw std::runtime_error("cannot render an amendment as JSON");
  }
  return json;
}

v1::Amendment ProposalOf(const AmendmentRecord& a) {
  v1::Amendment amendment;
  if (!google::protobuf::util::JsonStringToMessage(a.proposal_json, &amendment).ok()) {
    throw std::runtime_error("stored amendment " + std::to_string(a.amendment_id) +
                             " cannot be read");
  }
  return amendment;
}

void ToProto(const AmendmentRecord& a, v1::Amendment* out) {
  static const std::map<std::string, v1::Amendment::State> kStates = {
      {"proposed", v1::Amendment::PROPOSED},
      {"adopted", v1::Amendment::ADOPTED},
      {"withdrawn", v1::Amendment::WITHDRAWN}};
  *out = ProposalOf(a);
  out->set_name(ItemName(a.covenant_id, kAmendments, a.amendment_id));
  out->set_state(kStates.at(a.state));
  out->set_base_version(a.base_version);
  if (a.meeting_id != 0) {
    out->set_meeting(ItemName(a.covenant_id, kMeetings, a.meeting_id));
  }
  out->set_version(a.version);
  out->set_proposed_by(a.proposed_by);
  *out->mutable_create_time() = TimeUtil::MicrosecondsToTimestamp(a.created_at_us);
  out->set_decided_by(a.decided_by);
  if (a.decided_at_us != 0) {
    *out->mutable_decide_time() = TimeUtil::MicrosecondsToTimestamp(a.decided_at_us);
  }
}

// The terms `amendment` makes of the covenant's newest ones, refusing what may not take effect
// and a result its manager could no longer manage.
v1::CovenantTerms AmendedTerms(const auth::Principal& principal, const CovenantRecord& newest,
                               const v1::Amendment& amendment, std::chrono::sys_days today) {
  const auto terms = TermsFromJson(newest.terms_json);
  CheckEffectiveDate(ToDays(amendment.effective_date()), today,
                     ToDays(*ParseIsoDate(newest.effective_from)),
                     TermEnd(terms, newest.extensions_used));
  auto amended = ApplyAmendment(terms, amendment);
  if (!CanManage(principal, ParticipantsOf(amended))) {
    Validation v;
    v.Add(
        "amendment.terms_change.terms.municipalities",
        "must keep your own organisation (" + principal.organisation + ") among the participants");
    v.ThrowIfAny();
  }
  return amended;
}

}  // namespace

ConsultationService::ConsultationService(const rpc::RpcBoundary& boundary, CovenantStore& covenants,
                                         ConsultationStore& consultation)
    : boundary_(boundary), covenants_(covenants), consultation_(consultation) {}

CovenantRecord ConsultationService::ManagedCovenant(const rpc::Call& call,
                                                    const std::string& covenant_id) {
  const auto covenant = GetVisibleCovenant(covenants_, call.deadline, call.principal, covenant_id,
                                           CovenantName(covenant_id));
  RequireManager(call.principal, covenant);
  return covenant;
}

grpc::Status ConsultationService::ScheduleMeeting(grpc::ServerContext* context,
                                                  const v1::ScheduleMeetingRequest* request,
                                                  v1::Meeting* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    const auto covenant_id = ParseCovenantName(request->parent(), v, "parent");
    const auto today = ToDays(*ParseIsoDate(covenants_.Today(call.deadline)));
    ValidateNewMeeting(request->meeting(), today, v);
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    const auto covenant = ManagedCovenant(call, covenant_id);
    RequireRunning(covenant.state, "meetings are scheduled");
    const auto& m = request->meeting();
    ToProto(consultation_.ScheduleMeeting(call.deadline, call.audit,
                                          {covenant_id,
                                           IsoDate(m.meeting_date()),
                                           m.location(),
                                           {m.agenda().begin(), m.agenda().end()}}),
            response);
  });
}

grpc::Status ConsultationService::GetMeeting(grpc::ServerContext* context,
                                             const v1::GetMeetingRequest* request,
                                             v1::Meeting* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto [covenant_id, id] = ParseItemName(request->name(), kMeetings, v, "name");
    v.ThrowIfAny();
    GetVisibleCovenant(covenants_, call.deadline, call.principal, covenant_id,
                       CovenantName(covenant_id));
    const auto meeting = consultation_.GetMeeting(call.deadline, covenant_id, id);
    if (!meeting) {
      throw Error::NotFound(request->name());
    }
    ToProto(*meeting, response);
  });
}

grpc::Status ConsultationService::ListMeetings(grpc::ServerContext* context,
                                               const v1::ListMeetingsRequest* request,
                                               v1::ListMeetingsResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto covenant_id = ParseCovenantName(request->parent(), v, "parent");
    const int page_size = PageSize(request->page_size(), 100, 500, v);
    const auto after = DecodeNumberPageToken(kMeetings, request->page_token(), v);
    v.ThrowIfAny();
    GetVisibleCovenant(covenants_, call.deadline, call.principal, covenant_id, request->parent());
    auto meetings = consultation_.ListMeetings(call.deadline, covenant_id, static_cast<int>(after),
                                               page_size + 1);
    response->set_next_page_token(TakePage(meetings, page_size, kMeetings, [](const auto& m) {
      return std::to_string(m.meeting_id);
    }));
    for (const auto& m : meetings) {
      ToProto(m, response->add_meetings());
    }
  });
}

grpc::Status ConsultationService::RecordMinutes(grpc::ServerContext* context,
                                                const v1::RecordMinutesRequest* request,
                                                v1::Meeting* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    const auto [covenant_id, id] = ParseItemName(request->name(), kMeetings, v, "name");
    ValidateMinutes(request->minutes(), request->decisions(), v);
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    ManagedCovenant(call, covenant_id);
    const auto meeting = consultation_.GetMeeting(call.deadline, covenant_id, id);
    if (!meeting) {
      throw Error::NotFound(request->name());
    }
    const auto today = covenants_.Today(call.deadline);
    if (meeting->state == "scheduled" && meeting->meeting_date > today) {
      throw Error::FailedPrecondition("MEETING_NOT_HELD_YET",
                                      request->name() + " takes place on " + meeting->meeting_date +
                                          ": minutes are recorded on or after that day");
    }
    ToProto(
        consultation_.HoldMeeting(call.deadline, call.audit, covenant_id, id, request->minutes(),
                                  {request->decisions().begin(), request->decisions().end()}),
        response);
  });
}

grpc::Status ConsultationService::CancelMeeting(grpc::ServerContext* context,
                                                const v1::CancelMeetingRequest* request,
                                                v1::Meeting* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    const auto [covenant_id, id] = ParseItemName(request->name(), kMeetings, v, "name");
    if (const auto problem = CheckText(request->reason(), 1000); !problem.empty()) {
      v.Add("reason", problem);
    }
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    ManagedCovenant(call, covenant_id);
    ToProto(
        consultation_.CancelMeeting(call.deadline, call.audit, covenant_id, id, request->reason()),
        response);
  });
}

grpc::Status ConsultationService::ProposeAmendment(grpc::ServerContext* context,
                                                   const v1::ProposeAmendmentRequest* request,
                                                   v1::Amendment* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    const auto covenant_id = ParseCovenantName(request->parent(), v, "parent");
    const auto& amendment = request->amendment();
    ValidateProposal(covenant_id, amendment, v);
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    const auto newest = covenants_.Get(call.deadline, covenant_id, kNewest);
    if (!newest || !CanSee(call.principal, newest->state, newest->participants)) {
      throw Error::NotFound(request->parent());
    }
    RequireManager(call.principal, *newest);
    RequireRunning(newest->state, "amendments are proposed");
    const auto today = ToDays(*ParseIsoDate(covenants_.Today(call.deadline)));
    AmendedTerms(call.principal, *newest, amendment, today);  // refuses what could never apply
    ToProto(consultation_.Propose(call.deadline, call.audit,
                                  {covenant_id, ProposalJson(amendment),
                                   IsoDate(amendment.effective_date()), newest->version}),
            response);
  });
}

grpc::Status ConsultationService::GetAmendment(grpc::ServerContext* context,
                                               const v1::GetAmendmentRequest* request,
                                               v1::Amendment* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto [covenant_id, id] = ParseItemName(request->name(), kAmendments, v, "name");
    v.ThrowIfAny();
    GetVisibleCovenant(covenants_, call.deadline, call.principal, covenant_id,
                       CovenantName(covenant_id));
    const auto amendment = consultation_.GetAmendment(call.deadline, covenant_id, id);
    if (!amendment) {
      throw Error::NotFound(request->name());
    }
    ToProto(*amendment, response);
  });
}

grpc::Status ConsultationService::ListAmendments(grpc::ServerContext* context,
                                                 const v1::ListAmendmentsRequest* request,
                                                 v1::ListAmendmentsResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto covenant_id = ParseCovenantName(request->parent(), v, "parent");
    const int page_size = PageSize(request->page_size(), 100, 500, v);
    const auto after = DecodeNumberPageToken(kAmendments, request->page_token(), v);
    v.ThrowIfAny();
    GetVisibleCovenant(covenants_, call.deadline, call.principal, covenant_id, request->parent());
    auto amendments = consultation_.ListAmendments(call.deadline, covenant_id,
                                                   static_cast<int>(after), page_size + 1);
    response->set_next_page_token(TakePage(amendments, page_size, kAmendments, [](const auto& a) {
      return std::to_string(a.amendment_id);
    }));
    for (const auto& a : amendments) {
      ToProto(a, response->add_amendments());
    }
  });
}

grpc::Status ConsultationService::AdoptAmendment(grpc::ServerContext* context,
                                                 const v1::AdoptAmendmentRequest* request,
                                                 v1::Amendment* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    const auto [covenant_id, amendment_id] = ParseItemName(request->name(), kAmendments, v, "name");
    const auto [meeting_covenant, meeting_id] =
        ParseItemName(request->meeting(), kMeetings, v, "meeting");
    if (v.empty() && meeting_covenant != covenant_id) {
      v.Add("meeting", "must be a meeting of " + CovenantName(covenant_id));
    }
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    ManagedCovenant(call, covenant_id);
    const auto amendment = consultation_.GetAmendment(call.deadline, covenant_id, amendment_id);
    if (!amendment) {
      throw Error::NotFound(request->name());
    }
    const auto meeting = consultation_.GetMeeting(call.deadline, covenant_id, meeting_id);
    if (!meeting) {
      throw Error::NotFound(request->meeting());
    }
    if (meeting->state != "held") {
      throw Error::FailedPrecondition("MEETING_STATE", request->meeting() + " is " +
                                                           meeting->state +
                                                           ": amendments are adopted at a held "
                                                           "meeting, with its minutes recorded");
    }
    const auto today = ToDays(*ParseIsoDate(covenants_.Today(call.deadline)));
    const auto proposal = ProposalOf(*amendment);
    // The ids are copied in: clang 14 lambdas cannot capture structured bindings.
    covenants_.Change(
        call.deadline, call.audit, covenant_id,
        [&, amendment_id = amendment_id, meeting_id = meeting_id](const CovenantRecord& current) {
          RequireManager(call.principal, current);
          RequireRunning(current.state, "amendments are adopted");
          if (amendment->state != "proposed") {
            throw Error::FailedPrecondition("AMENDMENT_STATE",
                                            request->name() + " is " + amendment->state);
          }
          if (amendment->base_version != current.version) {
            throw Error::FailedPrecondition(
                "AMENDMENT_OUTDATED",
                request->name() + " was proposed against version " +
                    std::to_string(amendment->base_version) + ", but the covenant is at version " +
                    std::to_string(current.version) + " now: propose it again");
          }
          const auto terms = AmendedTerms(call.principal, current, proposal, today);
          auto change = CovenantChange::From(current);
          change.adoption = CovenantChange::Adoption{IsoDate(proposal.effective_date()),
                                                     MakeTermsRow(terms), amendment_id, meeting_id};
          change.audit_change_json =
              nlohmann::json{{"amendment", request->name()},
                             {"meeting", request->meeting()},
                             {"version", current.version + 1},
                             {"effective_from", IsoDate(proposal.effective_date())}}
                  .dump();
          return change;
        });
    ToProto(*consultation_.GetAmendment(call.deadline, covenant_id, amendment_id), response);
  });
}

grpc::Status ConsultationService::WithdrawAmendment(grpc::ServerContext* context,
                                                    const v1::WithdrawAmendmentRequest* request,
                                                    v1::Amendment* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    const auto [covenant_id, id] = ParseItemName(request->name(), kAmendments, v, "name");
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    ManagedCovenant(call, covenant_id);
    ToProto(consultation_.Withdraw(call.deadline, call.audit, covenant_id, id), response);
  });
}

}  // namespace regie::covenants
