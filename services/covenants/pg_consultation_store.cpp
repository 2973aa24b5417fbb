#include <nlohmann/json.hpp>

#include "consultation_store.hpp"
#include "covenant_rules.hpp"
#include "db/unit_of_work.hpp"
#include "error.hpp"
#include "names.hpp"

namespace regie::covenants {
namespace {

constexpr db::WorkOptions kRead{.read_only = true};

std::string MeetingName(const std::string& covenant_id, int meeting_id) {
  return CovenantChildName(covenant_id, "meetings", std::to_string(meeting_id));
}

std::string AmendmentName(const std::string& covenant_id, int amendment_id) {
  return CovenantChildName(covenant_id, "amendments", std::to_string(amendment_id));
}

std::vector<std::string> JsonStrings(const std::string& json) {
  return nlohmann::json::parse(json).get<std::vector<std::string>>();
}

// Columns of list_meetings.sql.
MeetingRecord ReadMeeting(const pqxx::row& row) {
  MeetingRecord r;
  r.covenant_id = row[0].as<std::string>();
  r.meeting_id = row[1].as<int>();
  r.state = row[2].as<std::string>();
  r.meeting_date = row[3].as<std::string>();
  r.location = row[4].as<std::string>();
  r.agenda = JsonStrings(row[5].as<std::string>());
  r.invitees = JsonStrings(row[6].as<std::string>());
  r.minutes = row[7].as<std::string>();
  r.decisions = JsonStrings(row[8].as<std::string>());
  r.cancellation_reason = row[9].as<std::string>();
  r.scheduled_by = row[10].as<std::string>();
  r.created_at_us = row[11].as<std::int64_t>();
  r.updated_at_us = row[12].as<std::int64_t>();
  return r;
}

// Columns of list_amendments.sql.
AmendmentRecord ReadAmendment(const pqxx::row& row) {
  AmendmentRecord r;
  r.covenant_id = row[0].as<std::string>();
  r.amendment_id = row[1].as<int>();
  r.state = row[2].as<std::string>();
  r.proposal_json = row[3].as<std::string>();
  r.base_version = row[4].as<int>();
  r.proposed_by = row[5].as<std::string>();
  r.created_at_us = row[6].as<std::int64_t>();
  r.meeting_id = row[7].as<int>();
  r.version = row[8].as<int>();
  r.decided_by = row[9].as<std::string>();
  r.decided_at_us = row[10].as<std::int64_t>();
  return r;
}

void LockCovenant(db::Work& tx, const std::string& covenant_id) {
  if (tx.exec_prepared("covenants/lock_covenant", covenant_id).empty()) {
    throw Error::NotFound(CovenantName(covenant_id));
  }
}

// One meeting or amendment is read with its list query (the columns live in one place): the first
// row after number id - 1, if it is number id.
std::optional<MeetingRecord> FindMeeting(db::Work& tx, const std::string& covenant_id,
                                         int meeting_id) {
  const auto rows = tx.exec_prepared("covenants/list_meetings", covenant_id, meeting_id - 1, 1);
  if (rows.empty() || rows[0][1].as<int>() != meeting_id) {
    return std::nullopt;
  }
  return ReadMeeting(rows[0]);
}

std::optional<AmendmentRecord> FindAmendment(db::Work& tx, const std::string& covenant_id,
                                             int amendment_id) {
  const auto rows = tx.exec_prepared("covenants/list_amendments", covenant_id, amendment_id - 1, 1);
  if (rows.empty() || rows[0][1].as<int>() != amendment_id) {
    return std::nullopt;
  }
  return ReadAmendment(rows[0]);
}

MeetingRecord ReadMeetingOrThrow(db::Work& tx, const std::string& covenant_id, int meeting_id) {
  auto meeting = FindMeeting(tx, covenant_id, meeting_id);
  if (!meeting) {
    throw Error::NotFound(MeetingName(covenant_id, meeting_id));
  }
  return *meeting;
}

AmendmentRecord ReadAmendmentOrThrow(db::Work& tx, const std::string& covenant_id,
                                     int amendment_id) {
  auto amendment = FindAmendment(tx, covenant_id, amendment_id);
  if (!amendment) {
    throw Error::NotFound(AmendmentName(covenant_id, amendment_id));
  }
  return *amendment;
}

// Runs `update` (a conditional UPDATE ... WHERE state = 'scheduled'); refuses naming the state
// when it changed nothing.
MeetingRecord ChangeScheduledMeeting(db::Work& tx, const audit::AuditContext& audit,
                                     const std::string& covenant_id, int meeting_id,
                                     const pqxx::result& updated, const nlohmann::json& change) {
  const auto meeting = ReadMeetingOrThrow(tx, covenant_id, meeting_id);
  if (updated.empty()) {
    throw Error::FailedPrecondition("MEETING_STATE", MeetingName(covenant_id, meeting_id) + " is " +
                                                         meeting.state + ", not scheduled");
  }
  audit::AppendEvent(tx, audit, MeetingName(covenant_id, meeting_id), change.dump());
  return meeting;
}

}  // namespace

MeetingRecord PgConsultationStore::ScheduleMeeting(db::Clock::time_point deadline,
                                                   const audit::AuditContext& audit,
                                                   const NewMeeting& meeting) {
  MeetingRecord record;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    LockCovenant(tx, meeting.covenant_id);
    const int id = tx.exec_prepared1("covenants/next_meeting_id", meeting.covenant_id)[0].as<int>();
    std::vector<std::string> invitees;
    for (const auto& row :
         tx.exec_prepared("covenants/list_meeting_invitees", meeting.covenant_id)) {
      invitees.push_back(row[0].as<std::string>());
    }
    tx.exec_prepared0("covenants/insert_meeting", meeting.covenant_id, id, meeting.meeting_date,
                      meeting.location, TextArrayLiteral(meeting.agenda),
                      TextArrayLiteral(invitees), audit.actor_subject);
    record = ReadMeetingOrThrow(tx, meeting.covenant_id, id);
    audit::AppendEvent(tx, audit, MeetingName(meeting.covenant_id, id),
                       nlohmann::json{{"state", "scheduled"},
                                      {"meeting_date", meeting.meeting_date},
                                      {"location", meeting.location},
                                      {"agenda", meeting.agenda},
                                      {"invitees", invitees}}
                           .dump());
  });
  return record;
}

