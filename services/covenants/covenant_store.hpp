#pragma once

// What the covenant service needs from storage (docs/adr/0005); PgCovenantStore is the
// PostgreSQL one.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "covenant_rules.hpp"
#include "db/pool.hpp"
#include "db/unit_of_work.hpp"
#include "deadlines.hpp"

namespace regie::covenants {

struct CovenantRecord {
  std::string covenant_id;
  CovenantState state = CovenantState::kDraft;
  std::string owner_municipality;  // one of these two is set
  std::string owner_region;
  std::int64_t etag = 0;
  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;
  std::int64_t published_at_us = 0;  // 0 while a draft
  Participants participants;
  int version = 0;
  std::string effective_from;  // ISO date
  std::string terms_json;
  int extensions_used = 0;
  std::string terminated_on;  // ISO date; empty unless terminated
  std::string termination_reason;
  std::string terminated_by;  // certificate subject
};

struct NewCovenant {
  std::string covenant_id;
  std::string owner_municipality;
  std::string owner_region;
  TermsRow terms;
};

// Empty strings mean "any".
struct CovenantFilter {
  std::string state;
  std::string municipality;
  std::string legal_basis;
};

// What a change does, as decided by the rules from the current covenant. Start from
// CovenantChange::From(current) and set what changes.
struct CovenantChange {
  CovenantState new_state = CovenantState::kDraft;
  std::optional<TermsRow> new_draft_terms;  // replaces version 1; drafts only
  bool publish = false;
  int extensions_used = 0;
  std::string terminated_on;  // set together with a termination reason and who
  std::string termination_reason;
  std::string terminated_by;
  std::string audit_change_json;  // what the audit event records as changed

  // An adopted amendment: the next version of the terms, in force from `effective_from`, and
  // the amendment (PROPOSED until now) that the meeting adopted.
  struct Adoption {
    std::string effective_from;  // ISO date
    TermsRow terms;
    int amendment_id = 0;
    int meeting_id = 0;
  };
  std::optional<Adoption> adoption;

  // No change yet: the current state and lifecycle record.
  static CovenantChange From(const CovenantRecord& current);
};

struct VersionRecord {
  int version = 0;
  std::string effective_from;  // ISO date
  std::int64_t recorded_at_us = 0;
  int amendment_id = 0;  // 0 for version 1
  int meeting_id = 0;
  std::string rationale;
};

class CovenantStore {
 public:
  virtual ~CovenantStore() = default;

  // Stores a draft and its version 1, audited. Throws ALREADY_EXISTS when the id is taken, and
  // INVALID_ARGUMENT naming each municipality that is unknown or outside the region.
  virtual CovenantRecord Create(db::Clock::time_point deadline, const audit::AuditContext& audit,
                                const NewCovenant& covenant) = 0;

  // The covenant with the terms in force on `as_of` (ISO date; "" for today).
  virtual std::optional<CovenantRecord> Get(db::Clock::time_point deadline,
                                            const std::string& covenant_id,
                                            const std::string& as_of) = 0;

  // Covenants after `after_id` with their newest terms: published ones, and drafts of
  // `draft_visibility`'s municipalities or region; filtered; at most `limit`.
  virtual std::vector<CovenantRecord> List(db::Clock::time_point deadline,
                                           const Participants& draft_visibility,
                                           const CovenantFilter& filter,
                                           const std::string& after_id, int limit) = 0;

  // Today's date in the Netherlands (ISO), by the database's clock.
  virtual std::string Today(db::Clock::time_point deadline) = 0;

  // Every version of the terms, oldest first.
  virtual std::vector<VersionRecord> ListVersions(db::Clock::time_point deadline,
                                                  const std::string& covenant_id) = 0;

  // The terms (JSON) of one version, if it exists.
  virtual std::optional<std::string> GetVersionTerms(db::Clock::time_point deadline,
                                                     const std::string& covenant_id,
                                                     int version) = 0;

