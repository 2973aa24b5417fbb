#pragma once

// What the providers area needs from storage: providers and their evidence, applications with
// their assessments, decisions and objections, and participations. The stores take and return the
// API messages (docs/adr/0007); the Pg* classes are the PostgreSQL implementations.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "db/pool.hpp"
#include "regie/providers/v1/admission.pb.h"
#include "regie/providers/v1/participations.pb.h"
#include "regie/providers/v1/providers.pb.h"

namespace regie::providers {

// Empty strings mean "any"; the list is ordered by (kvk, evidence id), or soonest expiry first
// when `expiring_before` (ISO date) is set. Newest revisions only.
struct EvidenceQuery {
  std::string kvk{};
  std::string evidence_id{};
  std::string after_kvk{};
  std::string after_id{};
  std::string expiring_before{};
  int limit = 100;
};

class ProviderStore {
 public:
  virtual ~ProviderStore() = default;
  // ALREADY_EXISTS when the KvK number is registered. Audited.
  virtual v1::Provider Register(db::Clock::time_point deadline, const audit::AuditContext& audit,
                                const v1::Provider& provider) = 0;
  // NOT_FOUND, or FAILED_PRECONDITION (ETAG_MISMATCH) when `etag` is not the current one. Audited.
  virtual v1::Provider Update(db::Clock::time_point deadline, const audit::AuditContext& audit,
                              const v1::Provider& provider, std::int64_t etag) = 0;
  // By KvK number: only `only_kvk` when not empty, after `after_kvk`, at most `limit`.
  virtual std::vector<v1::Provider> List(db::Clock::time_point deadline,
                                         const std::string& only_kvk, const std::string& after_kvk,
                                         int limit) = 0;
  // Appends the next revision; FAILED_PRECONDITION (EVIDENCE_UNCHANGED) when the hash equals the
  // newest revision's; INVALID_ARGUMENT on evidence.kind when it differs from earlier revisions.
  virtual v1::Evidence AddEvidence(db::Clock::time_point deadline, const audit::AuditContext& audit,
                                   const std::string& kvk, const std::string& evidence_id,
                                   const v1::Evidence& evidence) = 0;
  virtual std::vector<v1::Evidence> ListEvidence(db::Clock::time_point deadline,
                                                 const EvidenceQuery& query) = 0;
};

// Every piece of evidence of provider `kvk`, newest revisions, page after page.
std::vector<v1::Evidence> AllEvidence(ProviderStore& store, db::Clock::time_point deadline,
                                      const std::string& kvk);

struct NewApplication {
  std::string covenant_id{};
  std::string kvk{};
  std::vector<std::string> lot_ids{};
  std::string window_date{};  // ISO
  std::string note{};
  int terms_version = 0;
};

// Empty strings and 0 mean "any".
struct ApplicationFilter {
  std::string kvk{};
  std::string window_date{};  // ISO
  int after_id = 0;
  int only_id = 0;
};

// What a change of an application does: the next application as the rules computed it (new
// assessments have no assess_time, a new decision no decide_time, a new objection no
// register_time) and what the audit event records.
struct ApplicationUpdate {
  v1::Application next;
  std::string audit_json;
};

class AdmissionStore {
 public:
  virtual ~AdmissionStore() = default;
  // Stores a SUBMITTED application with one undecided lot each, audited. FAILED_PRECONDITION
  // (ALREADY_APPLIED) naming the lot when the provider has an open application for it or takes
  // part in it already.
  virtual v1::Application Submit(db::Clock::time_point deadline, const audit::AuditContext& audit,
                                 const NewApplication& application) = 0;
  // Stores an admission decided before the covenant was kept in Regie: a DECIDED application
  // citing `decision`, every lot ADMITTED and a participation per lot in force from its
  // `window_date`; audited. The same refusals as Submit.
  virtual v1::Application RecordEarlier(db::Clock::time_point deadline,
                                        const audit::AuditContext& audit,
                                        const NewApplication& application,
                                        const std::string& decision) = 0;
  // Applications of a covenant by id, at most `limit`.
  virtual std::vector<v1::Application> List(db::Clock::time_point deadline,
                                            const std::string& covenant_id,
                                            const ApplicationFilter& filter, int limit) = 0;
  // Locks the application, asks `decide` for the next one (it throws to refuse) and persists what
  // changed: state, new assessments, new decisions (an admission creates the participation, in
  // force from the lot's `in_force_from`) and new objections; audited. NOT_FOUND when absent.
  virtual v1::Application Change(
      db::Clock::time_point deadline, const audit::AuditContext& audit,
      const std::string& covenant_id, int application_id,
      const std::function<ApplicationUpdate(const v1::Application& current)>& decide) = 0;
};

// Empty strings mean "any"; ordered by (covenant, kvk, lot), after the `after_*` key.
struct ParticipationFilter {
  std::string covenant_id{};
  std::string kvk{};
  std::string lot_id{};
  std::string state{};  // Participation.State value name
  std::string after_covenant{};
  std::string after_kvk{};
  std::string after_lot{};
};

class ParticipationStore {
 public:
  virtual ~ParticipationStore() = default;
  virtual std::vector<v1::Participation> List(db::Clock::time_point deadline,
                                              const ParticipationFilter& filter, int limit) = 0;
  // Locks the participation and asks `decide` for the next one (nullopt: nothing to change; it
  // throws to refuse); writes state, suspension and ending with an audit event recording them.
  // Returns the participation as stored. NOT_FOUND when absent.
  virtual v1::Participation Change(
      db::Clock::time_point deadline, const audit::AuditContext& audit,
      const std::string& covenant_id, const std::string& kvk, const std::string& lot_id,
      const std::function<std::optional<v1::Participation>(const v1::Participation& current)>&
          decide) = 0;
};

// Resource names of the area.
std::string ApplicationName(const std::string& covenant_id, int application_id);
std::string ParticipationName(const std::string& covenant_id, const std::string& kvk,
                              const std::string& lot_id);

class PgProviderStore : public ProviderStore {
 public:
  explicit PgProviderStore(db::ConnectionPool& pool) : pool_(pool) {}
  v1::Provider Register(db::Clock::time_point deadline, const audit::AuditContext& audit,
                        const v1::Provider& provider) override;
  v1::Provider Update(db::Clock::time_point deadline, const audit::AuditContext& audit,
                      const v1::Provider& provider, std::int64_t etag) override;
  std::vector<v1::Provider> List(db::Clock::time_point deadline, const std::string& only_kvk,
                                 const std::string& after_kvk, int limit) override;
  v1::Evidence AddEvidence(db::Clock::time_point deadline, const audit::AuditContext& audit,
                           const std::string& kvk, const std::string& evidence_id,
                           const v1::Evidence& evidence) override;
  std::vector<v1::Evidence> ListEvidence(db::Clock::time_point deadline,
                                         const EvidenceQuery& query) override;

