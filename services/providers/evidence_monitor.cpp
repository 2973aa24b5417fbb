#include "evidence_monitor.hpp"

#include <map>

#include "admission_rules.hpp"
#include "crypto.hpp"
#include "deadlines.hpp"
#include "provider_rules.hpp"

namespace regie::providers {
namespace {

constexpr int kPage = 500;

std::string CovenantOf(const v1::Participation& p) {
  const auto& name = p.name();  // covenants/{c}/participations/...
  const auto start = std::string("covenants/").size();
  return name.substr(start, name.find('/', start) - start);
}

}  // namespace

int EvidenceMonitor::Run(db::Clock::time_point deadline, std::chrono::sys_days today,
                         const std::string& kvk) {
  std::vector<v1::Participation> running;
  for (ParticipationFilter filter{.kvk = kvk};;) {
    auto page = participations_.List(deadline, filter, kPage);
    for (auto& p : page) {
      if (p.state() != v1::Participation::ENDED) {
        running.push_back(std::move(p));
      }
    }
    if (page.size() < kPage) {
      break;
    }
    filter.after_covenant = CovenantOf(page.back());
    filter.after_kvk = KvkOf(page.back().provider());
    filter.after_lot = page.back().lot_id();
  }

  const auto day = covenants::IsoDate(covenants::ToDate(today));
  std::map<std::string, std::optional<covenants::CovenantRecord>> covenant_cache;
  std::map<std::string, std::set<int>> valid_kinds;
  auto covenant = [&](const std::string& id) -> const std::optional<covenants::CovenantRecord>& {
    auto found = covenant_cache.find(id);
    if (found == covenant_cache.end()) {
      found = covenant_cache.emplace(id, covenants_.Get(deadline, id, day)).first;
    }
    return found->second;
  };
  auto kinds = [&](const std::string& provider) -> const std::set<int>& {
    auto found = valid_kinds.find(provider);
    if (found == valid_kinds.end()) {
      found = valid_kinds
                  .emplace(provider, ValidKinds(AllEvidence(providers_, deadline, provider), today))
                  .first;
    }
    return found->second;
  };

  int changed = 0;
  for (const auto& p : running) {
    const auto covenant_id = CovenantOf(p);
    const auto& record = covenant(covenant_id);
    const bool covenant_running =
        record && (record->state == covenants::CovenantState::kPublished ||
                   record->state == covenants::CovenantState::kActive ||
                   record->state == covenants::CovenantState::kExtended);
    const auto terms =
        record ? covenants::TermsFromJson(record->terms_json) : covenants::v1::CovenantTerms();
    const auto gaps = EvidenceGaps(terms, p.lot_id(), kinds(KvkOf(p.provider())));
    if (!MonitorStep(p, covenant_running, gaps, today)) {
      continue;
    }
    const audit::AuditContext audit{
        "regie evidence-monitor", "system",       "regie",
        "regie/evidence-monitor", NewRequestId(), Sha256(p.name() + "/" + day)};
    const auto before = p.etag();
    const auto after =
        participations_.Change(deadline, audit, covenant_id, KvkOf(p.provider()), p.lot_id(),
                               [&](const v1::Participation& current) {
                                 return MonitorStep(current, covenant_running, gaps, today);
                               });
    changed += after.etag() != before ? 1 : 0;
  }
  return changed;
}

int EvidenceMonitor::RunToday(db::Clock::time_point deadline, const std::string& kvk) {
  return Run(deadline, covenants::TodayIn(covenants_, deadline), kvk);
}

}  // namespace regie::providers
