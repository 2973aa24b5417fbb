#pragma once

// The SQL files of sql/, compiled into every binary by cmake/embed_sql.cmake.

#include <string>
#include <vector>

namespace regie::db {

struct SqlFile {
  std::string name;  // migrations: "V0001__foundation.sql"; queries: "audit/insert_event"
  std::string text;
};

// sql/migrations/V*.sql, sorted by file name.
const std::vector<SqlFile>& EmbeddedMigrations();

// sql/queries/<area>/<verb>_<noun>.sql, named without the extension, sorted.
const std::vector<SqlFile>& EmbeddedQueries();

}  // namespace regie::db
