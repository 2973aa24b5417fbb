#include "covenant_rules.hpp"

#include <google/protobuf/util/json_util.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include "lot_rules.hpp"
#include "names.hpp"
#include "reference_rules.hpp"

namespace regie::covenants {
namespace {

struct StateRow {
  CovenantState state;
  std::string_view name;
  v1::Covenant::State proto;
};

constexpr StateRow kStates[] = {
    {CovenantState::kDraft, "draft", v1::Covenant::DRAFT},
    {CovenantState::kPublished, "published", v1::Covenant::PUBLISHED},
    {CovenantState::kActive, "active", v1::Covenant::ACTIVE},
    {CovenantState::kExtended, "extended", v1::Covenant::EXTENDED},
    {CovenantState::kEnded, "ended", v1::Covenant::ENDED},
    {CovenantState::kTerminated, "terminated", v1::Covenant::TERMINATED},
};

// The lifecycle, as a table: (from, transition) -> to.
struct Edge {
  CovenantState from;
  Transition transition;
  CovenantState to;
};

constexpr Edge kEdges[] = {
    {CovenantState::kDraft, Transition::kPublish, CovenantState::kPublished},
    {CovenantState::kPublished, Transition::kActivate, CovenantState::kActive},
    {CovenantState::kActive, Transition::kExtend, CovenantState::kExtended},
    {CovenantState::kExtended, Transition::kExtend, CovenantState::kExtended},
    {CovenantState::kActive, Transition::kEnd, CovenantState::kEnded},
    {CovenantState::kExtended, Transition::kEnd, CovenantState::kEnded},
    {CovenantState::kPublished, Transition::kTerminate, CovenantState::kTerminated},
    {CovenantState::kActive, Transition::kTerminate, CovenantState::kTerminated},
    {CovenantState::kExtended, Transition::kTerminate, CovenantState::kTerminated},
};

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month == 2 && year != 0) {
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return leap ? 29 : 28;
  }
  return kDays[month - 1];
}

