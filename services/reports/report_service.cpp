#include "report_service.hpp"

#include <algorithm>

#include <google/protobuf/util/time_util.h>

#include "covenant_rules.hpp"
#include "crypto.hpp"
#include "deadlines.hpp"
#include "lifecycle.hpp"
#include "lot_rules.hpp"
#include "names.hpp"
#include "outcome_rules.hpp"
#include "provider_rules.hpp"
#include "reference_rules.hpp"
#include "report_filters.hpp"
#include "report_rules.hpp"
#include "report_signing.hpp"
#include "request.hpp"

namespace regie::reports {
namespace {

constexpr char kReports[] = "reports";
// How many times a submission is checked against facts read anew when they changed before it
// could be stored.
constexpr int kFactReads = 3;
constexpr std::size_t kMaxReasonLength = 2000;

// The report as it stood just before `cutoff_us`: the newest version submitted by then, superseded
// by none, with its review only if that came before the cutoff too.
v1::Report AsOf(const std::vector<v1::Report>& versions, std::int64_t cutoff_us,
                const std::string& name, const std::string& day) {
  using google::protobuf::util::TimeUtil;
  const v1::Report* found = nullptr;
  for (const auto& version : versions) {
    if (TimeUtil::TimestampToMicroseconds(version.submit_time()) < cutoff_us) {
      found = &version;
    }
  }
  if (found == nullptr) {
    throw Error::NotFound(name + " as of " + day);
  }
  auto report = *found;
  report.set_superseded(false);
  if (!report.has_review_time() ||
      TimeUtil::TimestampToMicroseconds(report.review_time()) >= cutoff_us) {
    report.set_state(v1::Report::SUBMITTED);
    report.clear_review_reason();
    report.clear_reviewed_by();
    report.clear_review_time();
  }
  return report;
}

}  // namespace

ReportService::ReportService(const rpc::RpcBoundary& boundary, covenants::CovenantStore& covenants,
                             ReportStore& reports)
    : boundary_(boundary), covenants_(covenants), reports_(reports) {}

v1::Report ReportService::Submit(const rpc::Call& call, const v1::SubmitReportRequest& request) {
  const auto& content = request.content();
  Validation v;
  const auto covenant_id = covenants::ParseCovenantName(content.covenant(), v, "content.covenant");
  const auto kvk = providers::ParseProviderName(content.provider(), v, "content.provider");
  std::optional<Period> period;
  if (const auto kind = CheckKind(content.kind(), v, "content.kind")) {
    period = ParseReportPeriod(*kind, content.period());
    if (!period) {
      v.Add("content.period", *kind == v1::QUARTERLY ? "must be a quarter such as 2026-Q2"
                                                     : "must be a year such as 2026");
    }
  }
  if (request.signature().empty()) {
    v.Add("signature",
          "is required: the signature of the report's canonical bytes with the key of your "
          "certificate (`regie report submit` makes it)");
  }
  if (request.request_id().empty()) {
    v.Add("request_id", "is required, so that a retry stores nothing twice");
  }
  CheckRequestId(request.request_id(), v);
  v.ThrowIfAny();
  providers::RequireOwnProvider(call.principal, kvk);

  ParsedSubmission parsed;
  parsed.covenant_id = covenant_id;
  parsed.kvk = kvk;
  parsed.period = *period;
  parsed.period_start = covenants::IsoDay(period->start);
  parsed.period_end = covenants::IsoDay(period->end);
  parsed.canonical = Canonical(content);
  parsed.canonical_bytes = SerializeCanonical(parsed.canonical);
  parsed.digest = Sha256(parsed.canonical_bytes);

  // First with the facts this process last read for the covenant and period, the provider's lots
  // taken to be those the lines name: the store checks all of them as it stores, without a read
  // of its own (docs/adr/0019). Whatever that does not store, or refuses, is decided below with
  // facts read now, so that no answer depends on what the process holds.
  if (auto held = reports_.HeldSubmissionFacts(covenant_id, parsed.period_end)) {
    for (const auto& line : content.lines()) {
      held->lots.insert(line.lot_id());
    }
    std::optional<NewVersion> next;
    try {
      next = CheckedVersion(call, request, parsed, *held);
      if (auto stored = reports_.Submit(call.deadline, call.audit, *next)) {
        ++facts_held_;
        return *std::move(stored);
      }
    } catch (const Error&) {
      // Decided below, with facts read now.
    }
    if (next) {
      parsed.canonical = std::move(next->content);  // left as it was: not stored
    }
  }
  for (int read = 1;; ++read) {
    auto facts = reports_.ReadSubmissionFacts(call.deadline, kvk, request.request_id(), covenant_id,
                                              parsed.period_start, parsed.period_end);
    ++facts_read_;
    if (facts.earlier) {
      return RetryAnswer(*facts.earlier, parsed.digest, request.request_id());
    }
    auto next = CheckedVersion(call, request, parsed, facts);
    if (auto stored = reports_.Submit(call.deadline, call.audit, next)) {
      return *std::move(stored);
    }
    parsed.canonical = std::move(next.content);
    if (read == kFactReads) {
      throw Error(ErrorCode::kAborted, "FACTS_CHANGED",
                  "the covenant, or your participation in it, changed while this report was being "
                  "stored, " +
                      std::to_string(kFactReads) +
                      " times: nothing was stored; send the same request again");
    }
  }
}

NewVersion ReportService::CheckedVersion(const rpc::Call& call,
                                         const v1::SubmitReportRequest& request,
                                         ParsedSubmission& parsed, const SubmissionFacts& facts) {
  const auto& content = request.content();
  const auto today = covenants::ToDays(*covenants::ParseIsoDate(facts.today));
  const auto covenant =
      covenants::RequireVisible(facts.covenant, call.principal, content.covenant());
  const auto& terms = *facts.terms;
  const ReportContext context{terms, covenants::ToDays(terms.term().start_date()),
                              covenants::TermEnd(terms, covenant.extensions_used), facts.lots,
                              reports_.IndicatorIds(call.deadline)};
  Validation v;
  ValidateReportContent(content, parsed.period, context, v);
  v.ThrowIfAny();
  if (parsed.period.end >= today) {
    throw Error::FailedPrecondition(
        "PERIOD_NOT_ENDED", content.period() + " ends on " + parsed.period_end +
                                "; report on it from " +
                                covenants::IsoDay(parsed.period.end + std::chrono::days(1)));
  }
  if (!VerifyCanonicalSignature(call.principal.certificate_pem, parsed.canonical_bytes,
                                request.signature())) {
    throw Error::InvalidField(
        "signature",
        "does not verify with the key of your certificate over the canonical bytes of this "
        "content: sign exactly what you send (docs/adr/0009)");
  }
  const auto due = DueDate(content.kind(), parsed.period, terms.reporting_calendar());
  NewVersion next;
  next.covenant_id = parsed.covenant_id;
  next.report_id = ReportId(parsed.kvk, content.kind(), parsed.period);
  next.kvk = parsed.kvk;
  next.kind = content.kind();
  next.period_start = parsed.period_start;
  next.period_end = parsed.period_end;
  next.due_date = covenants::IsoDay(due);
  next.late = today > due;
  next.request_id = request.request_id();
  next.content = std::move(parsed.canonical);  // its bytes are serialised: not needed here
  next.content_digest = parsed.digest;
  next.signature = request.signature();
  next.signer_certificate = call.principal.certificate_pem;
  next.signer_fingerprint = call.principal.certificate_fingerprint;
  next.submitted_by = call.principal.subject;
  next.checked_today = facts.today;
  next.covenant_etag = covenant.etag;
  return next;
}

grpc::Status ReportService::SubmitReport(grpc::ServerContext* context,
                                         const v1::SubmitReportRequest* request,
                                         v1::Report* response) {
  return boundary_.Run(context, *request, request->request_id(),
                       [&](const rpc::Call& call) { *response = Submit(call, *request); });
}

grpc::Status ReportService::UploadReport(grpc::ServerContext* context,
                                         grpc::ServerReader<v1::UploadReportRequest>* reader,
                                         v1::Report* response) {
  // Read the stream into one request first (at most kMaxLines + 1 lines are kept), so that the
  // boundary sees and audits one request like SubmitReport's.
  v1::SubmitReportRequest assembled;
  std::string problem;
  std::string problem_field = "header";
  v1::UploadReportRequest part;
  bool first = true;
  int lines = 0;
  int messages = 0;
  while (reader->Read(&part)) {
    ++messages;
    if (!first && part.part_case() == v1::UploadReportRequest::PART_NOT_SET && problem.empty()) {
      problem_field = "line";
      problem = "message " + std::to_string(messages) + " of the stream carries no line";
    } else if (first != part.has_header()) {
      problem = first ? "the first message must be the header"
                      : "only the first message may be "
                        "the header";
    } else if (first) {
      *assembled.mutable_content() = part.header().content();
      assembled.mutable_content()->clear_lines();
      assembled.set_signature(part.header().signature());
      assembled.set_request_id(part.header().request_id());
    } else {
      auto* kept = assembled.mutable_content()->mutable_lines();
      const auto keep = [&](v1::ReportLine& line) {
        if (++lines <= kMaxLines + 1) {
          *kept->Add() = std::move(line);
        }
      };
      if (part.has_line()) {
        keep(*part.mutable_line());
      } else {
        for (auto& line : *part.mutable_lines()->mutable_lines()) {
          keep(line);
        }
      }
    }
    first = false;
  }
  if (first) {
    problem = "the stream was empty: send the header and then the lines";
  }
  return boundary_.Run(context, assembled, assembled.request_id(), [&](const rpc::Call& call) {
    if (!problem.empty()) {
      throw Error::InvalidField(problem_field, problem);
    }
    *response = Submit(call, assembled);
  });
}

std::vector<v1::Report> ReportService::ReadableVersions(const rpc::Call& call,
                                                        const std::string& name) {
  Validation v;
  const auto key = ParseReportName(name, v);
  v.ThrowIfAny();
  const auto covenant =
      covenants::GetVisibleCovenant(covenants_, call.deadline, call.principal, key.covenant_id,
                                    covenants::CovenantName(key.covenant_id));
  auto versions = reports_.Versions(call.deadline, key.covenant_id, key.report_id);
  if (versions.empty()) {
    throw Error::NotFound(name);
  }
  const auto kvk = providers::KvkOf(versions.front().content().provider());
  if (!providers::CanReadAdmission(call.principal, covenant.participants, kvk)) {
    throw Error::PermissionDenied(
        call.principal.role == auth::Role::kProvider ? "NOT_YOUR_ORGANISATION"
                                                     : "NOT_A_COVENANT_READER",
        "a report is read by its provider, the covenant's managers and auditors in scope");
  }
  return versions;
}

grpc::Status ReportService::GetReport(grpc::ServerContext* context,
                                      const v1::GetReportRequest* request, v1::Report* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    if (request->version() < 0) {
      throw Error::InvalidField("version", "must be a version number, or 0 for the newest");
    }
    if (request->has_as_of()) {
      if (request->version() != 0) {
        throw Error::InvalidField("as_of", "give a version or a day, not both");
      }
      if (!covenants::IsValidDate(request->as_of())) {
        throw Error::InvalidField("as_of", "must be a calendar date");
      }
    }
    auto versions = ReadableVersions(call, request->name());
    if (request->has_as_of()) {
      const auto day = covenants::IsoDate(request->as_of());
      *response = AsOf(versions, reports_.EndOfDayMicros(call.deadline, day), request->name(), day);
      return;
    }
    if (request->version() == 0) {
      *response = std::move(versions.back());
      return;
    }
    const auto found = std::find_if(versions.begin(), versions.end(), [&](const v1::Report& r) {
      return r.version() == request->version();
    });
    if (found == versions.end()) {
      throw Error::NotFound(request->name() + " version " + std::to_string(request->version()));
    }
    *response = std::move(*found);
  });
}

