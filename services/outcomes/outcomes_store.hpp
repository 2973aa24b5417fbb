#pragma once

// Storage of the outcomes area (docs/adr/0008): the indicator library, agreements with their
// versions, settlements with theirs, and the accepted results settlement reads. Interfaces return
// proto messages; PostgreSQL implementations below, fakes in unit tests.

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "audit/audit_log.hpp"
#include "db/pool.hpp"
#include "lot_rules.hpp"
#include "outcome_rules.hpp"

namespace regie::outcomes {

class IndicatorStore {
 public:
  virtual ~IndicatorStore() = default;
  virtual std::optional<v1::Indicator> Get(db::Clock::time_point deadline,
                                           const std::string& indicator_id) = 0;
  // Ordered by id, after `after_id`.
  virtual std::vector<v1::Indicator> List(db::Clock::time_point deadline,
                                          const std::string& after_id, int limit) = 0;
};

struct AgreementFilter {
  std::string covenant_id{};
  std::string lot_id{};  // optional
  std::string kvk{};     // optional: the provider's own and the lot-wide agreements
  std::string as_of{};   // ISO day
  std::string after_lot{};
  std::string after_agreement{};
};

class AgreementStore {
 public:
  virtual ~AgreementStore() = default;
  // Stores `first` (name, version 1, effective date and content set) with an audit event.
  // ALREADY_EXISTS (AGREEMENT_EXISTS) when the lot has an agreement with that id.
  virtual v1::Agreement Create(db::Clock::time_point deadline, const audit::AuditContext& audit,
                               const covenants::AgreementRef& ref, const v1::Agreement& first) = 0;
  // `version`, or when 0 the version in force on `as_of` (the first version when none is yet).
  virtual std::optional<v1::Agreement> Get(db::Clock::time_point deadline,
                                           const covenants::AgreementRef& ref,
                                           const std::string& as_of, int version) = 0;
  // Oldest first; empty when the agreement does not exist.
  virtual std::vector<v1::Agreement> Versions(db::Clock::time_point deadline,
                                              const covenants::AgreementRef& ref) = 0;
  // Each agreement as in force on filter.as_of, ordered by lot and id.
  virtual std::vector<v1::Agreement> List(db::Clock::time_point deadline,
                                          const AgreementFilter& filter, int limit) = 0;
  // Appends the next version (content and effective date from `next`) citing `amendment_id`,
  // with an audit event. NOT_FOUND when absent; FAILED_PRECONDITION AMENDMENT_USED when that
  // amendment made a version already, EFFECTIVE_DATE when `next` starts before the newest one.
  virtual v1::Agreement Amend(db::Clock::time_point deadline, const audit::AuditContext& audit,
                              const covenants::AgreementRef& ref, int amendment_id,
                              const v1::Agreement& next) = 0;
};

struct SettlementFilter {
  std::string covenant_id{};
  std::string period{};    // optional
  std::string kvk{};       // optional
  std::string lot_id{};    // optional
  std::string after_id{};  // settlement id
};

enum class Recorded { kCreated, kUnchanged, kSuperseded };

// A settlement as RunSettlement computed it, to be recorded.
struct ComputedSettlement {
  std::string settlement_id;
  v1::Settlement computed;
};

class SettlementStore {
 public:
  virtual ~SettlementStore() = default;
  // In one transaction, under a lock on each settlement (taken in id order, so that concurrent
  // runs cannot deadlock), for each of `batch` in order: when its newest version has the digest
  // of the computed one, returns that version (kUnchanged); otherwise stores the computed one as
  // the next version with the difference to the previous total, and an audit event (kCreated or
  // kSuperseded). Settlement ids are distinct.
  virtual std::vector<std::pair<v1::Settlement, Recorded>> Record(
      db::Clock::time_point deadline, const audit::AuditContext& audit,
      const std::string& covenant_id, const std::vector<ComputedSettlement>& batch) = 0;
  // `version`, or the newest when 0; state CURRENT or SUPERSEDED.
  virtual std::optional<v1::Settlement> Get(db::Clock::time_point deadline,
                                            const std::string& covenant_id,
                                            const std::string& settlement_id, int version) = 0;
  // Newest versions ordered by settlement id.
  virtual std::vector<v1::Settlement> List(db::Clock::time_point deadline,
                                           const SettlementFilter& filter, int limit) = 0;
};

// The accepted results of one provider for one lot and period (docs/adr/0008): read from the
// reports schema's accepted versions only.
struct AcceptedResults {
  std::vector<v1::SettlementInput> reports{};
  std::map<std::string, Sums> sums{};  // by indicator name
  std::int64_t declared_eurocents = 0;
};

class ResultsReader {
 public:
  virtual ~ResultsReader() = default;
  // The accepted results for the lot in the period of every provider that has them, by KvK
  // number, read in one snapshot.
  virtual std::map<std::string, AcceptedResults> Read(db::Clock::time_point deadline,
                                                      const std::string& covenant_id,
                                                      const std::string& lot_id,
                                                      const Period& period) = 0;
};

// Resource names of the area.
std::string SettlementName(const std::string& covenant_id, const std::string& settlement_id);
std::string ReportName(const std::string& covenant_id, const std::string& report_id);

class PgIndicatorStore : public IndicatorStore {
 public:
  explicit PgIndicatorStore(db::ConnectionPool& pool) : pool_(pool) {}
  std::optional<v1::Indicator> Get(db::Clock::time_point deadline,
                                   const std::string& indicator_id) override;
  std::vector<v1::Indicator> List(db::Clock::time_point deadline, const std::string& after_id,
                                  int limit) override;