bool Contains(const std::vector<std::string>& values, const std::string& value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

void CheckYearlyDate(const google::type::Date& date, Validation& v, const std::string& field) {
  if (date.year() != 0 || !IsValidDate(date, /*yearly=*/true)) {
    v.Add(field, "must be a day of the year: year 0 with a valid month and day");
  }
}

void CheckInRange(int value, int low, int high, Validation& v, const std::string& field) {
  if (value < low || value > high) {
    v.Add(field, "must be " + std::to_string(low) + "-" + std::to_string(high));
  }
}

void ValidateTerm(const v1::Term& term, Validation& v, const std::string& prefix) {
  const bool start_ok = IsValidDate(term.start_date());
  const bool end_ok = IsValidDate(term.end_date());
  if (!start_ok) {
    v.Add(prefix + ".start_date", "must be a calendar date");
  }
  if (!end_ok) {
    v.Add(prefix + ".end_date", "must be a calendar date");
  }
  if (start_ok && end_ok && IsoDate(term.end_date()) <= IsoDate(term.start_date())) {
    v.Add(prefix + ".end_date", "must be after start_date " + IsoDate(term.start_date()));
  }
  CheckInRange(term.extension_options(), 0, 10, v, prefix + ".extension_options");
  if (term.extension_options() > 0) {
    CheckInRange(term.extension_months(), 1, 60, v, prefix + ".extension_months");
  } else if (term.extension_months() != 0) {
    v.Add(prefix + ".extension_months", "must be 0 when there are no extension options");
  }
  CheckInRange(term.notice_period_months(), 0, 60, v, prefix + ".notice_period_months");
}

void ValidateAccession(const v1::AccessionPolicy& policy, Validation& v,
                       const std::string& prefix) {
  switch (policy.mode()) {
    case v1::AccessionPolicy::WINDOWS: {
      if (policy.window_dates().empty()) {
        v.Add(prefix + ".window_dates", "must hold at least one date when the mode is WINDOWS");
      }
      std::set<std::string> seen;
      for (int i = 0; i < policy.window_dates_size(); ++i) {
        const auto field = prefix + ".window_dates[" + std::to_string(i) + "]";
        const auto& date = policy.window_dates(i);
        CheckYearlyDate(date, v, field);
        if (!seen.insert(std::to_string(date.month()) + "-" + std::to_string(date.day())).second) {
          v.Add(field, "is listed twice");
        }
      }
      CheckInRange(policy.application_deadline_days(), 0, 365, v,
                   prefix + ".application_deadline_days");
      break;
    }
    case v1::AccessionPolicy::ALWAYS_OPEN:
    case v1::AccessionPolicy::CLOSED:
      if (!policy.window_dates().empty()) {
        v.Add(prefix + ".window_dates", "must be empty unless the mode is WINDOWS");
      }
      if (policy.application_deadline_days() != 0) {
        v.Add(prefix + ".application_deadline_days", "must be 0 unless the mode is WINDOWS");
      }
      break;
    default:
      v.Add(prefix + ".mode", "must be ALWAYS_OPEN, WINDOWS or CLOSED");
  }
}

void ValidateCalendar(const v1::ReportingCalendar& calendar, Validation& v,
                      const std::string& prefix) {
  CheckInRange(calendar.quarterly_report_due_days(), 1, 120, v,
               prefix + ".quarterly_report_due_days");
  CheckYearlyDate(calendar.annual_statement_due(), v, prefix + ".annual_statement_due");
  CheckYearlyDate(calendar.audit_opinion_due(), v, prefix + ".audit_opinion_due");
  CheckYearlyDate(calendar.complaints_report_due(), v, prefix + ".complaints_report_due");
}

// The key that identifies the elements of a list of lots, requirements or products, when every
// element has one and no two share it; nullptr otherwise.
const char* IdKey(const nlohmann::json& array) {
  for (const char* key : {"lot_id", "requirement_id", "code"}) {
    std::set<std::string> ids;
    const bool keyed = std::all_of(array.begin(), array.end(), [&](const nlohmann::json& e) {
      return e.is_object() && e.contains(key) && e[key].is_string() &&
             ids.insert(e[key].get<std::string>()).second;
    });
    if (keyed) {
      return key;
    }
  }
  return nullptr;
}

void Diff(const nlohmann::json* before, const nlohmann::json* after, const std::string& path,
          std::vector<FieldDiff>& out);

// Lists of things with ids are compared element by element, by id ("terms.lots[P1].title"), when
// both sides are such lists (or absent); returns false when they are not.
bool DiffById(const nlohmann::json* before, const nlohmann::json* after, const std::string& path,
              std::vector<FieldDiff>& out) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  const auto& b = before == nullptr ? kEmpty : *before;
  const auto& a = after == nullptr ? kEmpty : *after;
  if (!b.is_array() || !a.is_array() || (b.empty() && a.empty())) {
    return false;
  }
  const char* key = IdKey(b.empty() ? a : b);
  if (key == nullptr || IdKey(a.empty() ? b : a) != key) {
    return false;
  }
  std::vector<std::string> ids;
  std::map<std::string, const nlohmann::json*> in_before;
  std::map<std::string, const nlohmann::json*> in_after;
  for (const auto& element : b) {
    ids.push_back(element[key].get<std::string>());
    in_before[ids.back()] = &element;
  }
  for (const auto& element : a) {
    const auto id = element[key].get<std::string>();
    if (in_before.count(id) == 0) {
      ids.push_back(id);
    }
    in_after[id] = &element;
  }
  for (const auto& id : ids) {
    const auto find = [&](const auto& side) -> const nlohmann::json* {
      const auto it = side.find(id);
      return it == side.end() ? nullptr : it->second;
    };
    const auto* was = find(in_before);
    const auto* is = find(in_after);
    if (was != nullptr && is != nullptr) {
      Diff(was, is, path + "[" + id + "]", out);
    } else {  // added or removed: shown whole
      out.push_back({path + "[" + id + "]", was == nullptr ? "" : was->dump(),
                     is == nullptr ? "" : is->dump()});
    }
  }
  return true;
}

