#pragma once

// Moves covenants along their lifecycle as the days pass: published ones become active on their
// start date, active and extended ones end the day after their term. Run by every process that
// hosts the covenants area (the calendar tick of App's background loop); concurrent runs are safe,
// as each change re-checks the covenant under its row lock.

#include <chrono>

#include "covenant_store.hpp"

namespace regie::covenants {

class CovenantCalendar {
 public:
  explicit CovenantCalendar(CovenantStore& store) : store_(store) {}

  // Applies every transition due on `today`, each audited as done by the calendar. Returns how
  // many covenants changed.
  int Advance(db::Clock::time_point deadline, std::chrono::sys_days today);

  // Advance() for today in the Netherlands, by the database's clock.
  int AdvanceToToday(db::Clock::time_point deadline);

 private:
  CovenantStore& store_;
};

}  // namespace regie::covenants