 private:
  db::ConnectionPool& pool_;
};

class PgAgreementStore : public AgreementStore {
 public:
  explicit PgAgreementStore(db::ConnectionPool& pool) : pool_(pool) {}
  v1::Agreement Create(db::Clock::time_point deadline, const audit::AuditContext& audit,
                       const covenants::AgreementRef& ref, const v1::Agreement& first) override;
  std::optional<v1::Agreement> Get(db::Clock::time_point deadline,
                                   const covenants::AgreementRef& ref, const std::string& as_of,
                                   int version) override;
  std::vector<v1::Agreement> Versions(db::Clock::time_point deadline,
                                      const covenants::AgreementRef& ref) override;
  std::vector<v1::Agreement> List(db::Clock::time_point deadline, const AgreementFilter& filter,
                                  int limit) override;
  v1::Agreement Amend(db::Clock::time_point deadline, const audit::AuditContext& audit,
                      const covenants::AgreementRef& ref, int amendment_id,
                      const v1::Agreement& next) override;

 private:
  db::ConnectionPool& pool_;
};

class PgSettlementStore : public SettlementStore {
 public:
  explicit PgSettlementStore(db::ConnectionPool& pool) : pool_(pool) {}
  std::vector<std::pair<v1::Settlement, Recorded>> Record(
      db::Clock::time_point deadline, const audit::AuditContext& audit,
      const std::string& covenant_id, const std::vector<ComputedSettlement>& batch) override;
  std::optional<v1::Settlement> Get(db::Clock::time_point deadline, const std::string& covenant_id,
                                    const std::string& settlement_id, int version) override;
  std::vector<v1::Settlement> List(db::Clock::time_point deadline, const SettlementFilter& filter,
                                   int limit) override;

 private:
  db::ConnectionPool& pool_;
};

class PgResultsReader : public ResultsReader {
 public:
  explicit PgResultsReader(db::ConnectionPool& pool) : pool_(pool) {}
  std::map<std::string, AcceptedResults> Read(db::Clock::time_point deadline,
                                              const std::string& covenant_id,
                                              const std::string& lot_id,
                                              const Period& period) override;

 private:
  db::ConnectionPool& pool_;
};

}  // namespace regie::outcomes
