#include "ocds.hpp"

#include <cstdio>

#include "suppression.hpp"

namespace regie::reports {
namespace {

using nlohmann::json;

// "2026-01-01" -> "2026-01-01T00:00:00Z"; the end of a period -> its last second.
std::string StartOf(const std::string& day) { return day + "T00:00:00Z"; }
std::string EndOf(const std::string& day) { return day + "T23:59:59Z"; }

std::string SupplierId(const std::string& kvk) { return "NL-KVK-" + kvk; }
std::string AwardId(const std::string& kvk, const std::string& lot) { return kvk + "-" + lot; }

std::string Ratio(std::int64_t numerator, std::int64_t denominator) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4f",
                static_cast<double>(numerator) / static_cast<double>(denominator));
  return text;
}

std::string LotTitle(const OcdsFacts& facts, const std::string& lot_id) {
  for (const auto& [id, title] : facts.lots) {
    if (id == lot_id) {
      return title;
    }
  }
  return lot_id;
}

std::string IndicatorTitle(const OcdsFacts& facts, const std::string& id) {
  const auto found = facts.indicator_titles.find(id);
  return found == facts.indicator_titles.end() ? id : found->second;
}

json Buyer(const OcdsFacts& facts) { return {{"id", facts.owner_id}, {"name", facts.owner_name}}; }

json OwnerParty(const OcdsFacts& facts) {
  auto party = Buyer(facts);
  party["roles"] = json::array({"buyer", "procuringEntity"});
  return party;
}

// A release of the covenant's contracting process with the common fields.
json Release(const OcdsFacts& facts, const std::string& id, const std::string& date,
             const std::string& tag) {
  return {{"ocid", std::string(kOcidPrefix) + facts.covenant_id},
          {"id", id},
          {"date", date},
          {"tag", json::array({tag})},
          {"initiationType", "tender"},
          {"language", "en"},
          {"buyer", Buyer(facts)}};
}

json TenderRelease(const OcdsFacts& facts) {
  auto release =
      Release(facts, facts.covenant_id + "-tender-v" + std::to_string(facts.terms_version),
              facts.published_at, "tender");
  release["parties"] = json::array({OwnerParty(facts)});
  const json period = {{"startDate", StartOf(facts.term_start)},
                       {"endDate", EndOf(facts.term_end)}};
  json items = json::array();
  for (const auto& [id, title] : facts.lots) {
    items.push_back({{"id", id}, {"description", title}});
  }
  const bool over = facts.state == "ended" || facts.state == "terminated";
  release["tender"] = {
      {"id", facts.covenant_id},
      {"title", facts.title},
      {"status", over ? "complete" : "active"},
      {"procurementMethod", "open"},
      {"procurementMethodDetails",
       "Open-house covenant (bestuurlijk aanbesteden): every provider that meets the published "
       "requirements may join, at the same terms, at any accession window"},
      {"mainProcurementCategory", "services"},
      {"contractPeriod", period},
      {"techniques",
       {{"hasFrameworkAgreement", true},
        {"frameworkAgreement", {{"method", "withoutReopeningCompetition"}, {"period", period}}}}}};
  if (!items.empty()) {
    release["tender"]["items"] = items;
  }
  return release;
}

json AgreedMetrics(const OcdsFacts& facts, const OcdsFacts::Award& award) {
  json metrics = json::array();
  for (const auto& agreement : facts.agreements) {
    if (agreement.lot_id != award.lot_id ||
        (!agreement.kvk.empty() && agreement.kvk != award.kvk)) {
      continue;
    }
    for (const auto& level : agreement.levels) {
      metrics.push_back(
          {{"id", agreement.agreement_id + "-" + level.indicator_id},
           {"title", IndicatorTitle(facts, level.indicator_id)},
           {"description", "Outcome agreement " + agreement.agreement_id + " version " +
                               std::to_string(agreement.version) + " of lot " + award.lot_id},
           {"observations", json::array({{{"id", "floor"}, {"measure", level.floor}},
                                         {{"id", "target"}, {"measure", level.target}}})}});
    }
  }
  return metrics;
}

json AwardRelease(const OcdsFacts& facts, const OcdsFacts::Award& a) {
  auto release = Release(facts, facts.covenant_id + "-award-" + AwardId(a.kvk, a.lot_id),
                         StartOf(a.in_force_from), "award");
  release["parties"] = json::array({OwnerParty(facts),
                                    {{"id", SupplierId(a.kvk)},
                                     {"name", a.provider_name},
                                     {"identifier", {{"scheme", "NL-KVK"}, {"id", a.kvk}}},
                                     {"roles", json::array({"supplier"})}}});
  json award = {
      {"id", AwardId(a.kvk, a.lot_id)},
      {"title", "Lot " + a.lot_id + ": " + LotTitle(facts, a.lot_id)},
      {"status", a.state == "ENDED" ? "cancelled" : "active"},
      {"date", StartOf(a.in_force_from)},
      {"suppliers", json::array({{{"id", SupplierId(a.kvk)}, {"name", a.provider_name}}})}};
  if (auto metrics = AgreedMetrics(facts, a); !metrics.empty()) {
    award["agreedMetrics"] = std::move(metrics);
  }
  release["awards"] = json::array({award});
  return release;
}

}  // namespace

nlohmann::json OcdsReleasePackage(const OcdsFacts& facts) {
  json releases = json::array();
  releases.push_back(TenderRelease(facts));
  for (const auto& award : facts.awards) {
    releases.push_back(AwardRelease(facts, award));
  }
  // One implementation release per accepted report version and lot.
  std::map<std::pair<std::string, std::string>, std::vector<const OcdsFacts::Observation*>> groups;
  for (const auto& o : facts.observations) {
    if (o.denominator >= kSuppressionThreshold) {
      groups[{o.report_id + "-v" + std::to_string(o.version), o.lot_id}].push_back(&o);
    }
  }
  for (const auto& [key, observations] : groups) {
    const auto& first = *observations.front();
    auto release = Release(facts, facts.covenant_id + "-report-" + key.first + "-" + key.second,
                           first.accepted_at, "implementation");
    json metrics = json::array();
    for (const auto* o : observations) {
      metrics.push_back(
          {{"id", o->indicator_id},
           {"title", IndicatorTitle(facts, o->indicator_id)},
           {"observations",
            json::array(
                {{{"id", key.first + "-" + o->indicator_id},
                  {"period",
                   {{"startDate", StartOf(o->period_start)}, {"endDate", EndOf(o->period_end)}}},
                  {"measure", Ratio(o->numerator, o->denominator)},
                  {"notes",
                   "numerator / denominator over the provider's municipalities, from report " +
                       o->report_id + " version " + std::to_string(o->version)}}})}});
    }
    const auto award_id = AwardId(first.kvk, first.lot_id);
    release["contracts"] = json::array(
        {{{"id", award_id}, {"awardID", award_id}, {"implementation", {{"metrics", metrics}}}}});
    releases.push_back(std::move(release));
  }
  return {
      {"uri", "urn:regie:ocds:" + facts.covenant_id},
      {"version", "1.1"},
      {"extensions", json::array({"https://raw.githubusercontent.com/open-contracting-extensions/"
                                  "ocds_techniques_extension/1.1/extension.json",
                                  "https://raw.githubusercontent.com/open-contracting-extensions/"
                                  "ocds_metrics_extension/1.1/extension.json"})},
      {"publishedDate", facts.generated_at},
      {"publisher", {{"name", "Regie: " + facts.owner_name}}},
      {"releases", std::move(releases)}};
}

}  // namespace regie::reports
