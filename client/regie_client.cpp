#include "regie_client.hpp"

#include <grpcpp/client_context.h>
#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <optional>
#include <random>
#include <string_view>
#include <thread>

#include "error.hpp"
#include "google/rpc/error_details.pb.h"
#include "google/rpc/status.pb.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace regie::client {

const char* StatusCodeName(grpc::StatusCode code) {
  // regie::ErrorCode has the canonical numbering of every non-OK code.
  return code == grpc::OK ? "OK" : ErrorCodeName(static_cast<ErrorCode>(code));
}

RpcError::RpcError(const grpc::Status& status)
    : std::runtime_error(status.error_message()), status_(status) {
  google::rpc::Status details;
  if (status.error_details().empty() || !details.ParseFromString(status.error_details())) {
    return;
  }
  for (const auto& any : details.details()) {
    google::rpc::ErrorInfo info;
    google::rpc::BadRequest bad_request;
    if (any.UnpackTo(&info)) {
      reason_ = info.reason();
    } else if (any.UnpackTo(&bad_request)) {
      for (const auto& v : bad_request.field_violations()) {
        violations_.push_back(v.field() + ": " + v.description());
      }
    }
  }
}

std::string Describe(const RpcError& error) {
  std::string line = StatusCodeName(error.code());
  line += ": ";
  if (!error.violations().empty()) {
    for (std::size_t i = 0; i < error.violations().size(); ++i) {
      line += (i == 0 ? "" : "; ") + error.violations()[i];
    }
  } else {
    line += error.what();
  }
  if (!error.reason().empty()) {
    line += " [" + error.reason() + "]";
  }
  return line;
}

std::shared_ptr<grpc::Channel> OpenChannel(const Profile& profile) {
  grpc::SslCredentialsOptions tls;
  tls.pem_root_certs = ReadTextFile(profile.ca, "CA certificate");
  tls.pem_cert_chain = ReadTextFile(profile.certificate, "client certificate");
  tls.pem_private_key = ReadTextFile(profile.key, "client key");
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(16 * 1024 * 1024);
  // Look for a restarted server at least every 2 s (gRPC's default backs off to 120 s), so that
  // retries find it soon after it is back.
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 2000);
  return grpc::CreateCustomChannel(profile.address, grpc::SslCredentials(tls), args);
}

const std::shared_ptr<grpc::Channel>& Channels::For(std::string_view package_or_service) const {
  // "regie.<area>.v1[.Service]"
  constexpr std::string_view kPrefix = "regie.";
  if (package_or_service.substr(0, kPrefix.size()) == kPrefix) {
    const auto rest = package_or_service.substr(kPrefix.size());
    const auto area = std::string(rest.substr(0, rest.find('.')));
    if (const auto it = areas.find(area); it != areas.end()) {
      return it->second;
    }
  }
  return main;
}

Channels OpenChannels(const Profile& profile) {
  Channels channels{OpenChannel(profile)};
  for (const auto& [area, address] : profile.areas) {
    auto at_area = profile;
    at_area.address = address;
    channels.areas[area] = OpenChannel(at_area);
  }
  return channels;
}

namespace {

// The stub of `Service` on the channel of its area.
template <class Service>
std::unique_ptr<typename Service::Stub> NewStubOf(const Channels& channels) {
  return Service::NewStub(channels.For(Service::service_full_name()));
}

}  // namespace

RegieClient::RegieClient(std::shared_ptr<grpc::Channel> channel, std::chrono::milliseconds timeout,
                         RetryPolicy retry)
    : RegieClient(Channels{std::move(channel)}, timeout, std::move(retry)) {}

