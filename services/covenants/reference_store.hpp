#pragma once

// What the reference data service needs from storage; PgReferenceStore is the PostgreSQL one.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "audit/audit_log.hpp"
#include "db/pool.hpp"
#include "reference_rules.hpp"

namespace regie::covenants {

struct MunicipalityRecord {
  std::string code;
  std::string display_name;
  std::int64_t created_at_us = 0;
};

struct RegionRecord {
  std::string region_id;
  std::string display_name;
  std::string lead;                  // municipality code
  std::vector<std::string> members;  // municipality codes, ascending
  std::int64_t created_at_us = 0;
};

class ReferenceStore {
 public:
  virtual ~ReferenceStore() = default;

  virtual std::optional<MunicipalityRecord> GetMunicipality(db::Clock::time_point deadline,
                                                            const std::string& code) = 0;
  // Municipalities with a code after `after_code` ("" for the start), ascending.
  virtual std::vector<MunicipalityRecord> ListMunicipalities(db::Clock::time_point deadline,
                                                             const std::string& after_code,
                                                             int limit) = 0;
  // Stores and audits a new municipality. Throws ALREADY_EXISTS when the code is taken.
  virtual MunicipalityRecord CreateMunicipality(db::Clock::time_point deadline,
                                                const audit::AuditContext& audit,
                                                const MunicipalityInput& input) = 0;

  virtual std::optional<RegionRecord> GetRegion(db::Clock::time_point deadline,
                                                const std::string& region_id) = 0;
  // Regions with an id after `after_id` ("" for the start), ascending; only those `municipality`
  // belongs to when it is not empty.
  virtual std::vector<RegionRecord> ListRegions(db::Clock::time_point deadline,
                                                const std::string& after_id,
                                                const std::string& municipality, int limit) = 0;
  // Stores and audits a new region. Throws INVALID_ARGUMENT naming each member that is not a
  // registered municipality, ALREADY_EXISTS when the id is taken.
  virtual RegionRecord CreateRegion(db::Clock::time_point deadline,
                                    const audit::AuditContext& audit, const RegionInput& input) = 0;
};

class PgReferenceStore : public ReferenceStore {
 public:
  explicit PgReferenceStore(db::ConnectionPool& pool) : pool_(pool) {}

  std::optional<MunicipalityRecord> GetMunicipality(db::Clock::time_point deadline,
                                                    const std::string& code) override;
  std::vector<MunicipalityRecord> ListMunicipalities(db::Clock::time_point deadline,
                                                     const std::string& after_code,
                                                     int limit) override;
  MunicipalityRecord CreateMunicipality(db::Clock::time_point deadline,
                                        const audit::AuditContext& audit,
                                        const MunicipalityInput& input) override;
  std::optional<RegionRecord> GetRegion(db::Clock::time_point deadline,
                                        const std::string& region_id) override;
  std::vector<RegionRecord> ListRegions(db::Clock::time_point deadline, const std::string& after_id,
                                        const std::string& municipality, int limit) override;
  RegionRecord CreateRegion(db::Clock::time_point deadline, const audit::AuditContext& audit,
                            const RegionInput& input) override;

 private:
  db::ConnectionPool& pool_;
};

}  // namespace regie::covenants
