#include <nlohmann/json.hpp>

#include "db/unit_of_work.hpp"
#include "identity_store.hpp"

namespace regie::identity {
namespace {

RevokedCertificateRecord ReadRevocation(const pqxx::row& row) {
  return {row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::int64_t>(),
          row[3].as<std::string>()};
}

}  // namespace

RevokedCertificateRecord PgIdentityStore::Revoke(db::Clock::time_point deadline,
                                                 const audit::AuditContext& audit,
                                                 const RevokeInput& input) {
  RevokedCertificateRecord record;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    const auto inserted = tx.exec_prepared("auth/insert_revoked_certificate", input.serial,
                                           input.reason, audit.actor_subject);
    if (inserted.empty()) {  // already revoked: answer with the first revocation
      record = ReadRevocation(tx.exec_prepared1("auth/get_revoked_certificate", input.serial));
      return;
    }
    record = ReadRevocation(inserted[0]);
    const nlohmann::json change = {{"serial", record.serial}, {"reason", record.reason}};
    audit::AppendEvent(tx, audit, "revokedCertificates/" + record.serial, change.dump());
  });
  return record;
}

RevocationPage PgIdentityStore::ListRevoked(db::Clock::time_point deadline, int page_size,
                                            const std::optional<RevocationCursor>& after) {
  RevocationPage page;
  db::RunTransaction(pool_, deadline, {.read_only = true}, [&](db::Work& tx) {
    page = RevocationPage{};
    std::optional<std::int64_t> after_time;
    std::string after_serial;
    if (after) {
      after_time = after->revoked_at_us;
      after_serial = after->serial;
    }
    // One row more than asked tells whether there is a next page.
    const auto rows =
        tx.exec_prepared("auth/list_revoked_certificates", after_time, after_serial, page_size + 1);
    for (const auto& row : rows) {
      if (static_cast<int>(page.items.size()) == page_size) {
        const auto& last = page.items.back();
        page.next = RevocationCursor{last.revoked_at_us, last.serial};
        break;
      }
      page.items.push_back(ReadRevocation(row));
    }
  });
  return page;
}

std::set<std::string> PgIdentityStore::RevokedSerials(db::Clock::time_point deadline) {
  std::set<std::string> serials;
  db::RunTransaction(pool_, deadline, {.read_only = true}, [&](db::Work& tx) {
    serials.clear();
    for (const auto& row : tx.exec_prepared("auth/list_revoked_serials")) {
      serials.insert(row[0].as<std::string>());
    }
  });
  return serials;
}

}  // namespace regie::identity