void Diff(const nlohmann::json* before, const nlohmann::json* after, const std::string& path,
          std::vector<FieldDiff>& out) {
  if (DiffById(before, after, path, out)) {
    return;
  }
  const bool before_object = before != nullptr && before->is_object();
  const bool after_object = after != nullptr && after->is_object();
  if (before_object || after_object) {
    std::set<std::string> keys;
    for (const auto* side : {before, after}) {
      if (side != nullptr && side->is_object()) {
        for (const auto& item : side->items()) {
          keys.insert(item.key());
        }
      }
    }
    for (const auto& key : keys) {
      auto child = [&](const nlohmann::json* side) -> const nlohmann::json* {
        if (side == nullptr || !side->is_object()) {
          return nullptr;
        }
        const auto it = side->find(key);
        return it == side->end() ? nullptr : &*it;
      };
      Diff(child(before), child(after), path + "." + key, out);
    }
    return;
  }
  const auto text = [](const nlohmann::json* value) {
    return value == nullptr ? std::string() : value->dump();
  };
  if (text(before) != text(after)) {
    out.push_back({path, text(before), text(after)});
  }
}

}  // namespace

std::vector<FieldDiff> DiffTerms(const std::string& before_json, const std::string& after_json) {
  const auto before = nlohmann::json::parse(before_json);
  const auto after = nlohmann::json::parse(after_json);
  std::vector<FieldDiff> changes;
  Diff(&before, &after, "terms", changes);
  return changes;
}

std::string_view StateName(CovenantState state) {
  for (const auto& row : kStates) {
    if (row.state == state) {
      return row.name;
    }
  }
  return "unknown";
}

std::optional<CovenantState> ParseState(std::string_view name) {
  for (const auto& row : kStates) {
    if (row.name == name) {
      return row.state;
    }
  }
  return std::nullopt;
}

v1::Covenant::State ToProto(CovenantState state) {
  for (const auto& row : kStates) {
    if (row.state == state) {
      return row.proto;
    }
  }
  return v1::Covenant::STATE_UNSPECIFIED;
}

std::optional<CovenantState> FromProto(v1::Covenant::State state) {
  for (const auto& row : kStates) {
    if (row.proto == state) {
      return row.state;
    }
  }
  return std::nullopt;
}

std::string_view TransitionName(Transition transition) {
  switch (transition) {
    case Transition::kPublish:
      return "publish";
    case Transition::kActivate:
      return "activate";
    case Transition::kExtend:
      return "extend";
    case Transition::kEnd:
      return "end";
    case Transition::kTerminate:
      return "terminate";
  }
  return "unknown";
}

CovenantState ApplyTransition(CovenantState from, Transition transition) {
  for (const auto& edge : kEdges) {
    if (edge.from == from && edge.transition == transition) {
      return edge.to;
    }
  }
  throw Error::FailedPrecondition("COVENANT_STATE",
                                  "cannot " + std::string(TransitionName(transition)) +
                                      " a covenant in state " + std::string(StateName(from)));
}

void RequireDraft(CovenantState state) {
  if (state != CovenantState::kDraft) {
    throw Error::FailedPrecondition("COVENANT_STATE",
                                    "the covenant is " + std::string(StateName(state)) +
                                        ": its terms change only through adopted amendments");
  }
}

bool CanManage(const auth::Principal& principal, const Participants& participants) {
  if (principal.role != auth::Role::kProcurement) {
    return false;
  }
  if (Contains(participants.municipalities, principal.organisation)) {
    return true;
  }
  return !participants.region_id.empty() &&
         principal.organisation == "region:" + participants.region_id;
}

