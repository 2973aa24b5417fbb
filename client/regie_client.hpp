#pragma once

// The typed client library: one mutual-TLS channel to a Regie server and a method per RPC. Used by
// the `regie` tool and by the end-to-end tests; providers can build their own integrations on it.

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/status.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "profile.hpp"
#include "regie/audit/v1/audit.grpc.pb.h"
#include "regie/covenants/v1/consultation.grpc.pb.h"
#include "regie/covenants/v1/covenants.grpc.pb.h"
#include "regie/covenants/v1/documents.grpc.pb.h"
#include "regie/covenants/v1/questions.grpc.pb.h"
#include "regie/covenants/v1/reference.grpc.pb.h"
#include "regie/identity/v1/identity.grpc.pb.h"
#include "regie/outcomes/v1/agreements.grpc.pb.h"
#include "regie/outcomes/v1/indicators.grpc.pb.h"
#include "regie/outcomes/v1/settlements.grpc.pb.h"
#include "regie/providers/v1/admission.grpc.pb.h"
#include "regie/providers/v1/participations.grpc.pb.h"
#include "regie/providers/v1/providers.grpc.pb.h"
#include "regie/reports/v1/exports.grpc.pb.h"
#include "regie/reports/v1/queries.grpc.pb.h"
#include "regie/reports/v1/reports.grpc.pb.h"
#include "retry_policy.hpp"

namespace regie::client {

// A call that did not return OK, with the server's details decoded.
class RpcError : public std::runtime_error {
 public:
  explicit RpcError(const grpc::Status& status);
  grpc::StatusCode code() const { return status_.error_code(); }
  const grpc::Status& status() const { return status_; }
  const std::string& reason() const { return reason_; }  // ErrorInfo reason, if any
  // BadRequest field violations as "field: description".
  const std::vector<std::string>& violations() const { return violations_; }

 private:
  grpc::Status status_;
  std::string reason_;
  std::vector<std::string> violations_;
};

// One line for a person: "INVALID_ARGUMENT: reason: is required [INVALID_ARGUMENT]".
std::string Describe(const RpcError& error);
const char* StatusCodeName(grpc::StatusCode code);

// A mutual-TLS channel for `profile` (reads its certificate files; throws ConfigError).
std::shared_ptr<grpc::Channel> OpenChannel(const Profile& profile);

// Where the services are: one channel for everything, or a channel per service area that a
// deployment serves at an address of its own (Profile::areas, docs/scaling.md).
struct Channels {
  std::shared_ptr<grpc::Channel> main;  // identity, audit, and every area not in `areas`
  std::map<std::string, std::shared_ptr<grpc::Channel>> areas{};  // "reports" -> its channel