RegieClient::RegieClient(Channels channels, std::chrono::milliseconds timeout, RetryPolicy retry)
    : channels_(std::move(channels)),
      timeout_(timeout),
      retry_(std::move(retry)),
      identity_(NewStubOf<identity::v1::IdentityService>(channels_)),
      audit_(NewStubOf<audit::v1::AuditService>(channels_)),
      reference_(NewStubOf<covenants::v1::ReferenceDataService>(channels_)),
      covenants_(NewStubOf<covenants::v1::CovenantService>(channels_)),
      questions_(NewStubOf<covenants::v1::QuestionService>(channels_)),
      consultation_(NewStubOf<covenants::v1::ConsultationService>(channels_)),
      documents_(NewStubOf<covenants::v1::DocumentService>(channels_)),
      providers_(NewStubOf<providers::v1::ProviderService>(channels_)),
      admission_(NewStubOf<providers::v1::AdmissionService>(channels_)),
      participations_(NewStubOf<providers::v1::ParticipationService>(channels_)),
      indicators_(NewStubOf<outcomes::v1::IndicatorService>(channels_)),
      agreements_(NewStubOf<outcomes::v1::AgreementService>(channels_)),
      settlements_(NewStubOf<outcomes::v1::SettlementService>(channels_)),
      reports_(NewStubOf<reports::v1::ReportService>(channels_)),
      queries_(NewStubOf<reports::v1::QueryService>(channels_)),
      exports_(NewStubOf<reports::v1::ExportService>(channels_)) {}

void RegieClient::Prepare(grpc::ClientContext& context) const {
  context.set_deadline(std::chrono::system_clock::now() + timeout_);
}

void RegieClient::Retrying(grpc::Channel& channel, bool safe_to_retry,
                           const std::function<grpc::Status(grpc::ClientContext&)>& attempt) const {
  thread_local std::mt19937 random{std::random_device{}()};
  for (int number = 1;; ++number) {
    grpc::ClientContext context;
    Prepare(context);
    // While a channel is in TRANSIENT_FAILURE gRPC fails calls at once, and with the synchronous
    // API nothing reconnects it unless something waits on it. A call that will not be retried
    // waits for the connection within its deadline (it is not sent before the connection is
    // ready, so waiting is safe for writes too); retries reconnect during their pauses.
    context.set_wait_for_ready(!safe_to_retry &&
                               channel.GetState(false) == GRPC_CHANNEL_TRANSIENT_FAILURE);
    const auto status = attempt(context);
    if (status.ok()) {
      return;
    }
    RpcError error(status);
    if (!safe_to_retry || number >= retry_.max_attempts ||
        !IsTransient(error.code(), error.reason())) {
      throw error;
    }
    const auto pause =
        PauseBefore(retry_, number + 1, std::uniform_real_distribution<double>(0.0, 1.0)(random));
    if (retry_.on_retry) {
      retry_.on_retry(error, number + 1, pause);
    }
    // The whole pause, also when the connection is back sooner (a draining server answers from
    // a live connection), during which the channel reconnects.
    const auto until = std::chrono::system_clock::now() + pause;
    channel.WaitForConnected(until);
    std::this_thread::sleep_until(until);
  }
}

reports::v1::Report RegieClient::UploadReport(
    const reports::v1::SubmitReportRequest& request,
    const std::function<void(int sent, int total)>& progress, int lines_per_message) {
  const auto* method = MethodTaking(*reports::v1::UploadReportRequest::descriptor());
  reports::v1::Report report;
  Retrying(*channels_.For(reports::v1::ReportService::service_full_name()),
           SafeToRetry(IdempotencyOf(*method), request.request_id()),
           [&](grpc::ClientContext& context) {
             report.Clear();
             auto writer = reports_->UploadReport(&context, &report);
             reports::v1::UploadReportRequest part;
             auto* header = part.mutable_header();
             *header->mutable_content() = request.content();
             header->mutable_content()->clear_lines();
             header->set_signature(request.signature());
             header->set_request_id(request.request_id());
             bool open = writer->Write(part);
             const int total = request.content().lines_size();
             for (int sent = 0; open && sent < total;) {
               part.Clear();
               auto* lines = part.mutable_lines()->mutable_lines();
               for (const int end = std::min(total, sent + std::max(1, lines_per_message));
                    sent < end; ++sent) {
                 *lines->Add() = request.content().lines(sent);
               }
               open = writer->Write(part);
               if (open && progress) {
                 progress(sent, total);
               }
             }
             // A refused stream stops accepting writes; Finish then carries the server's status.
             writer->WritesDone();
             return writer->Finish();
           });
  return report;
}

std::string RegieClient::Health(const std::string& service) { return CheckHealth(service).status; }

