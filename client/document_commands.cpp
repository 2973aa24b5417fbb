// `regie document`: a covenant's documents, recorded by the SHA-256 of their content.

#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "command_support.hpp"
#include "crypto.hpp"

namespace regie::client {
namespace {

namespace v1 = covenants::v1;
using Stub = v1::DocumentService::Stub;

std::string DocumentName(const std::string& covenant, const std::string& document) {
  return AsName("covenants", covenant) + "/documents/" + document;
}

// "base-agreement" -> BASE_AGREEMENT.
v1::Document::Kind ParseKind(const std::string& text) {
  std::string name;
  for (char c : text) {
    name.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  v1::Document::Kind kind = v1::Document::KIND_UNSPECIFIED;
  if (!v1::Document::Kind_Parse(name, &kind) || kind == v1::Document::KIND_UNSPECIFIED) {
    throw ConfigError(
        "--kind must be base-agreement, lot-agreement, clarification-note, "
        "process-agreement or other, not '" +
        text + "'");
  }
  return kind;
}

void PrintDocument(const GlobalOptions& options, const v1::Document& d) {
  if (options.output == OutputFormat::kJson) {
    PrintMessageJson(d);
    return;
  }
  PrintFields({{"document", d.name()},
               {"kind", v1::Document::Kind_Name(d.kind())},
               {"title", d.title()},
               {"revision", std::to_string(d.revision())},
               {"sha256", d.sha256()},
               {"size", std::to_string(d.size_bytes()) + " bytes"},
               {"media type", d.media_type()},
               {"uri", d.uri().empty() ? "-" : d.uri()},
               {"recorded", d.recorded_by() + " at " +
                                google::protobuf::util::TimeUtil::ToString(d.record_time())}});
}

void PrintDocuments(const GlobalOptions& options, const std::vector<v1::Document>& documents) {
  if (options.output == OutputFormat::kJson) {
    PrintMessagesJson(documents);
    return;
  }
  std::vector<std::vector<std::string>> rows;
  for (const auto& d : documents) {
    rows.push_back({IdOf(d.name()), std::to_string(d.revision()), v1::Document::Kind_Name(d.kind()),
                    d.title(), d.sha256().substr(0, 12) + "...",
                    google::protobuf::util::TimeUtil::ToString(d.record_time())});
  }
  PrintTable({"DOCUMENT", "REVISION", "KIND", "TITLE", "SHA-256", "RECORDED"}, rows);
}

}  // namespace

int RunDocumentRecord(const GlobalOptions& options, const DocumentOptions& document) {
  return Guard([&] {
    std::ifstream in(document.file, std::ios::binary);
    if (!in) {
      throw ConfigError(document.file.string() + " cannot be read");
    }
    std::ostringstream content;
    content << in.rdbuf();
    v1::RecordDocumentRequest request;
    request.set_parent(AsName("covenants", document.covenant));
    request.set_document_id(document.document_id);
    auto* d = request.mutable_document();
    d->set_kind(ParseKind(document.kind));
    d->set_title(document.title);
    d->set_sha256(ToHex(Sha256(content.str())));
    d->set_size_bytes(static_cast<std::int64_t>(content.str().size()));
    d->set_media_type(document.media_type);
    d->set_uri(document.uri);
    request.set_request_id(NewRequestId());
    auto client = Connect(options);
    PrintDocument(options, client.Unary(&Stub::RecordDocument, request));
    return exit_code::kOk;
  });
}

int RunDocumentShow(const GlobalOptions& options, const std::string& covenant,
                    const std::string& document, int revision) {
  return Guard([&] {
    v1::GetDocumentRequest request;
    request.set_name(DocumentName(covenant, document));
    request.set_revision(revision);
    auto client = Connect(options);
    PrintDocument(options, client.Unary(&Stub::GetDocument, request));
    return exit_code::kOk;
  });
}

int RunDocumentList(const GlobalOptions& options, const std::string& covenant) {
  return Guard([&] {
    auto client = Connect(options);
    v1::ListDocumentsRequest request;
    request.set_parent(AsName("covenants", covenant));
    request.set_page_size(500);
    std::vector<v1::Document> documents;
    do {
      auto page = client.Unary(&Stub::ListDocuments, request);
      documents.insert(documents.end(), page.documents().begin(), page.documents().end());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    PrintDocuments(options, documents);
    return exit_code::kOk;
  });
}

int RunDocumentRevisions(const GlobalOptions& options, const std::string& covenant,
                         const std::string& document) {
  return Guard([&] {
    v1::ListDocumentRevisionsRequest request;
    request.set_name(DocumentName(covenant, document));
    auto client = Connect(options);
    const auto response = client.Unary(&Stub::ListDocumentRevisions, request);
    PrintDocuments(options, {response.revisions().begin(), response.revisions().end()});
    return exit_code::kOk;
  });
}

}  // namespace regie::client