 private:
  db::ConnectionPool& pool_;
};

class PgAdmissionStore : public AdmissionStore {
 public:
  explicit PgAdmissionStore(db::ConnectionPool& pool) : pool_(pool) {}
  v1::Application Submit(db::Clock::time_point deadline, const audit::AuditContext& audit,
                         const NewApplication& application) override;
  v1::Application RecordEarlier(db::Clock::time_point deadline, const audit::AuditContext& audit,
                                const NewApplication& application,
                                const std::string& decision) override;
  std::vector<v1::Application> List(db::Clock::time_point deadline, const std::string& covenant_id,
                                    const ApplicationFilter& filter, int limit) override;
  v1::Application Change(
      db::Clock::time_point deadline, const audit::AuditContext& audit,
      const std::string& covenant_id, int application_id,
      const std::function<ApplicationUpdate(const v1::Application& current)>& decide) override;

 private:
  db::ConnectionPool& pool_;
};

class PgParticipationStore : public ParticipationStore {
 public:
  explicit PgParticipationStore(db::ConnectionPool& pool) : pool_(pool) {}
  std::vector<v1::Participation> List(db::Clock::time_point deadline,
                                      const ParticipationFilter& filter, int limit) override;
  v1::Participation Change(
      db::Clock::time_point deadline, const audit::AuditContext& audit,
      const std::string& covenant_id, const std::string& kvk, const std::string& lot_id,
      const std::function<std::optional<v1::Participation>(const v1::Participation& current)>&
          decide) override;

 private:
  db::ConnectionPool& pool_;
};

}  // namespace regie::providers