RegieClient::HealthCheck RegieClient::CheckHealth(const std::string& service) {
  auto stub = grpc::health::v1::Health::NewStub(channels_.For(service));
  grpc::ClientContext context;
  Prepare(context);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  if (const auto status = stub->Check(&context, request, &response); !status.ok()) {
    throw RpcError(status);
  }
  HealthCheck check{grpc::health::v1::HealthCheckResponse::ServingStatus_Name(response.status()),
                    ""};
  if (const auto auth = context.auth_context()) {
    // gRPC's TLS layer puts the peer's certificate under this property name.
    const auto pem = auth->FindPropertyValues("x509_pem_cert");
    if (!pem.empty()) {
      check.server_certificate_pem.assign(pem.front().data(), pem.front().size());
    }
  }
  return check;
}

identity::v1::WhoAmIResponse RegieClient::WhoAmI() {
  return Unary(&identity::v1::IdentityService::Stub::WhoAmI, identity::v1::WhoAmIRequest());
}

identity::v1::RevokedCertificate RegieClient::RevokeCertificate(const std::string& serial,
                                                                const std::string& reason,
                                                                const std::string& request_id) {
  identity::v1::RevokeCertificateRequest request;
  request.set_serial(serial);
  request.set_reason(reason);
  request.set_request_id(request_id);
  return Unary(&identity::v1::IdentityService::Stub::RevokeCertificate, request);
}

std::vector<identity::v1::RevokedCertificate> RegieClient::ListRevokedCertificates() {
  std::vector<identity::v1::RevokedCertificate> all;
  identity::v1::ListRevokedCertificatesRequest request;
  request.set_page_size(1000);
  FollowPages(&identity::v1::IdentityService::Stub::ListRevokedCertificates, request,
              [&](const auto& response) {
                all.insert(all.end(), response.revoked_certificates().begin(),
                           response.revoked_certificates().end());
              });
  return all;
}

covenants::v1::Municipality RegieClient::CreateMunicipality(const std::string& code,
                                                            const std::string& display_name,
                                                            const std::string& request_id) {
  covenants::v1::CreateMunicipalityRequest request;
  request.mutable_municipality()->set_code(code);
  request.mutable_municipality()->set_display_name(display_name);
  request.set_request_id(request_id);
  return Unary(&covenants::v1::ReferenceDataService::Stub::CreateMunicipality, request);
}

covenants::v1::Municipality RegieClient::GetMunicipality(const std::string& name) {
  covenants::v1::GetMunicipalityRequest request;
  request.set_name(name);
  return Unary(&covenants::v1::ReferenceDataService::Stub::GetMunicipality, request);
}

std::vector<covenants::v1::Municipality> RegieClient::ListMunicipalities() {
  std::vector<covenants::v1::Municipality> all;
  covenants::v1::ListMunicipalitiesRequest request;
  request.set_page_size(1000);
  FollowPages(&covenants::v1::ReferenceDataService::Stub::ListMunicipalities, request,
              [&](const auto& response) {
                all.insert(all.end(), response.municipalities().begin(),
                           response.municipalities().end());
              });
  return all;
}

covenants::v1::Region RegieClient::CreateRegion(const covenants::v1::Region& region,
                                                const std::string& request_id) {
  covenants::v1::CreateRegionRequest request;
  *request.mutable_region() = region;
  request.set_request_id(request_id);
  return Unary(&covenants::v1::ReferenceDataService::Stub::CreateRegion, request);
}

covenants::v1::Region RegieClient::GetRegion(const std::string& name) {
  covenants::v1::GetRegionRequest request;
  request.set_name(name);
  return Unary(&covenants::v1::ReferenceDataService::Stub::GetRegion, request);
}

std::vector<covenants::v1::Region> RegieClient::ListRegions(const std::string& municipality) {
  std::vector<covenants::v1::Region> all;
  covenants::v1::ListRegionsRequest request;
  request.set_page_size(1000);
  request.set_municipality(municipality);
  FollowPages(&covenants::v1::ReferenceDataService::Stub::ListRegions, request,
              [&](const auto& response) {
                all.insert(all.end(), response.regions().begin(), response.regions().end());
              });
  return all;
}

covenants::v1::Covenant RegieClient::CreateCovenant(
    const covenants::v1::CreateCovenantRequest& request) {
  return Unary(&covenants::v1::CovenantService::Stub::CreateCovenant, request);
}