grpc::Status ReportService::ListReportVersions(grpc::ServerContext* context,
                                               const v1::ListReportVersionsRequest* request,
                                               v1::ListReportVersionsResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    for (auto& version : ReadableVersions(call, request->name())) {
      *response->add_versions() = std::move(version);
    }
  });
}

grpc::Status ReportService::ListReports(grpc::ServerContext* context,
                                        const v1::ListReportsRequest* request,
                                        v1::ListReportsResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto covenant_id = covenants::ParseCovenantName(request->parent(), v, "parent");
    std::string requested_kvk;
    auto filter = ParseFilter(*request, requested_kvk, v);
    if (request->state() != v1::Report::STATE_UNSPECIFIED) {
      if (!v1::Report::State_IsValid(request->state())) {
        v.Add("state", "must be SUBMITTED, ACCEPTED, QUESTIONED or REJECTED");
      } else {
        filter.state = StateText(request->state());
      }
    }
    const int page_size = PageSize(request->page_size(), 100, 500, v);
    const auto after = DecodePageToken(kReports, request->page_token(), v);
    v.ThrowIfAny();
    const auto covenant = covenants::GetVisibleCovenant(covenants_, call.deadline, call.principal,
                                                        covenant_id, request->parent());
    filter.kvk =
        providers::ListFilterKvk(call.principal, covenant.participants, requested_kvk, kReports);
    auto found = reports_.List(call.deadline, covenant_id, filter, after, page_size + 1);
    response->set_next_page_token(TakePage(found, page_size, kReports, [](const v1::Report& r) {
      return r.name().substr(r.name().rfind('/') + 1);
    }));
    for (auto& report : found) {
      *response->add_reports() = std::move(report);
    }
  });
}

