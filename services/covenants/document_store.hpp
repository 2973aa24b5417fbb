#pragma once

// What the document service needs from storage: a covenant's documents, revision by revision.
// PgDocumentStore is the PostgreSQL implementation.

#include <cstdint>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "db/pool.hpp"

namespace regie::covenants {

struct DocumentRecord {
  std::string covenant_id;
  std::string document_id;
  int revision = 0;
  std::string kind;  // Document.Kind value name
  std::string title;
  std::string sha256;  // lowercase hex
  std::int64_t size_bytes = 0;
  std::string media_type;
  std::string uri;
  std::string recorded_by;
  std::int64_t recorded_at_us = 0;
};

class DocumentStore {
 public:
  virtual ~DocumentStore() = default;
  // Appends the next revision of `document` (revision and who/when are set here), audited.
  // FAILED_PRECONDITION (DOCUMENT_UNCHANGED) when the hash equals the newest revision's;
  // INVALID_ARGUMENT on document.kind when it differs from the document's.
  virtual DocumentRecord Record(db::Clock::time_point deadline, const audit::AuditContext& audit,
                                const DocumentRecord& document) = 0;
  // Revisions ordered by document id and revision: of `document_id` only when not empty, the
  // newest of each document only when `newest_only`, of documents after `after_id`.
  virtual std::vector<DocumentRecord> List(db::Clock::time_point deadline,
                                           const std::string& covenant_id,
                                           const std::string& document_id, bool newest_only,
                                           const std::string& after_id, int limit) = 0;
};

class PgDocumentStore : public DocumentStore {
 public:
  explicit PgDocumentStore(db::ConnectionPool& pool) : pool_(pool) {}
  DocumentRecord Record(db::Clock::time_point deadline, const audit::AuditContext& audit,
                        const DocumentRecord& document) override;
  std::vector<DocumentRecord> List(db::Clock::time_point deadline, const std::string& covenant_id,
                                   const std::string& document_id, bool newest_only,
                                   const std::string& after_id, int limit) override;

 private:
  db::ConnectionPool& pool_;
};

}  // namespace regie::covenants