  // The channel of a proto package or a service's full name: "regie.reports.v1" and
  // "regie.reports.v1.ReportService" are the reports area's.
  const std::shared_ptr<grpc::Channel>& For(std::string_view package_or_service) const;
};

// A channel to `profile.address` and one to each of `profile.areas`.
Channels OpenChannels(const Profile& profile);

// A date flag into `date`: a calendar date ("2027-01-31"), "today", or a number of days from today
// on this computer ("90d", "+90d") or before it ("-30d"). Throws ConfigError naming `flag`
// otherwise.
void ParseDateFlag(const std::string& text, const std::string& flag, google::type::Date* date);

// A number of days flag ("90d" or "90", 0 to 9999); throws ConfigError naming `flag` otherwise.
int ParseDaysFlag(const std::string& text, const std::string& flag);

// Every call gets `timeout` per attempt; reads and writes idempotent on their request id are
// retried after transient failures under `retry` (retry_policy.hpp).
class RegieClient {
 public:
  explicit RegieClient(std::shared_ptr<grpc::Channel> channel,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10),
                       RetryPolicy retry = {});
  explicit RegieClient(Channels channels,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10),
                       RetryPolicy retry = {});

  // grpc.health.v1 status of `service` ("" for the whole server): "SERVING", "NOT_SERVING", ...
  // Asked once, never retried: it reports the state now.
  std::string Health(const std::string& service = "");

  struct HealthCheck {
    std::string status;                  // SERVING, NOT_SERVING, ...
    std::string server_certificate_pem;  // the certificate the server presented
  };
  // Health() together with the server's certificate, read off the TLS session.
  HealthCheck CheckHealth(const std::string& service = "");

  identity::v1::WhoAmIResponse WhoAmI();
  identity::v1::RevokedCertificate RevokeCertificate(const std::string& serial,
                                                     const std::string& reason,
                                                     const std::string& request_id);
  std::vector<identity::v1::RevokedCertificate> ListRevokedCertificates();

  covenants::v1::Municipality CreateMunicipality(const std::string& code,
                                                 const std::string& display_name,
                                                 const std::string& request_id);
  // `name` is "municipalities/{code}".
  covenants::v1::Municipality GetMunicipality(const std::string& name);
  std::vector<covenants::v1::Municipality> ListMunicipalities();
  covenants::v1::Region CreateRegion(const covenants::v1::Region& region,
                                     const std::string& request_id);
  // `name` is "regions/{region}".
  covenants::v1::Region GetRegion(const std::string& name);
  // Every region, or those `municipality` ("municipalities/{code}") belongs to.
  std::vector<covenants::v1::Region> ListRegions(const std::string& municipality = "");

  covenants::v1::Covenant CreateCovenant(const covenants::v1::CreateCovenantRequest& request);
  // `as_of`: an ISO date, or "" for today.
  covenants::v1::Covenant GetCovenant(const std::string& name, const std::string& as_of = "");
  // Every covenant the caller may see that matches `filter` (its page fields are ignored).
  std::vector<covenants::v1::Covenant> ListCovenants(
      const covenants::v1::ListCovenantsRequest& filter = {});
  covenants::v1::Covenant UpdateCovenant(const covenants::v1::Covenant& covenant,
                                         const std::vector<std::string>& paths,
                                         const std::string& request_id);
  std::vector<covenants::v1::CovenantVersion> ListCovenantVersions(const std::string& name);
  std::vector<covenants::v1::FieldChange> DiffCovenantVersions(const std::string& name,
                                                               int from_version, int to_version);
  std::vector<covenants::v1::Deadline> ListDeadlines(
      const covenants::v1::ListDeadlinesRequest& request);
  covenants::v1::Covenant ExtendCovenant(const std::string& name, const std::string& request_id);
  // `effective_date`: an ISO date, or "" for today.
  covenants::v1::Covenant TerminateCovenant(const std::string& name, const std::string& reason,
                                            const std::string& effective_date,
                                            const std::string& request_id);
  covenants::v1::Covenant PublishCovenant(const std::string& name, const std::string& etag,
                                          const std::string& request_id);

  covenants::v1::Question AskQuestion(const std::string& covenant, const std::string& text,
                                      const std::string& request_id);
  covenants::v1::Question AnswerQuestion(const std::string& question, const std::string& answer,
                                         const std::string& request_id);
  std::vector<covenants::v1::Question> ListQuestions(const std::string& covenant);

  // Any unary RPC of the services above, for calls without a method of their own:
  //   client.Unary(&covenants::v1::CovenantService::Stub::GetLot, request)
  // Retried when the RPC is safe to repeat (retry_policy.hpp); throws RpcError unless a call
  // returns OK.
  template <class Stub, class Request, class Response>
  Response Unary(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                 const Request& request) {
    Response response;
    Retrying(*channels_.For(Request::descriptor()->file()->package()), SafeToRetry(request),
             [&](grpc::ClientContext& context) {
               response.Clear();
               return (StubFor(static_cast<Stub*>(nullptr)).*method)(&context, request, &response);
             });
    return response;
  }

  // UploadReport: the header (content without lines, signature, request id), then the lines,
  // `lines_per_message` a message, calling `progress(sent, total)` after each message. A retry
  // sends the whole stream again, with the same request id. Throws RpcError.
  static constexpr int kUploadLinesPerMessage = 500;
  reports::v1::Report UploadReport(const reports::v1::SubmitReportRequest& request,
                                   const std::function<void(int sent, int total)>& progress = {},
                                   int lines_per_message = kUploadLinesPerMessage);

  audit::v1::LogState GetAuditLogState();
  // Every sealed entry from `start_seq` in log order, a page at a time, following page tokens.
  void ForEachAuditEntry(std::int64_t start_seq,
                         const std::function<void(const audit::v1::Entry&)>& visit);
  std::vector<audit::v1::Checkpoint> ListAuditCheckpoints();
  std::vector<audit::v1::SigningKey> ListAuditSigningKeys();

 private:
  void Prepare(grpc::ClientContext& context) const;
  // Makes `attempt` (a call on `channel`) with a fresh context until it returns OK, again after
  // transient failures when `safe_to_retry` and the policy allow; throws RpcError with the last
  // failure.
  void Retrying(grpc::Channel& channel, bool safe_to_retry,
                const std::function<grpc::Status(grpc::ClientContext&)>& attempt) const;
  // The stub of a service, chosen by the (null) pointer's type, for Unary.
  identity::v1::IdentityService::Stub& StubFor(identity::v1::IdentityService::Stub*) {
    return *identity_;
  }
  audit::v1::AuditService::Stub& StubFor(audit::v1::AuditService::Stub*) { return *audit_; }
  covenants::v1::ReferenceDataService::Stub& StubFor(covenants::v1::ReferenceDataService::Stub*) {
    return *reference_;
  }
  covenants::v1::CovenantService::Stub& StubFor(covenants::v1::CovenantService::Stub*) {
    return *covenants_;
  }
  covenants::v1::QuestionService::Stub& StubFor(covenants::v1::QuestionService::Stub*) {
    return *questions_;
  }
  covenants::v1::ConsultationService::Stub& StubFor(covenants::v1::ConsultationService::Stub*) {
    return *consultation_;
  }
  covenants::v1::DocumentService::Stub& StubFor(covenants::v1::DocumentService::Stub*) {
    return *documents_;
  }
  providers::v1::ProviderService::Stub& StubFor(providers::v1::ProviderService::Stub*) {
    return *providers_;
  }
  providers::v1::AdmissionService::Stub& StubFor(providers::v1::AdmissionService::Stub*) {
    return *admission_;
  }
  providers::v1::ParticipationService::Stub& StubFor(providers::v1::ParticipationService::Stub*) {
    return *participations_;
  }
  outcomes::v1::IndicatorService::Stub& StubFor(outcomes::v1::IndicatorService::Stub*) {
    return *indicators_;
  }
  outcomes::v1::AgreementService::Stub& StubFor(outcomes::v1::AgreementService::Stub*) {
    return *agreements_;
  }
  outcomes::v1::SettlementService::Stub& StubFor(outcomes::v1::SettlementService::Stub*) {
    return *settlements_;
  }
  reports::v1::ReportService::Stub& StubFor(reports::v1::ReportService::Stub*) { return *reports_; }
  reports::v1::QueryService::Stub& StubFor(reports::v1::QueryService::Stub*) { return *queries_; }
  reports::v1::ExportService::Stub& StubFor(reports::v1::ExportService::Stub*) { return *exports_; }
  // Calls `method` page after page until the server returns no next_page_token, handing each
  // response to `take`.
  template <class Stub, class Request, class Response, class Take>
  void FollowPages(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                   Request request, Take take) {
    do {
      const auto response = Unary(method, request);
      take(response);
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
  }

  Channels channels_;
  std::chrono::milliseconds timeout_;
  RetryPolicy retry_;
  std::unique_ptr<identity::v1::IdentityService::Stub> identity_;
  std::unique_ptr<audit::v1::AuditService::Stub> audit_;
  std::unique_ptr<covenants::v1::ReferenceDataService::Stub> reference_;
  std::unique_ptr<covenants::v1::CovenantService::Stub> covenants_;
  std::unique_ptr<covenants::v1::QuestionService::Stub> questions_;
  std::unique_ptr<covenants::v1::ConsultationService::Stub> consultation_;
  std::unique_ptr<covenants::v1::DocumentService::Stub> documents_;
  std::unique_ptr<providers::v1::ProviderService::Stub> providers_;
  std::unique_ptr<providers::v1::AdmissionService::Stub> admission_;
  std::unique_ptr<providers::v1::ParticipationService::Stub> participations_;
  std::unique_ptr<outcomes::v1::IndicatorService::Stub> indicators_;
  std::unique_ptr<outcomes::v1::AgreementService::Stub> agreements_;
  std::unique_ptr<outcomes::v1::SettlementService::Stub> settlements_;
  std::unique_ptr<reports::v1::ReportService::Stub> reports_;
  std::unique_ptr<reports::v1::QueryService::Stub> queries_;
  std::unique_ptr<reports::v1::ExportService::Stub> exports_;
};

}  // namespace regie::client