  // Locks the covenant, reads it with its newest terms, asks `decide` what to do (it throws to
  // refuse), applies the change with an audit event and returns the result. NOT_FOUND when absent.
  // An adoption appends the next version and marks the amendment adopted; FAILED_PRECONDITION
  // (AMENDMENT_STATE) when the amendment is no longer PROPOSED.
  virtual CovenantRecord Change(
      db::Clock::time_point deadline, const audit::AuditContext& audit,
      const std::string& covenant_id,
      const std::function<CovenantChange(const CovenantRecord& current)>& decide) = 0;
};

// Refuses a caller who may not see the covenant as if it did not exist (drafts stay private),
// and one who may see but not manage it with PERMISSION_DENIED (NOT_A_COVENANT_MANAGER).
inline void RequireManager(const auth::Principal& principal, const CovenantRecord& covenant) {
  if (!CanSee(principal, covenant.state, covenant.participants)) {
    throw Error::NotFound(CovenantName(covenant.covenant_id));
  }
  if (!CanManage(principal, covenant.participants)) {
    throw Error::PermissionDenied(
        "NOT_A_COVENANT_MANAGER",
        "only procurement staff of a participating municipality or of the covenant's region may "
        "change " +
            CovenantName(covenant.covenant_id));
  }
}

// `record` when `principal` may see it, otherwise NOT_FOUND naming `name`: hidden drafts look
// exactly like absent ones.
inline CovenantRecord RequireVisible(std::optional<CovenantRecord> record,
                                     const auth::Principal& principal, const std::string& name) {
  if (!record || !CanSee(principal, record->state, record->participants)) {
    throw Error::NotFound(name);
  }
  return std::move(*record);
}

// The covenant with its terms in force on `as_of` (ISO date; "" for today), or NOT_FOUND (naming
// `name`) when it does not exist or `principal` may not see it (RequireVisible).
inline CovenantRecord GetVisibleCovenant(CovenantStore& store, db::Clock::time_point deadline,
                                         const auth::Principal& principal,
                                         const std::string& covenant_id, const std::string& name,
                                         const std::string& as_of = "") {
  return RequireVisible(store.Get(deadline, covenant_id, as_of), principal, name);
}

// Today in the Netherlands, by the database's clock, as a day to compute with.
inline std::chrono::sys_days TodayIn(CovenantStore& store, db::Clock::time_point deadline) {
  return ToDays(*ParseIsoDate(store.Today(deadline)));
}

// A covenant from the columns of get_covenant.sql, starting at column `first`: for an area that
// reads a covenant in the statement of its own reads (a report submission does).
CovenantRecord ReadCovenantRow(const pqxx::row& row, int first);

class PgCovenantStore : public CovenantStore {
 public:
  explicit PgCovenantStore(db::ConnectionPool& pool) : pool_(pool) {}

  CovenantRecord Create(db::Clock::time_point deadline, const audit::AuditContext& audit,
                        const NewCovenant& covenant) override;
  std::optional<CovenantRecord> Get(db::Clock::time_point deadline, const std::string& covenant_id,
                                    const std::string& as_of) override;
  std::vector<CovenantRecord> List(db::Clock::time_point deadline,
                                   const Participants& draft_visibility,
                                   const CovenantFilter& filter, const std::string& after_id,
                                   int limit) override;
  std::string Today(db::Clock::time_point deadline) override;
  std::vector<VersionRecord> ListVersions(db::Clock::time_point deadline,
                                          const std::string& covenant_id) override;
  std::optional<std::string> GetVersionTerms(db::Clock::time_point deadline,
                                             const std::string& covenant_id, int version) override;
  CovenantRecord Change(
      db::Clock::time_point deadline, const audit::AuditContext& audit,
      const std::string& covenant_id,
      const std::function<CovenantChange(const CovenantRecord& current)>& decide) override;

 private:
  db::ConnectionPool& pool_;
};

}  // namespace regie::covenants
