#include <nlohmann/json.hpp>

#include "covenant_rules.hpp"
#include "db/unit_of_work.hpp"
#include "document_store.hpp"
#include "error.hpp"

namespace regie::covenants {
namespace {

// Columns of list_document_revisions.sql.
DocumentRecord ReadDocument(const pqxx::row& row) {
  DocumentRecord r;
  r.covenant_id = row[0].as<std::string>();
  r.document_id = row[1].as<std::string>();
  r.revision = row[2].as<int>();
  r.kind = row[3].as<std::string>();
  r.title = row[4].as<std::string>();
  r.sha256 = row[5].as<std::string>();
  r.size_bytes = row[6].as<std::int64_t>();
  r.media_type = row[7].as<std::string>();
  r.uri = row[8].as<std::string>();
  r.recorded_by = row[9].as<std::string>();
  r.recorded_at_us = row[10].as<std::int64_t>();
  return r;
}

std::vector<DocumentRecord> Select(db::Work& tx, const std::string& covenant_id,
                                   const std::string& document_id, bool newest_only,
                                   const std::string& after_id, int limit) {
  std::vector<DocumentRecord> records;
  for (const auto& row : tx.exec_prepared("covenants/list_document_revisions", covenant_id,
                                          document_id, newest_only, after_id, limit)) {
    records.push_back(ReadDocument(row));
  }
  return records;
}

}  // namespace

DocumentRecord PgDocumentStore::Record(db::Clock::time_point deadline,
                                       const audit::AuditContext& audit, const DocumentRecord& d) {
  DocumentRecord record;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    if (tx.exec_prepared("covenants/lock_covenant", d.covenant_id).empty()) {
      throw Error::NotFound(CovenantName(d.covenant_id));
    }
    const auto name = CovenantChildName(d.covenant_id, "documents", d.document_id);
    const auto newest = Select(tx, d.covenant_id, d.document_id, true, "", 1);
    if (!newest.empty() && newest[0].sha256 == d.sha256) {
      throw Error::FailedPrecondition(
          "DOCUMENT_UNCHANGED",
          name + " revision " + std::to_string(newest[0].revision) + " has this content already");
    }
    if (!newest.empty() && newest[0].kind != d.kind) {
      Validation v;
      v.Add("document.kind", "cannot change: " + name + " is a " + newest[0].kind);
      v.ThrowIfAny();
    }
    const int revision = tx.exec_prepared1("covenants/insert_document_revision", d.covenant_id,
                                           d.document_id, d.kind, d.title, d.sha256, d.size_bytes,
                                           d.media_type, d.uri, audit.actor_subject)[0]
                             .as<int>();
    record = Select(tx, d.covenant_id, d.document_id, true, "", 1).at(0);
    audit::AppendEvent(tx, audit, name,
                       nlohmann::json{{"revision", revision},
                                      {"kind", d.kind},
                                      {"title", d.title},
                                      {"sha256", d.sha256},
                                      {"size_bytes", d.size_bytes},
                                      {"media_type", d.media_type},
                                      {"uri", d.uri}}
                           .dump());
  });
  return record;
}

std::vector<DocumentRecord> PgDocumentStore::List(db::Clock::time_point deadline,
                                                  const std::string& covenant_id,
                                                  const std::string& document_id, bool newest_only,
                                                  const std::string& after_id, int limit) {
  std::vector<DocumentRecord> records;
  db::RunTransaction(pool_, deadline, {.read_only = true}, [&](db::Work& tx) {
    records = Select(tx, covenant_id, document_id, newest_only, after_id, limit);
  });
  return records;
}

}  // namespace regie::covenants