std::optional<MeetingRecord> PgConsultationStore::GetMeeting(db::Clock::time_point deadline,
                                                             const std::string& covenant_id,
                                                             int meeting_id) {
  std::optional<MeetingRecord> record;
  db::RunTransaction(pool_, deadline, kRead,
                     [&](db::Work& tx) { record = FindMeeting(tx, covenant_id, meeting_id); });
  return record;
}

std::vector<MeetingRecord> PgConsultationStore::ListMeetings(db::Clock::time_point deadline,
                                                             const std::string& covenant_id,
                                                             int after_id, int limit) {
  std::vector<MeetingRecord> records;
  db::RunTransaction(pool_, deadline, kRead, [&](db::Work& tx) {
    records.clear();
    for (const auto& row :
         tx.exec_prepared("covenants/list_meetings", covenant_id, after_id, limit)) {
      records.push_back(ReadMeeting(row));
    }
  });
  return records;
}

MeetingRecord PgConsultationStore::HoldMeeting(db::Clock::time_point deadline,
                                               const audit::AuditContext& audit,
                                               const std::string& covenant_id, int meeting_id,
                                               const std::string& minutes,
                                               const std::vector<std::string>& decisions) {
  MeetingRecord record;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    const auto updated = tx.exec_prepared("covenants/hold_meeting", covenant_id, meeting_id,
                                          minutes, TextArrayLiteral(decisions));
    record =
        ChangeScheduledMeeting(tx, audit, covenant_id, meeting_id, updated,
                               {{"state", "held"}, {"minutes", minutes}, {"decisions", decisions}});
  });
  return record;
}

MeetingRecord PgConsultationStore::CancelMeeting(db::Clock::time_point deadline,
                                                 const audit::AuditContext& audit,
                                                 const std::string& covenant_id, int meeting_id,
                                                 const std::string& reason) {
  MeetingRecord record;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    const auto updated =
        tx.exec_prepared("covenants/cancel_meeting", covenant_id, meeting_id, reason);
    record = ChangeScheduledMeeting(tx, audit, covenant_id, meeting_id, updated,
                                    {{"state", "cancelled"}, {"reason", reason}});
  });
  return record;
}

AmendmentRecord PgConsultationStore::Propose(db::Clock::time_point deadline,
                                             const audit::AuditContext& audit,
                                             const NewAmendment& amendment) {
  AmendmentRecord record;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    LockCovenant(tx, amendment.covenant_id);
    const int id =
        tx.exec_prepared1("covenants/next_amendment_id", amendment.covenant_id)[0].as<int>();
    tx.exec_prepared0("covenants/insert_amendment", amendment.covenant_id, id,
                      amendment.proposal_json, amendment.effective_from, amendment.base_version,
                      audit.actor_subject);
    record = ReadAmendmentOrThrow(tx, amendment.covenant_id, id);
    audit::AppendEvent(tx, audit, AmendmentName(amendment.covenant_id, id),
                       nlohmann::json{{"state", "proposed"},
                                      {"base_version", amendment.base_version},
                                      {"proposal", nlohmann::json::parse(amendment.proposal_json)}}
                           .dump());
  });
  return record;
}

std::optional<AmendmentRecord> PgConsultationStore::GetAmendment(db::Clock::time_point deadline,
                                                                 const std::string& covenant_id,
                                                                 int amendment_id) {
  std::optional<AmendmentRecord> record;
  db::RunTransaction(pool_, deadline, kRead,
                     [&](db::Work& tx) { record = FindAmendment(tx, covenant_id, amendment_id); });
  return record;
}

std::vector<AmendmentRecord> PgConsultationStore::ListAmendments(db::Clock::time_point deadline,
                                                                 const std::string& covenant_id,
                                                                 int after_id, int limit) {
  std::vector<AmendmentRecord> records;
  db::RunTransaction(pool_, deadline, kRead, [&](db::Work& tx) {
    records.clear();
    for (const auto& row :
         tx.exec_prepared("covenants/list_amendments", covenant_id, after_id, limit)) {
      records.push_back(ReadAmendment(row));
    }
  });
  return records;
}

AmendmentRecord PgConsultationStore::Withdraw(db::Clock::time_point deadline,
                                              const audit::AuditContext& audit,
                                              const std::string& covenant_id, int amendment_id) {
  AmendmentRecord record;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    const auto updated = tx.exec_prepared("covenants/withdraw_amendment", covenant_id, amendment_id,
                                          audit.actor_subject);
    record = ReadAmendmentOrThrow(tx, covenant_id, amendment_id);
    if (updated.empty()) {
      throw Error::FailedPrecondition(
          "AMENDMENT_STATE",
          AmendmentName(covenant_id, amendment_id) + " is " + record.state + ", not proposed");
    }
    audit::AppendEvent(tx, audit, AmendmentName(covenant_id, amendment_id),
                       nlohmann::json{{"state", "withdrawn"}}.dump());
  });
  return record;
}

}  // namespace regie::covenants