namespace {

// "90d" or "90" (with `sign_allowed` also "+90d" and "-90d") into days; nullopt when it is not.
std::optional<int> DaysIn(std::string_view text, bool sign_allowed) {
  int sign = 1;
  if (sign_allowed && !text.empty() && (text[0] == '+' || text[0] == '-')) {
    sign = text[0] == '-' ? -1 : 1;
    text.remove_prefix(1);
  }
  if (!text.empty() && text.back() == 'd') {
    text.remove_suffix(1);
  }
  if (text.empty() || text.size() > 4 ||
      text.find_first_not_of("0123456789") != std::string_view::npos) {
    return std::nullopt;
  }
  return sign * std::stoi(std::string(text));
}

}  // namespace

void ParseDateFlag(const std::string& text, const std::string& flag, google::type::Date* date) {
  using namespace std::chrono;
  const auto refuse = [&] {
    return ConfigError(flag + " must be a date like 2027-01-31, today, or days from today like " +
                       "90d or -30d, not '" + text + "'");
  };
  year_month_day ymd{};
  const bool relative = text == "today" || (!text.empty() && text.back() == 'd');
  if (relative) {
    const auto days = text == "today" ? std::optional(0) : DaysIn(text, true);
    if (!days) {
      throw refuse();
    }
    const std::time_t now = system_clock::to_time_t(system_clock::now());
    std::tm local{};
    localtime_r(&now, &local);
    const auto today = sys_days(year(local.tm_year + 1900) / (local.tm_mon + 1) / local.tm_mday);
    ymd = year_month_day(today + std::chrono::days(*days));
  } else {
    int y = 0;
    unsigned m = 0;
    unsigned d = 0;
    char tail = 0;
    if (std::sscanf(text.c_str(), "%d-%u-%u%c", &y, &m, &d, &tail) != 3 ||
        !year_month_day(year(y), month(m), day(d)).ok()) {
      throw refuse();
    }
    ymd = year(y) / month(m) / day(d);
  }
  date->set_year(static_cast<int>(ymd.year()));
  date->set_month(static_cast<int>(static_cast<unsigned>(ymd.month())));
  date->set_day(static_cast<int>(static_cast<unsigned>(ymd.day())));
}

int ParseDaysFlag(const std::string& text, const std::string& flag) {
  const auto days = DaysIn(text, false);
  if (!days) {
    throw ConfigError(flag + " must be a number of days like 90d, not '" + text + "'");
  }
  return *days;
}

covenants::v1::Covenant RegieClient::GetCovenant(const std::string& name,
                                                 const std::string& as_of) {
  covenants::v1::GetCovenantRequest request;
  request.set_name(name);
  if (!as_of.empty()) {
    ParseDateFlag(as_of, "--as-of", request.mutable_as_of());
  }
  return Unary(&covenants::v1::CovenantService::Stub::GetCovenant, request);
}

std::vector<covenants::v1::Covenant> RegieClient::ListCovenants(
    const covenants::v1::ListCovenantsRequest& filter) {
  std::vector<covenants::v1::Covenant> all;
  auto request = filter;
  request.set_page_size(500);
  request.clear_page_token();
  FollowPages(&covenants::v1::CovenantService::Stub::ListCovenants, request,
              [&](const auto& response) {
                all.insert(all.end(), response.covenants().begin(), response.covenants().end());
              });
  return all;
}

covenants::v1::Covenant RegieClient::UpdateCovenant(const covenants::v1::Covenant& covenant,
                                                    const std::vector<std::string>& paths,
                                                    const std::string& request_id) {
  covenants::v1::UpdateCovenantRequest request;
  *request.mutable_covenant() = covenant;
  for (const auto& path : paths) {
    request.mutable_update_mask()->add_paths(path);
  }
  request.set_request_id(request_id);
  return Unary(&covenants::v1::CovenantService::Stub::UpdateCovenant, request);
}

std::vector<covenants::v1::CovenantVersion> RegieClient::ListCovenantVersions(
    const std::string& name) {
  covenants::v1::ListCovenantVersionsRequest request;
  request.set_name(name);
  const auto response = Unary(&covenants::v1::CovenantService::Stub::ListCovenantVersions, request);
  return {response.versions().begin(), response.versions().end()};
}

std::vector<covenants::v1::FieldChange> RegieClient::DiffCovenantVersions(const std::string& name,
                                                                          int from_version,
                                                                          int to_version) {
  covenants::v1::DiffCovenantVersionsRequest request;
  request.set_name(name);
  request.set_from_version(from_version);
  request.set_to_version(to_version);
  const auto response = Unary(&covenants::v1::CovenantService::Stub::DiffCovenantVersions, request);
  return {response.changes().begin(), response.changes().end()};
}

