#pragma once

// What the consultation service needs from storage: meetings and amendments of a covenant.
// Adoption itself goes through CovenantStore::Change, which appends the version in the same
// transaction. PgConsultationStore is the PostgreSQL implementation.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "db/pool.hpp"

namespace regie::covenants {

struct MeetingRecord {
  std::string covenant_id;
  int meeting_id = 0;
  std::string state;         // scheduled, held, cancelled
  std::string meeting_date;  // ISO date
  std::string location;
  std::vector<std::string> agenda;
  std::vector<std::string> invitees;
  std::string minutes;
  std::vector<std::string> decisions;
  std::string cancellation_reason;
  std::string scheduled_by;
  std::int64_t created_at_us = 0;
  std::int64_t updated_at_us = 0;
};

struct NewMeeting {
  std::string covenant_id;
  std::string meeting_date;  // ISO date
  std::string location;
  std::vector<std::string> agenda;
};

struct AmendmentRecord {
  std::string covenant_id;
  int amendment_id = 0;
  std::string state;          // proposed, adopted, withdrawn
  std::string proposal_json;  // Amendment with title, rationale, effective_date and change
  int base_version = 0;
  std::string proposed_by;
  std::int64_t created_at_us = 0;
  int meeting_id = 0;  // adopted only
  int version = 0;     // adopted only
  std::string decided_by;
  std::int64_t decided_at_us = 0;
};

struct NewAmendment {
  std::string covenant_id;
  std::string proposal_json;
  std::string effective_from;  // ISO date
  int base_version = 0;
};

class ConsultationStore {
 public:
  virtual ~ConsultationStore() = default;

  // Stores a SCHEDULED meeting with the next number, inviting the covenant's participants,
  // audited.
  virtual MeetingRecord ScheduleMeeting(db::Clock::time_point deadline,
                                        const audit::AuditContext& audit,
                                        const NewMeeting& meeting) = 0;
  virtual std::optional<MeetingRecord> GetMeeting(db::Clock::time_point deadline,
                                                  const std::string& covenant_id,
                                                  int meeting_id) = 0;
  virtual std::vector<MeetingRecord> ListMeetings(db::Clock::time_point deadline,
                                                  const std::string& covenant_id, int after_id,
                                                  int limit) = 0;
  // SCHEDULED -> HELD or CANCELLED, audited. NOT_FOUND when absent; FAILED_PRECONDITION
  // (MEETING_STATE) naming the state when it is not SCHEDULED.
  virtual MeetingRecord HoldMeeting(db::Clock::time_point deadline,
                                    const audit::AuditContext& audit,
                                    const std::string& covenant_id, int meeting_id,
                                    const std::string& minutes,
                                    const std::vector<std::string>& decisions) = 0;
  virtual MeetingRecord CancelMeeting(db::Clock::time_point deadline,
                                      const audit::AuditContext& audit,
                                      const std::string& covenant_id, int meeting_id,
                                      const std::string& reason) = 0;

  // Stores a PROPOSED amendment with the next number, audited.
  virtual AmendmentRecord Propose(db::Clock::time_point deadline, const audit::AuditContext& audit,
                                  const NewAmendment& amendment) = 0;
  virtual std::optional<AmendmentRecord> GetAmendment(db::Clock::time_point deadline,
                                                      const std::string& covenant_id,
                                                      int amendment_id) = 0;
  virtual std::vector<AmendmentRecord> ListAmendments(db::Clock::time_point deadline,
                                                      const std::string& covenant_id, int after_id,
                                                      int limit) = 0;
  // PROPOSED -> WITHDRAWN, audited. NOT_FOUND when absent; FAILED_PRECONDITION
  // (AMENDMENT_STATE) naming the state otherwise.
  virtual AmendmentRecord Withdraw(db::Clock::time_point deadline, const audit::AuditContext& audit,
                                   const std::string& covenant_id, int amendment_id) = 0;
};

class PgConsultationStore : public ConsultationStore {
 public:
  explicit PgConsultationStore(db::ConnectionPool& pool) : pool_(pool) {}

  MeetingRecord ScheduleMeeting(db::Clock::time_point deadline, const audit::AuditContext& audit,
                                const NewMeeting& meeting) override;
  std::optional<MeetingRecord> GetMeeting(db::Clock::time_point deadline,
                                          const std::string& covenant_id, int meeting_id) override;
  std::vector<MeetingRecord> ListMeetings(db::Clock::time_point deadline,
                                          const std::string& covenant_id, int after_id,
                                          int limit) override;
  MeetingRecord HoldMeeting(db::Clock::time_point deadline, const audit::AuditContext& audit,
                            const std::string& covenant_id, int meeting_id,
                            const std::string& minutes,
                            const std::vector<std::string>& decisions) override;
  MeetingRecord CancelMeeting(db::Clock::time_point deadline, const audit::AuditContext& audit,
                              const std::string& covenant_id, int meeting_id,
                              const std::string& reason) override;
  AmendmentRecord Propose(db::Clock::time_point deadline, const audit::AuditContext& audit,
                          const NewAmendment& amendment) override;
  std::optional<AmendmentRecord> GetAmendment(db::Clock::time_point deadline,
                                              const std::string& covenant_id,
                                              int amendment_id) override;
  std::vector<AmendmentRecord> ListAmendments(db::Clock::time_point deadline,
                                              const std::string& covenant_id, int after_id,
                                              int limit) override;
  AmendmentRecord Withdraw(db::Clock::time_point deadline, const audit::AuditContext& audit,
                           const std::string& covenant_id, int amendment_id) override;

 private:
  db::ConnectionPool& pool_;
};

}  // namespace regie::covenants
