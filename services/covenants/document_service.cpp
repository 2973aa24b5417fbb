#include "document_service.hpp"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "names.hpp"
#include "request.hpp"

namespace regie::covenants {
namespace {

constexpr char kDocuments[] = "documents";
// Revisions of one document: a few over a covenant's life; this bounds a hostile history.
constexpr int kMaxRevisions = 1000;

bool IsDocumentId(std::string_view id) { return IsCovenantId(id); }

void ValidateDocument(const v1::Document& d, Validation& v) {
  if (d.kind() == v1::Document::KIND_UNSPECIFIED) {
    v.Add("document.kind",
          "must be BASE_AGREEMENT, LOT_AGREEMENT, CLARIFICATION_NOTE, PROCESS_AGREEMENT or OTHER");
  }
  if (const auto problem = CheckText(d.title(), 200); !problem.empty()) {
    v.Add("document.title", problem);
  }
  if (!IsSha256Hex(d.sha256())) {
    v.Add("document.sha256", "must be the SHA-256 of the content in 64 lowercase hex digits");
  }
  if (d.size_bytes() <= 0) {
    v.Add("document.size_bytes", "must be the positive size of the content in bytes");
  }
  if (const auto problem = CheckText(d.media_type(), 100); !problem.empty()) {
    v.Add("document.media_type", problem);
  }
  if (!d.uri().empty() && (d.uri().rfind("https://", 0) != 0 || d.uri().size() > 2000 ||
                           !CheckText(d.uri(), 2000).empty())) {
    v.Add("document.uri", "must be an https:// address of at most 2000 characters, or empty");
  }
}

void ToProto(const DocumentRecord& d, v1::Document* out) {
  out->set_name(CovenantChildName(d.covenant_id, kDocuments, d.document_id));
  v1::Document::Kind kind = v1::Document::KIND_UNSPECIFIED;
  v1::Document::Kind_Parse(d.kind, &kind);
  out->set_kind(kind);
  out->set_title(d.title);
  out->set_revision(d.revision);
  out->set_sha256(d.sha256);
  out->set_size_bytes(d.size_bytes);
  out->set_media_type(d.media_type);
  out->set_uri(d.uri);
  out->set_recorded_by(d.recorded_by);
  *out->mutable_record_time() =
      google::protobuf::util::TimeUtil::MicrosecondsToTimestamp(d.recorded_at_us);
}

}  // namespace

DocumentService::DocumentService(const rpc::RpcBoundary& boundary, CovenantStore& covenants,
                                 DocumentStore& documents)
    : boundary_(boundary), covenants_(covenants), documents_(documents) {}

grpc::Status DocumentService::RecordDocument(grpc::ServerContext* context,
                                             const v1::RecordDocumentRequest* request,
                                             v1::Document* response) {
  return boundary_.Run(context, *request, request->request_id(), [&](const rpc::Call& call) {
    Validation v;
    const auto covenant_id = ParseCovenantName(request->parent(), v, "parent");
    if (!IsDocumentId(request->document_id())) {
      v.Add("document_id", "must be 1-63 characters of a-z, 0-9 and '-', starting with a letter");
    }
    const auto& d = request->document();
    ValidateDocument(d, v);
    CheckRequestId(request->request_id(), v);
    v.ThrowIfAny();
    const auto covenant = GetVisibleCovenant(covenants_, call.deadline, call.principal, covenant_id,
                                             request->parent());
    RequireManager(call.principal, covenant);
    DocumentRecord record;
    record.covenant_id = covenant_id;
    record.document_id = request->document_id();
    record.kind = v1::Document::Kind_Name(d.kind());
    record.title = d.title();
    record.sha256 = d.sha256();
    record.size_bytes = d.size_bytes();
    record.media_type = d.media_type();
    record.uri = d.uri();
    ToProto(documents_.Record(call.deadline, call.audit, record), response);
  });
}

grpc::Status DocumentService::GetDocument(grpc::ServerContext* context,
                                          const v1::GetDocumentRequest* request,
                                          v1::Document* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto [covenant_id, document_id] =
        ParseCovenantChild(request->name(), kDocuments, v, "name", IsDocumentId);
    if (request->revision() < 0) {
      v.Add("revision", "must be a revision number, or 0 for the newest");
    }
    v.ThrowIfAny();
    GetVisibleCovenant(covenants_, call.deadline, call.principal, covenant_id,
                       CovenantName(covenant_id));
    const auto revisions = documents_.List(call.deadline, covenant_id, document_id,
                                           request->revision() == 0, "", kMaxRevisions);
    const auto found = std::find_if(revisions.begin(), revisions.end(), [&](const auto& d) {
      return request->revision() == 0 || d.revision == request->revision();
    });
    if (found == revisions.end()) {
      throw Error::NotFound(request->name() +
                            (request->revision() == 0
                                 ? std::string()
                                 : " revision " + std::to_string(request->revision())));
    }
    ToProto(*found, response);
  });
}

grpc::Status DocumentService::ListDocuments(grpc::ServerContext* context,
                                            const v1::ListDocumentsRequest* request,
                                            v1::ListDocumentsResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto covenant_id = ParseCovenantName(request->parent(), v, "parent");
    const int page_size = PageSize(request->page_size(), 100, 500, v);
    const auto after = DecodePageToken(kDocuments, request->page_token(), v);
    v.ThrowIfAny();
    GetVisibleCovenant(covenants_, call.deadline, call.principal, covenant_id, request->parent());
    auto documents = documents_.List(call.deadline, covenant_id, "", true, after, page_size + 1);
    response->set_next_page_token(
        TakePage(documents, page_size, kDocuments, [](const auto& d) { return d.document_id; }));
    for (const auto& d : documents) {
      ToProto(d, response->add_documents());
    }
  });
}

grpc::Status DocumentService::ListDocumentRevisions(grpc::ServerContext* context,
                                                    const v1::ListDocumentRevisionsRequest* request,
                                                    v1::ListDocumentRevisionsResponse* response) {
  return boundary_.Run(context, *request, "", [&](const rpc::Call& call) {
    Validation v;
    const auto [covenant_id, document_id] =
        ParseCovenantChild(request->name(), kDocuments, v, "name", IsDocumentId);
    v.ThrowIfAny();
    GetVisibleCovenant(covenants_, call.deadline, call.principal, covenant_id,
                       CovenantName(covenant_id));
    const auto revisions =
        documents_.List(call.deadline, covenant_id, document_id, false, "", kMaxRevisions);
    if (revisions.empty()) {
      throw Error::NotFound(request->name());
    }
    for (const auto& d : revisions) {
      ToProto(d, response->add_revisions());
    }
  });
}

}  // namespace regie::covenants
