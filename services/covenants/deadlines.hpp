#pragma once

// The dates a covenant's terms imply (deadlines), computed without a database: term end, the
// last day to give notice or decide on an extension, accession application deadlines and windows,
// and the reporting calendar.

#include <chrono>
#include <string>
#include <vector>

#include "regie/covenants/v1/covenants.pb.h"

namespace regie::covenants {

enum class DeadlineKind {
  kTermEnd,               // the last day of the (extended) term
  kNotice,                // last day to give notice (opzeggen) before the term ends
  kAccessionApplication,  // applications for the next accession window close
  kAccessionWindow,       // providers may join (toetredingsmoment)
  kQuarterlyReport,       // quarterly report due
  kAnnualStatement,       // annual production statement due
  kAuditOpinion,          // audit opinion due
  kComplaintsReport,      // complaints report due
};

struct DeadlineItem {
  std::chrono::sys_days date;
  DeadlineKind kind;
  std::string description;  // for people, in English
};

// Every deadline of `terms` on a day in [from, to], sorted by date then kind. The term runs from
// its start date to its end date plus `extensions_used` extensions; reports cover periods within
// the term and fall due after it.
std::vector<DeadlineItem> Deadlines(const v1::CovenantTerms& terms, int extensions_used,
                                    std::chrono::sys_days from, std::chrono::sys_days to);

// Calendar helpers.
std::chrono::sys_days ToDays(const google::type::Date& date);
google::type::Date ToDate(std::chrono::sys_days days);
// "2026-01-01".
std::string IsoDay(std::chrono::sys_days day);
// A yearly date of the terms (year 0) in year `y`; 29 February becomes 28 in other years.
std::chrono::sys_days YearlyDateIn(const google::type::Date& yearly, int y);
// `months` later (or earlier when negative); a day past the month's end becomes its last day.
std::chrono::sys_days AddMonths(std::chrono::sys_days day, int months);

}  // namespace regie::covenants