bool CanSee(const auth::Principal& principal, CovenantState state,
            const Participants& participants) {
  return state != CovenantState::kDraft || CanManage(principal, participants) ||
         AuditsAny(principal, participants);
}

bool AuditsAny(const auth::Principal& principal, const Participants& participants) {
  return principal.role == auth::Role::kAuditor &&
         std::any_of(principal.scope.begin(), principal.scope.end(),
                     [&](const auto& code) { return Contains(participants.municipalities, code); });
}

Participants DraftVisibility(const auth::Principal& principal) {
  switch (principal.role) {
    case auth::Role::kProcurement:
      if (IsMunicipalityCode(principal.organisation)) {
        return {{principal.organisation}, ""};
      }
      return {{}, principal.organisation.substr(std::string("region:").size())};
    case auth::Role::kAuditor:
      return {principal.scope, ""};
    default:
      return {};
  }
}

bool IsCovenantId(std::string_view id) {
  return !id.empty() && id.size() <= 63 && id[0] >= 'a' && id[0] <= 'z' &&
         std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
         });
}

std::string CovenantName(const std::string& covenant_id) { return "covenants/" + covenant_id; }

std::string ParseCovenantName(const std::string& name, Validation& validation,
                              const std::string& field) {
  const auto id = ResourceId(name, "covenants");
  if (!id || !IsCovenantId(*id)) {
    validation.Add(
        field, name.empty() ? "is required" : "must be covenants/{covenant}, not '" + name + "'");
    return {};
  }
  return *id;
}

std::pair<std::string, std::string> ParseCovenantChild(const std::string& name,
                                                       std::string_view collection,
                                                       Validation& validation,
                                                       const std::string& field,
                                                       bool (*is_child_id)(std::string_view)) {
  const auto infix = "/" + std::string(collection) + "/";
  const auto at = name.find(infix);
  if (at != std::string::npos) {
    Validation covenant;
    auto covenant_id = ParseCovenantName(name.substr(0, at), covenant, field);
    auto child_id = name.substr(at + infix.size());
    if (covenant.empty() && is_child_id(child_id)) {
      return {std::move(covenant_id), std::move(child_id)};
    }
  }
  validation.Add(field, name.empty()
                            ? "is required"
                            : "must be covenants/{covenant}" + infix + "{id}, not '" + name + "'");
  return {};
}

std::string CovenantChildName(const std::string& covenant_id, std::string_view collection,
                              const std::string& child_id) {
  return CovenantName(covenant_id) + "/" + std::string(collection) + "/" + child_id;
}

std::string IsoDate(const google::type::Date& date) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", date.year(), date.month(), date.day());
  return text;
}

bool IsValidDate(const google::type::Date& date, bool yearly) {
  const bool year_ok = yearly ? date.year() == 0 : (date.year() >= 1900 && date.year() <= 9999);
  return year_ok && date.month() >= 1 && date.month() <= 12 && date.day() >= 1 &&
         date.day() <= DaysInMonth(date.year(), date.month());
}

std::optional<google::type::Date> ParseIsoDate(std::string_view text) {
  int year = 0;
  int month = 0;
  int day = 0;
  char tail = 0;
  if (text.size() != 10 ||
      std::sscanf(std::string(text).c_str(), "%4d-%2d-%2d%c", &year, &month, &day, &tail) != 3) {
    return std::nullopt;
  }
  google::type::Date date;
  date.set_year(year);
  date.set_month(month);
  date.set_day(day);
  if (!IsValidDate(date)) {
    return std::nullopt;
  }
  return date;
}

