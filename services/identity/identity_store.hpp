#pragma once

// What the identity service needs from storage. PgIdentityStore is the PostgreSQL implementation;
// unit tests may use a fake.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "db/pool.hpp"
#include "identity_rules.hpp"

namespace regie::identity {

struct RevokedCertificateRecord {
  std::string serial;
  std::string reason;
  std::int64_t revoked_at_us = 0;
  std::string revoked_by;
};

struct RevocationPage {
  std::vector<RevokedCertificateRecord> items;
  std::optional<RevocationCursor> next;
};

class IdentityStore {
 public:
  virtual ~IdentityStore() = default;

  // Stores the revocation unless the serial is already revoked, auditing it when new. Returns the
  // revocation as stored (the first one, for a repeated revocation).
  virtual RevokedCertificateRecord Revoke(db::Clock::time_point deadline,
                                          const audit::AuditContext& audit,
                                          const RevokeInput& input) = 0;

  virtual RevocationPage ListRevoked(db::Clock::time_point deadline, int page_size,
                                     const std::optional<RevocationCursor>& after) = 0;

  virtual std::set<std::string> RevokedSerials(db::Clock::time_point deadline) = 0;
};

class PgIdentityStore : public IdentityStore {
 public:
  explicit PgIdentityStore(db::ConnectionPool& pool) : pool_(pool) {}

  RevokedCertificateRecord Revoke(db::Clock::time_point deadline, const audit::AuditContext& audit,
                                  const RevokeInput& input) override;
  RevocationPage ListRevoked(db::Clock::time_point deadline, int page_size,
                             const std::optional<RevocationCursor>& after) override;
  std::set<std::string> RevokedSerials(db::Clock::time_point deadline) override;

 private:
  db::ConnectionPool& pool_;
};

}  // namespace regie::identity
