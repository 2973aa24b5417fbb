#include <nlohmann/json.hpp>

#include "db/unit_of_work.hpp"
#include "names.hpp"
#include "reference_store.hpp"

namespace regie::covenants {
namespace {

constexpr db::WorkOptions kRead{.read_only = true};

MunicipalityRecord ReadMunicipality(const pqxx::row& row) {
  return {row[0].as<std::string>(), row[1].as<std::string>(), row[2].as<std::int64_t>()};
}

// Columns: region_id, display_name, lead_municipality, created_at_us, member_codes (comma list).
RegionRecord ReadRegion(const pqxx::row& row) {
  RegionRecord r{row[0].as<std::string>(),
                 row[1].as<std::string>(),
                 row[2].as<std::string>(),
                 {},
                 row[3].as<std::int64_t>()};
  const auto codes = row[4].as<std::string>();
  for (std::size_t start = 0; start < codes.size();) {
    const auto comma = codes.find(',', start);
    r.members.push_back(codes.substr(start, comma - start));
    start = comma == std::string::npos ? codes.size() : comma + 1;
  }
  return r;
}

}  // namespace

std::optional<MunicipalityRecord> PgReferenceStore::GetMunicipality(db::Clock::time_point deadline,
                                                                    const std::string& code) {
  std::optional<MunicipalityRecord> record;
  db::RunTransaction(pool_, deadline, kRead, [&](db::Work& tx) {
    const auto rows = tx.exec_prepared("covenants/get_municipality", code);
    record = rows.empty() ? std::nullopt : std::optional(ReadMunicipality(rows[0]));
  });
  return record;
}

std::vector<MunicipalityRecord> PgReferenceStore::ListMunicipalities(db::Clock::time_point deadline,
                                                                     const std::string& after_code,
                                                                     int limit) {
  std::vector<MunicipalityRecord> records;
  db::RunTransaction(pool_, deadline, kRead, [&](db::Work& tx) {
    records.clear();
    for (const auto& row : tx.exec_prepared("covenants/list_municipalities", after_code, limit)) {
      records.push_back(ReadMunicipality(row));
    }
  });
  return records;
}

MunicipalityRecord PgReferenceStore::CreateMunicipality(db::Clock::time_point deadline,
                                                        const audit::AuditContext& audit,
                                                        const MunicipalityInput& input) {
  MunicipalityRecord record;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    const auto rows =
        tx.exec_prepared("covenants/insert_municipality", input.code, input.display_name);
    if (rows.empty()) {
      throw Error(ErrorCode::kAlreadyExists, "MUNICIPALITY_EXISTS",
                  MunicipalityName(input.code) + " already exists");
    }
    record = ReadMunicipality(rows[0]);
    const nlohmann::json change = {{"code", record.code}, {"display_name", record.display_name}};
    audit::AppendEvent(tx, audit, MunicipalityName(record.code), change.dump());
  });
  return record;
}

std::optional<RegionRecord> PgReferenceStore::GetRegion(db::Clock::time_point deadline,
                                                        const std::string& region_id) {
  std::optional<RegionRecord> record;
  db::RunTransaction(pool_, deadline, kRead, [&](db::Work& tx) {
    const auto rows = tx.exec_prepared("covenants/get_region", region_id);
    record = rows.empty() ? std::nullopt : std::optional(ReadRegion(rows[0]));
  });
  return record;
}

std::vector<RegionRecord> PgReferenceStore::ListRegions(db::Clock::time_point deadline,
                                                        const std::string& after_id,
                                                        const std::string& municipality,
                                                        int limit) {
  std::vector<RegionRecord> records;
  db::RunTransaction(pool_, deadline, kRead, [&](db::Work& tx) {
    records.clear();
    for (const auto& row :
         tx.exec_prepared("covenants/list_regions", after_id, municipality, limit)) {
      records.push_back(ReadRegion(row));
    }
  });
  return records;
}

RegionRecord PgReferenceStore::CreateRegion(db::Clock::time_point deadline,
                                            const audit::AuditContext& audit,
                                            const RegionInput& input) {
  RegionRecord record;
  db::RunTransaction(pool_, deadline, [&](db::Work& tx) {
    const auto members = TextArrayLiteral(input.members);
    Validation unknown;
    for (const auto& row : tx.exec_prepared("covenants/list_unknown_municipalities", members)) {
      const auto code = row[0].as<std::string>();
      const auto index =
          std::find(input.members.begin(), input.members.end(), code) - input.members.begin();
      unknown.Add("region.municipalities[" + std::to_string(index) + "]",
                  MunicipalityName(code) + " is not a registered municipality");
    }
    unknown.ThrowIfAny();
    if (tx.exec_prepared("covenants/insert_region", input.region_id, input.display_name, input.lead)
            .empty()) {
      throw Error(ErrorCode::kAlreadyExists, "REGION_EXISTS",
                  RegionName(input.region_id) + " already exists");
    }
    tx.exec_prepared0("covenants/insert_region_members", input.region_id, members);
    record = ReadRegion(tx.exec_prepared1("covenants/get_region", input.region_id));
    const nlohmann::json change = {{"region_id", record.region_id},
                                   {"display_name", record.display_name},
                                   {"municipalities", record.members},
                                   {"lead_municipality", record.lead}};
    audit::AppendEvent(tx, audit, RegionName(record.region_id), change.dump());
  });
  return record;
}

}  // namespace regie::covenants
