#pragma once

// Forward-only schema migrations (sql/migrations/V0001__name.sql, ...).
//
// Applied in version order, each in its own transaction, under a session advisory lock so that two
// processes never apply at once. Each applied migration is recorded in meta.schema_migrations
// with the SHA-256 of its text. A database whose recorded checksum differs from the file is
// refused: a migration that has landed is never edited, a new one is added instead.

#include <pqxx/connection>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace regie::db {

class MigrationError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Migration {
  std::string version;  // "0001"
  std::string name;     // "foundation"
  std::string file;     // "V0001__foundation.sql"
  std::string sql;
  std::string checksum;  // hex SHA-256 of sql
};

// The migrations compiled into this binary.
std::vector<Migration> EmbeddedMigrationSet();

// The V*.sql files of `directory`. Throws MigrationError for a badly named file.
std::vector<Migration> LoadMigrationDirectory(const std::filesystem::path& directory);

struct MigrationReport {
  std::vector<std::string> applied;          // files applied by this call
  std::vector<std::string> already_applied;  // files that were already there
};

// Applies what is missing. Throws MigrationError when an applied migration's checksum differs, or
// when the database has a migration this set does not know (it was built from newer code).
MigrationReport ApplyMigrations(pqxx::connection& connection,
                                const std::vector<Migration>& migrations);

// Start-up check of a server: every migration applied, none edited, none unknown. Throws
// MigrationError with one line saying what is wrong.
void CheckMigrations(pqxx::connection& connection, const std::vector<Migration>& migrations);

}  // namespace regie::db
