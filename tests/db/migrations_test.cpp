#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <fstream>
#include <pqxx/pqxx>
#include <thread>

#include "db/migrations.hpp"
#include "pg_cluster.hpp"

namespace regie::db {
namespace {

using testing::PgCluster;

std::filesystem::path SourceMigrations() {
  return std::filesystem::path(std::getenv("REGIE_SOURCE_DIR")) / "sql" / "migrations";
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(migrations)

BOOST_AUTO_TEST_CASE(the_embedded_set_is_the_source_directory) {
  const auto embedded = EmbeddedMigrationSet();
  const auto on_disk = LoadMigrationDirectory(SourceMigrations());
  BOOST_REQUIRE_EQUAL(embedded.size(), on_disk.size());
  for (std::size_t i = 0; i < embedded.size(); ++i) {
    BOOST_TEST(embedded[i].file == on_disk[i].file);
    BOOST_TEST(embedded[i].checksum == on_disk[i].checksum);
  }
}

BOOST_AUTO_TEST_CASE(applying_twice_applies_nothing_the_second_time) {
  pqxx::connection connection(PgCluster::Shared().CreateDatabase());
  const auto set = EmbeddedMigrationSet();
  const auto first = ApplyMigrations(connection, set);
  BOOST_TEST(first.applied.size() == set.size());
  BOOST_TEST(first.already_applied.empty());
  const auto second = ApplyMigrations(connection, set);
  BOOST_TEST(second.applied.empty());
  BOOST_TEST(second.already_applied.size() == set.size());
  BOOST_CHECK_NO_THROW(CheckMigrations(connection, set));
}

BOOST_AUTO_TEST_CASE(an_edited_migration_is_refused) {
  testing::TempDir dir;
  std::filesystem::copy(SourceMigrations(), dir.path(), std::filesystem::copy_options::recursive);
  pqxx::connection connection(PgCluster::Shared().CreateDatabase());
  ApplyMigrations(connection, LoadMigrationDirectory(dir.path()));

  std::ofstream(dir.path() / "V0001__foundation.sql", std::ios::app) << "\n-- edited later\n";
  const auto edited = LoadMigrationDirectory(dir.path());
  BOOST_CHECK_EXCEPTION(ApplyMigrations(connection, edited), MigrationError,
                        [](const MigrationError& e) {
                          return Contains(e.what(), "V0001__foundation.sql was edited");
                        });
  BOOST_CHECK_EXCEPTION(CheckMigrations(connection, edited), MigrationError,
                        [](const MigrationError& e) { return Contains(e.what(), "edited"); });
}

BOOST_AUTO_TEST_CASE(a_database_migrated_by_newer_code_is_refused) {
  pqxx::connection connection(PgCluster::Shared().CreateMigratedDatabase());
  pqxx::nontransaction(connection)
      .exec0(
          "INSERT INTO meta.schema_migrations (version, file, checksum) "
          "VALUES ('9999', 'V9999__future.sql', 'x')");
  BOOST_CHECK_EXCEPTION(CheckMigrations(connection, EmbeddedMigrationSet()), MigrationError,
                        [](const MigrationError& e) { return Contains(e.what(), "newer code"); });
}

BOOST_AUTO_TEST_CASE(a_pending_migration_stops_a_server_start) {
  pqxx::connection connection(PgCluster::Shared().CreateDatabase());
  BOOST_CHECK_EXCEPTION(
      CheckMigrations(connection, EmbeddedMigrationSet()), MigrationError,
      [](const MigrationError& e) { return Contains(e.what(), "has not been applied"); });
}

BOOST_AUTO_TEST_CASE(concurrent_runs_apply_each_migration_once) {
  const auto dsn = PgCluster::Shared().CreateDatabase();
  const auto set = EmbeddedMigrationSet();
  std::vector<MigrationReport> reports(3);
  std::vector<std::thread> threads;
  for (auto& report : reports) {
    threads.emplace_back([&] {
      pqxx::connection connection(dsn);
      report = ApplyMigrations(connection, set);
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  std::size_t applied = 0;
  for (const auto& report : reports) {
    applied += report.applied.size();
  }
  BOOST_TEST(applied == set.size());
}

BOOST_AUTO_TEST_CASE(badly_named_files_are_refused) {
  testing::TempDir dir;
  std::ofstream(dir.path() / "V1__short.sql") << "SELECT 1;";
  BOOST_CHECK_THROW(LoadMigrationDirectory(dir.path()), MigrationError);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::db