grpc::Status ReportService::ReviewReport(grpc::ServerContext* context,
                                         const v1::ReviewReportRequest* request,
                                         v1::Report* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    const auto key = ParseReportName(request->name(), v);
    if (request->version() <= 0) {
      v.Add("version", "is required: the version reviewed (the newest)");
    }
    const auto decision = request->decision();
    if (decision == v1::ReviewReportRequest::DECISION_UNSPECIFIED ||
        !v1::ReviewReportRequest::Decision_IsValid(decision)) {
      v.Add("decision", "must be ACCEPT, QUESTION or REJECT");
    } else if (decision != v1::ReviewReportRequest::ACCEPT && request->reason().empty()) {
      v.Add("reason", "is required to question or reject: say what the provider should answer");
    }
    CheckReportText(request->reason(), kMaxReasonLength, "reason", v);
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    const auto covenant =
        covenants::GetVisibleCovenant(covenants_, call.deadline, call.principal, key.covenant_id,
                                      covenants::CovenantName(key.covenant_id));
    covenants::RequireManager(call.principal, covenant);
    *response = reports_.Review(
        call.deadline, call.audit, key.covenant_id, key.report_id, request->version(),
        request->reason(), [&](const std::vector<v1::Report>& versions) {
          const auto& newest = versions.back();
          if (request->version() > newest.version()) {
            throw Error::NotFound(request->name() + " version " +
                                  std::to_string(request->version()));
          }
          if (request->version() != newest.version()) {
            throw Error::FailedPrecondition(
                "VERSION_SUPERSEDED", "version " + std::to_string(request->version()) +
                                          " is superseded by version " +
                                          std::to_string(newest.version()) + ": review that one");
          }
          return ReviewedState(newest.state(), decision);
        });
  });
}

}  // namespace regie::reports
