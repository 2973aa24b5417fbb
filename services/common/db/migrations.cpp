#include "db/migrations.hpp"

#include <pqxx/pqxx>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "crypto.hpp"
#include "db/embedded_sql.hpp"

namespace regie::db {
namespace {

// Any fixed 64-bit number; "regie-mi" in ASCII.
constexpr long long kMigrationLockKey = 0x72656769652d6d69LL;

Migration MakeMigration(const std::string& file, std::string sql) {
  static const std::regex kPattern(R"(V(\d{4})__([a-z0-9_]+)\.sql)");
  std::smatch match;
  if (!std::regex_match(file, match, kPattern)) {
    throw MigrationError("migration file " + file +
                         " is not named V<4 digits>__<lower_snake_name>.sql");
  }
  Migration m;
  m.version = match[1];
  m.name = match[2];
  m.file = file;
  m.checksum = ToHex(Sha256(sql));
  m.sql = std::move(sql);
  return m;
}

void SortAndCheckUnique(std::vector<Migration>& migrations) {
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (std::size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version == migrations[i - 1].version) {
      throw MigrationError("two migrations have version " + migrations[i].version);
    }
  }
}

struct AppliedMigration {
  std::string file;
  std::string checksum;
};

void EnsureLedger(pqxx::connection& connection) {
  pqxx::nontransaction tx(connection);
  tx.exec0("CREATE SCHEMA IF NOT EXISTS meta");
  tx.exec0(
      "CREATE TABLE IF NOT EXISTS meta.schema_migrations ("
      " version text PRIMARY KEY,"
      " file text NOT NULL,"
      " checksum text NOT NULL,"
      " applied_at timestamptz NOT NULL DEFAULT now())");
}

std::map<std::string, AppliedMigration> ReadLedger(pqxx::connection& connection) {
  std::map<std::string, AppliedMigration> applied;
  pqxx::nontransaction tx(connection);
  const auto exists = tx.exec1("SELECT to_regclass('meta.schema_migrations') IS NOT NULL");
  if (!exists[0].as<bool>()) {
    return applied;
  }
  for (const auto& row : tx.exec("SELECT version, file, checksum FROM meta.schema_migrations")) {
    applied[row[0].as<std::string>()] = {row[1].as<std::string>(), row[2].as<std::string>()};
  }
  return applied;
}

// Throws when the ledger contradicts the migration set.
void CompareLedger(const std::map<std::string, AppliedMigration>& applied,
                   const std::vector<Migration>& migrations) {
  for (const auto& m : migrations) {
    const auto it = applied.find(m.version);
    if (it != applied.end() && it->second.checksum != m.checksum) {
      throw MigrationError("migration " + m.file + " was edited after it was applied (checksum " +
                           m.checksum + ", applied " + it->second.checksum +
                           "); add a new migration instead of editing one");
    }
  }
  for (const auto& [applied_version, row] : applied) {
    const std::string& version = applied_version;  // clang 14 lambdas cannot capture bindings
    const bool known = std::any_of(migrations.begin(), migrations.end(),
                                   [&](const Migration& m) { return m.version == version; });
    if (!known) {
      throw MigrationError("the database has migration " + row.file +
                           ", which this build does not know: it was migrated by newer code");
    }
  }
}

}  // namespace

std::vector<Migration> EmbeddedMigrationSet() {
  std::vector<Migration> migrations;
  for (const auto& file : EmbeddedMigrations()) {
    migrations.push_back(MakeMigration(file.name, file.text));
  }
  SortAndCheckUnique(migrations);
  return migrations;
}

std::vector<Migration> LoadMigrationDirectory(const std::filesystem::path& directory) {
  std::vector<Migration> migrations;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    const auto file = entry.path().filename().string();
    if (!entry.is_regular_file() || file.empty() || file[0] != 'V' ||
        entry.path().extension() != ".sql") {
      continue;
    }
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    migrations.push_back(MakeMigration(file, text.str()));
  }
  SortAndCheckUnique(migrations);
  return migrations;
}

MigrationReport ApplyMigrations(pqxx::connection& connection,
                                const std::vector<Migration>& migrations) {
  {
    pqxx::nontransaction tx(connection);
    tx.exec_params("SELECT pg_advisory_lock($1)", kMigrationLockKey);
  }
  MigrationReport report;
  try {
    EnsureLedger(connection);
    const auto applied = ReadLedger(connection);
    CompareLedger(applied, migrations);
    for (const auto& m : migrations) {
      if (applied.count(m.version) > 0) {
        report.already_applied.push_back(m.file);
        continue;
      }
      pqxx::work tx(connection);
      tx.exec0(m.sql);
      tx.exec_params0(
          "INSERT INTO meta.schema_migrations (version, file, checksum) VALUES ($1, $2, $3)",
          m.version, m.file, m.checksum);
      tx.commit();
      report.applied.push_back(m.file);
    }
  } catch (...) {
    pqxx::nontransaction tx(connection);
    tx.exec_params("SELECT pg_advisory_unlock($1)", kMigrationLockKey);
    throw;
  }
  pqxx::nontransaction tx(connection);
  tx.exec_params("SELECT pg_advisory_unlock($1)", kMigrationLockKey);
  return report;
}

void CheckMigrations(pqxx::connection& connection, const std::vector<Migration>& migrations) {
  const auto applied = ReadLedger(connection);
  CompareLedger(applied, migrations);
  for (const auto& m : migrations) {
    if (applied.count(m.version) == 0) {
      throw MigrationError("migration " + m.file +
                           " has not been applied to this database; run regie-migrate first");
    }
  }
}

}  // namespace regie::db
