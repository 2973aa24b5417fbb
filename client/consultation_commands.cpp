// `regie meeting`, `regie covenant amend` and `regie amendment`: the consultation table
// (overlegtafel) and the amendments it adopts.

#include <cstdio>
#include <fstream>
#include <sstream>

#include "command_support.hpp"
#include "crypto.hpp"
#include "input_file.hpp"

namespace regie::client {
namespace {

namespace v1 = covenants::v1;
using Stub = v1::ConsultationService::Stub;

// "covenants/c/meetings/2" as given, or the shorthand "c/2".
std::string ItemName(const std::string& collection, const std::string& text) {
  // "meetings" -> "meeting".
  return CovenantChild(text, collection, collection.substr(0, collection.size() - 1), "NUMBER");
}

std::string JoinText(const google::protobuf::RepeatedPtrField<std::string>& items,
                     const std::string& separator) {
  std::string out;
  for (const auto& item : items) {
    out += (out.empty() ? "" : separator) + item;
  }
  return out;
}

void PrintMeeting(const GlobalOptions& options, const v1::Meeting& m) {
  if (options.output == OutputFormat::kJson) {
    PrintMessageJson(m);
    return;
  }
  Fields fields = {{"meeting", m.name()},
                   {"state", v1::Meeting::State_Name(m.state())},
                   {"date", DayText(m.meeting_date())},
                   {"location", m.location()},
                   {"agenda", JoinText(m.agenda(), "; ")},
                   {"invitees", JoinIds(m.invitees())}};
  if (m.state() == v1::Meeting::HELD) {
    fields.emplace_back("minutes", m.minutes());
    fields.emplace_back("decisions", m.decisions().empty() ? "-" : JoinText(m.decisions(), "; "));
  }
  if (m.state() == v1::Meeting::CANCELLED) {
    fields.emplace_back("cancelled", m.cancellation_reason());
  }
  fields.emplace_back("scheduled by", m.scheduled_by());
  PrintFields(fields);
}

std::string ChangeText(const v1::Amendment& a) {
  if (a.has_tariff_indexation()) {
    const auto& x = a.tariff_indexation();
    const auto lots = x.lot_ids().empty() ? std::string("every lot") : JoinText(x.lot_ids(), ",");
    char percent[16];
    std::snprintf(percent, sizeof percent, "%.2f%%", x.basis_points() / 100.0);
    return "tariff indexation " + std::string(percent) + " (" + lots + ")";
  }
  if (a.has_agreement_change()) {
    return "outcome agreements: " + JoinText(a.agreement_change().agreements(), ", ");
  }
  return "terms: " + JoinText(a.terms_change().update_mask().paths(), ", ");
}

void PrintAmendment(const GlobalOptions& options, const v1::Amendment& a) {
  if (options.output == OutputFormat::kJson) {
    PrintMessageJson(a);
    return;
  }
  Fields fields = {{"amendment", a.name()},
                   {"state", v1::Amendment::State_Name(a.state())},
                   {"title", a.title()},
                   {"rationale", a.rationale()},
                   {"effective", DayText(a.effective_date())},
                   {"change", ChangeText(a)},
                   {"proposed against", "version " + std::to_string(a.base_version())},
                   {"proposed by", a.proposed_by()}};
  if (a.state() == v1::Amendment::ADOPTED) {
    fields.emplace_back("adopted at", a.meeting());
    fields.emplace_back("version", std::to_string(a.version()));
  }
  if (!a.decided_by().empty()) {
    fields.emplace_back("decided by", a.decided_by());
  }
  PrintFields(fields);
}

std::string ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ConfigError(path.string() + " cannot be read");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

v1::Amendment AdoptAt(RegieClient& client, const std::string& amendment,
                      const std::string& meeting) {
  v1::AdoptAmendmentRequest request;
  request.set_name(amendment);
  request.set_meeting(ItemName("meetings", meeting));
  request.set_request_id(NewRequestId());
  return client.Unary(&Stub::AdoptAmendment, request);
}

}  // namespace

int RunMeetingSchedule(const GlobalOptions& options, const MeetingOptions& meeting) {
  return Guard([&] {
    v1::ScheduleMeetingRequest request;
    request.set_parent(AsName("covenants", meeting.covenant));
    ParseDateFlag(meeting.date, "--date", request.mutable_meeting()->mutable_meeting_date());
    request.mutable_meeting()->set_location(meeting.location);
    for (const auto& item : meeting.agenda) {
      request.mutable_meeting()->add_agenda(item);
    }
    request.set_request_id(NewRequestId());
    auto client = Connect(options);
    PrintMeeting(options, client.Unary(&Stub::ScheduleMeeting, request));
    return exit_code::kOk;
  });
}

int RunMeetingMinutes(const GlobalOptions& options, const std::string& meeting,
                      const std::filesystem::path& minutes_file,
                      const std::vector<std::string>& decisions) {
  return Guard([&] {
    v1::RecordMinutesRequest request;
    request.set_name(ItemName("meetings", meeting));
    request.set_minutes(ReadText(minutes_file));
    for (const auto& decision : decisions) {
      request.add_decisions(decision);
    }
    request.set_request_id(NewRequestId());
    auto client = Connect(options);
    PrintMeeting(options, client.Unary(&Stub::RecordMinutes, request));
    return exit_code::kOk;
  });
}

int RunMeetingCancel(const GlobalOptions& options, const std::string& meeting,
                     const std::string& reason) {
  return Guard([&] {
    v1::CancelMeetingRequest request;
    request.set_name(ItemName("meetings", meeting));
    request.set_reason(reason);
    request.set_request_id(NewRequestId());
    auto client = Connect(options);
    PrintMeeting(options, client.Unary(&Stub::CancelMeeting, request));
    return exit_code::kOk;
  });
}

int RunMeetingShow(const GlobalOptions& options, const std::string& meeting) {
  return Guard([&] {
    v1::GetMeetingRequest request;
    request.set_name(ItemName("meetings", meeting));
    auto client = Connect(options);
    PrintMeeting(options, client.Unary(&Stub::GetMeeting, request));
    return exit_code::kOk;
  });
}

int RunMeetingList(const GlobalOptions& options, const std::string& covenant) {
  return Guard([&] {
    auto client = Connect(options);
    v1::ListMeetingsRequest request;
    request.set_parent(AsName("covenants", covenant));
    request.set_page_size(500);
    std::vector<v1::Meeting> meetings;
    do {
      auto page = client.Unary(&Stub::ListMeetings, request);
      meetings.insert(meetings.end(), page.meetings().begin(), page.meetings().end());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    if (options.output == OutputFormat::kJson) {
      PrintMessagesJson(meetings);
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& m : meetings) {
      rows.push_back({IdOf(m.name()), DayText(m.meeting_date()), v1::Meeting::State_Name(m.state()),
                      m.location(), std::to_string(m.agenda_size())});
    }
    PrintTable({"MEETING", "DATE", "STATE", "LOCATION", "AGENDA ITEMS"}, rows);
    return exit_code::kOk;
  });
}

int RunCovenantAmend(const GlobalOptions& options, const std::string& covenant,
                     const std::filesystem::path& file, const std::string& adopt_at) {
  return Guard([&] {
    v1::ProposeAmendmentRequest request;
    ReadMessageFile(file, *request.mutable_amendment());
    request.set_parent(AsName("covenants", covenant));
    request.set_request_id(NewRequestId());
    auto client = Connect(options);
    auto amendment = client.Unary(&Stub::ProposeAmendment, request);
    if (!adopt_at.empty()) {
      amendment = AdoptAt(client, amendment.name(), adopt_at);
    }
    PrintAmendment(options, amendment);
    return exit_code::kOk;
  });
}

int RunAmendmentAdopt(const GlobalOptions& options, const std::string& amendment,
                      const std::string& meeting) {
  return Guard([&] {
    auto client = Connect(options);
    PrintAmendment(options, AdoptAt(client, ItemName("amendments", amendment), meeting));
    return exit_code::kOk;
  });
}

int RunAmendmentWithdraw(const GlobalOptions& options, const std::string& amendment) {
  return Guard([&] {
    v1::WithdrawAmendmentRequest request;
    request.set_name(ItemName("amendments", amendment));
    request.set_request_id(NewRequestId());
    auto client = Connect(options);
    PrintAmendment(options, client.Unary(&Stub::WithdrawAmendment, request));
    return exit_code::kOk;
  });
}

int RunAmendmentShow(const GlobalOptions& options, const std::string& amendment) {
  return Guard([&] {
    v1::GetAmendmentRequest request;
    request.set_name(ItemName("amendments", amendment));
    auto client = Connect(options);
    PrintAmendment(options, client.Unary(&Stub::GetAmendment, request));
    return exit_code::kOk;
  });
}

int RunAmendmentList(const GlobalOptions& options, const std::string& covenant) {
  return Guard([&] {
    auto client = Connect(options);
    v1::ListAmendmentsRequest request;
    request.set_parent(AsName("covenants", covenant));
    request.set_page_size(500);
    std::vector<v1::Amendment> amendments;
    do {
      auto page = client.Unary(&Stub::ListAmendments, request);
      amendments.insert(amendments.end(), page.amendments().begin(), page.amendments().end());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    if (options.output == OutputFormat::kJson) {
      PrintMessagesJson(amendments);
      return exit_code::kOk;
    }
    std::vector<std::vector<std::string>> rows;
    for (const auto& a : amendments) {
      rows.push_back(
          {IdOf(a.name()), v1::Amendment::State_Name(a.state()), DayText(a.effective_date()),
           a.version() == 0 ? "-" : std::to_string(a.version()), a.title(), ChangeText(a)});
    }
    PrintTable({"AMENDMENT", "STATE", "EFFECTIVE", "VERSION", "TITLE", "CHANGE"}, rows);
    return exit_code::kOk;
  });
}

}  // namespace regie::client