void ValidateTerms(const v1::CovenantTerms& terms, Validation& v, const std::string& prefix) {
  CheckText(terms.title(), 200, v, prefix + ".title");
  if (terms.legal_bases().empty()) {
    v.Add(prefix + ".legal_bases",
          "must name at least one law: LEGAL_BASIS_WMO_2015, "
          "LEGAL_BASIS_JEUGDWET or LEGAL_BASIS_PARTICIPATIEWET");
  }
  std::set<int> laws;
  for (int i = 0; i < terms.legal_bases_size(); ++i) {
    const auto field = prefix + ".legal_bases[" + std::to_string(i) + "]";
    if (terms.legal_bases(i) == v1::LEGAL_BASIS_UNSPECIFIED) {
      v.Add(field, "must be a law, not LEGAL_BASIS_UNSPECIFIED");
    } else if (!laws.insert(terms.legal_bases(i)).second) {
      v.Add(field, "is listed twice");
    }
  }
  if (terms.procurement_model() == v1::PROCUREMENT_MODEL_UNSPECIFIED) {
    v.Add(prefix + ".procurement_model", "must be OPEN_HOUSE or ADMINISTRATIVE");
  }
  if (terms.municipalities().empty()) {
    v.Add(prefix + ".municipalities", "must name at least one participating municipality");
  }
  std::set<std::string> seen;
  for (int i = 0; i < terms.municipalities_size(); ++i) {
    const auto field = prefix + ".municipalities[" + std::to_string(i) + "]";
    const auto code = ParseMunicipalityName(terms.municipalities(i), v, field);
    if (!code.empty() && !seen.insert(code).second) {
      v.Add(field, terms.municipalities(i) + " is listed twice");
    }
  }
  if (!terms.region().empty()) {
    ParseRegionName(terms.region(), v, prefix + ".region");
  }
  ValidateTerm(terms.term(), v, prefix + ".term");
  ValidateAccession(terms.accession_policy(), v, prefix + ".accession_policy");
  CheckText(terms.change_procedure(), 2000, v, prefix + ".change_procedure");
  CheckText(terms.dispute_route(), 2000, v, prefix + ".dispute_route");
  ValidateCalendar(terms.reporting_calendar(), v, prefix + ".reporting_calendar");
  ValidateCatalogue(terms, v, prefix);
}

std::string TermsToJson(const v1::CovenantTerms& terms) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(terms, &json, options).ok()) {
    throw std::runtime_error("cannot render covenant terms as JSON");
  }
  return json;
}

v1::CovenantTerms TermsFromJson(const std::string& json) { return *SharedTermsFromJson(json); }

std::shared_ptr<const v1::CovenantTerms> SharedTermsFromJson(const std::string& json) {
  static constexpr std::size_t kCapacity = 64;  // covenant versions; emptied when full
  static std::mutex mutex;
  static auto* parsed =
      new std::unordered_map<std::string, std::shared_ptr<const v1::CovenantTerms>>();
  {
    std::lock_guard lock(mutex);
    if (const auto found = parsed->find(json); found != parsed->end()) {
      return found->second;
    }
  }
  auto terms = std::make_shared<v1::CovenantTerms>();
  if (!google::protobuf::util::JsonStringToMessage(json, terms.get()).ok()) {
    throw std::runtime_error("stored covenant terms cannot be read");
  }
  std::lock_guard lock(mutex);
  if (parsed->size() >= kCapacity) {
    parsed->clear();
  }
  parsed->emplace(json, terms);
  return terms;
}

TermsRow MakeTermsRow(const v1::CovenantTerms& terms) {
  std::vector<std::string> legal_bases;
  for (const auto basis : terms.legal_bases()) {
    legal_bases.push_back(v1::LegalBasis_Name(static_cast<v1::LegalBasis>(basis)));
  }
  return {TermsToJson(terms), std::move(legal_bases), ParticipantsOf(terms),
          IsoDate(terms.term().start_date()), IsoDate(terms.term().end_date())};
}

Participants ParticipantsOf(const v1::CovenantTerms& terms) {
  Participants participants;
  for (const auto& name : terms.municipalities()) {
    participants.municipalities.push_back(ResourceId(name, "municipalities").value_or(""));
  }
  participants.region_id = ResourceId(terms.region(), "regions").value_or("");
  return participants;
}

}  // namespace regie::covenants
