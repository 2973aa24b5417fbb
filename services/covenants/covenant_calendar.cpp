#include "covenant_calendar.hpp"

#include <nlohmann/json.hpp>

#include "crypto.hpp"
#include "deadlines.hpp"
#include "lifecycle.hpp"

namespace regie::covenants {

int CovenantCalendar::Advance(db::Clock::time_point deadline, std::chrono::sys_days today) {
  // Every covenant that is not a draft is visible without draft visibility.
  std::vector<CovenantRecord> running;
  for (std::string after;;) {
    auto page = store_.List(deadline, {}, {}, after, 500);
    for (auto& record : page) {
      if (DueTransition(record.state, TermsFromJson(record.terms_json), record.extensions_used,
                        today)) {
        running.push_back(std::move(record));
      }
    }
    if (page.size() < 500) {
      break;
    }
    after = page.back().covenant_id;
  }
  int changed = 0;
  const auto day = IsoDate(ToDate(today));
  for (const auto& due : running) {
    const audit::AuditContext audit{"regie calendar", "system",
                                    "regie",          "regie/covenant-calendar",
                                    NewRequestId(),   Sha256(due.covenant_id + "/" + day)};
    try {
      store_.Change(deadline, audit, due.covenant_id, [&](const CovenantRecord& current) {
        const auto transition = DueTransition(current.state, TermsFromJson(current.terms_json),
                                              current.extensions_used, today);
        if (!transition) {  // another process got there first
          throw Error::FailedPrecondition("NOTHING_DUE", "nothing is due");
        }
        auto change = CovenantChange::From(current);
        change.new_state = ApplyTransition(current.state, *transition);
        change.audit_change_json =
            nlohmann::json{{"state", StateName(change.new_state)}, {"by_calendar_on", day}}.dump();
        return change;
      });
      ++changed;
    } catch (const Error& e) {
      if (e.reason() != "NOTHING_DUE") {
        throw;
      }
    }
  }
  return changed;
}

int CovenantCalendar::AdvanceToToday(db::Clock::time_point deadline) {
  return Advance(deadline, TodayIn(store_, deadline));
}

}  // namespace regie::covenants