std::vector<covenants::v1::Deadline> RegieClient::ListDeadlines(
    const covenants::v1::ListDeadlinesRequest& request) {
  const auto response = Unary(&covenants::v1::CovenantService::Stub::ListDeadlines, request);
  return {response.deadlines().begin(), response.deadlines().end()};
}

covenants::v1::Covenant RegieClient::ExtendCovenant(const std::string& name,
                                                    const std::string& request_id) {
  covenants::v1::ExtendCovenantRequest request;
  request.set_name(name);
  request.set_request_id(request_id);
  return Unary(&covenants::v1::CovenantService::Stub::ExtendCovenant, request);
}

covenants::v1::Covenant RegieClient::TerminateCovenant(const std::string& name,
                                                       const std::string& reason,
                                                       const std::string& effective_date,
                                                       const std::string& request_id) {
  covenants::v1::TerminateCovenantRequest request;
  request.set_name(name);
  request.set_reason(reason);
  if (!effective_date.empty()) {
    ParseDateFlag(effective_date, "--from", request.mutable_effective_date());
  }
  request.set_request_id(request_id);
  return Unary(&covenants::v1::CovenantService::Stub::TerminateCovenant, request);
}

covenants::v1::Covenant RegieClient::PublishCovenant(const std::string& name,
                                                     const std::string& etag,
                                                     const std::string& request_id) {
  covenants::v1::PublishCovenantRequest request;
  request.set_name(name);
  request.set_etag(etag);
  request.set_request_id(request_id);
  return Unary(&covenants::v1::CovenantService::Stub::PublishCovenant, request);
}

covenants::v1::Question RegieClient::AskQuestion(const std::string& covenant,
                                                 const std::string& text,
                                                 const std::string& request_id) {
  covenants::v1::AskQuestionRequest request;
  request.set_parent(covenant);
  request.set_text(text);
  request.set_request_id(request_id);
  return Unary(&covenants::v1::QuestionService::Stub::AskQuestion, request);
}

covenants::v1::Question RegieClient::AnswerQuestion(const std::string& question,
                                                    const std::string& answer,
                                                    const std::string& request_id) {
  covenants::v1::AnswerQuestionRequest request;
  request.set_name(question);
  request.set_answer(answer);
  request.set_request_id(request_id);
  return Unary(&covenants::v1::QuestionService::Stub::AnswerQuestion, request);
}

std::vector<covenants::v1::Question> RegieClient::ListQuestions(const std::string& covenant) {
  std::vector<covenants::v1::Question> all;
  covenants::v1::ListQuestionsRequest request;
  request.set_parent(covenant);
  request.set_page_size(500);
  FollowPages(&covenants::v1::QuestionService::Stub::ListQuestions, request,
              [&](const auto& response) {
                all.insert(all.end(), response.questions().begin(), response.questions().end());
              });
  return all;
}

audit::v1::LogState RegieClient::GetAuditLogState() {
  return Unary(&audit::v1::AuditService::Stub::GetLogState, audit::v1::GetLogStateRequest());
}

void RegieClient::ForEachAuditEntry(std::int64_t start_seq,
                                    const std::function<void(const audit::v1::Entry&)>& visit) {
  audit::v1::ListEntriesRequest request;
  request.set_start_seq(start_seq);
  request.set_page_size(1000);
  FollowPages(&audit::v1::AuditService::Stub::ListEntries, request, [&](const auto& response) {
    for (const auto& entry : response.entries()) {
      visit(entry);
    }
  });
}

std::vector<audit::v1::Checkpoint> RegieClient::ListAuditCheckpoints() {
  std::vector<audit::v1::Checkpoint> all;
  audit::v1::ListCheckpointsRequest request;
  request.set_page_size(1000);
  FollowPages(&audit::v1::AuditService::Stub::ListCheckpoints, request, [&](const auto& response) {
    all.insert(all.end(), response.checkpoints().begin(), response.checkpoints().end());
  });
  return all;
}

std::vector<audit::v1::SigningKey> RegieClient::ListAuditSigningKeys() {
  const auto response =
      Unary(&audit::v1::AuditService::Stub::ListSigningKeys, audit::v1::ListSigningKeysRequest());
  return {response.signing_keys().begin(), response.signing_keys().end()};
}

}  // namespace regie::client
