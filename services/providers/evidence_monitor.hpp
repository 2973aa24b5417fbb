#pragma once

// The providers area's calendar (docs/adr/0007): suspends participations whose required evidence
// expired when the covenant says so, reinstates them when valid evidence arrives or a suspension's
// until-date comes, and ends them on their end date or when their covenant has ended. Run by the
// process's background loop, and for one provider at once when it adds evidence. Concurrent runs
// are safe: each change is decided again under the participation's row lock.

#include <chrono>
#include <string>

#include "covenant_store.hpp"
#include "providers_store.hpp"

namespace regie::providers {

class EvidenceMonitor {
 public:
  EvidenceMonitor(covenants::CovenantStore& covenants, ProviderStore& providers,
                  ParticipationStore& participations)
      : covenants_(covenants), providers_(providers), participations_(participations) {}

  // Applies every change due on `today` to the participations (of provider `kvk` only, when not
  // empty), each audited as done by the evidence monitor. Returns how many changed.
  int Run(db::Clock::time_point deadline, std::chrono::sys_days today, const std::string& kvk = "");

  // Run() for today in the Netherlands, by the database's clock.
  int RunToday(db::Clock::time_point deadline, const std::string& kvk = "");

 private:
  covenants::CovenantStore& covenants_;
  ProviderStore& providers_;
  ParticipationStore& participations_;
};

}  // namespace regie::providers
