// regie-migrate: applies the forward-only migrations of sql/migrations to a database.

#include <CLI/CLI.hpp>
#include <pqxx/connection>
#include <pqxx/except>

#include <iostream>

#include "db/migrations.hpp"

int main(int argc, char** argv) {
  std::string database_url;
  std::string directory;
  bool check_only = false;
  CLI::App cli{"regie-migrate: apply Regie's database migrations (forward-only, checksummed)"};
  cli.add_option("--database-url", database_url, "PostgreSQL connection string or URI")
      ->envname("REGIE_DATABASE_URL")
      ->required();
  cli.add_option("--migrations-dir", directory,
                 "read V*.sql from this directory instead of the ones built in");
  cli.add_flag("--check", check_only, "apply nothing; exit 1 unless the database is up to date");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      return cli.exit(e);
    }
    std::cerr << "regie-migrate: " << e.what() << "\n";
    return 2;
  }
  try {
    const auto migrations = directory.empty() ? regie::db::EmbeddedMigrationSet()
                                              : regie::db::LoadMigrationDirectory(directory);
    pqxx::connection connection(database_url);
    if (check_only) {
      regie::db::CheckMigrations(connection, migrations);
      std::cout << "up to date: " << migrations.size() << " migrations applied\n";
      return 0;
    }
    const auto report = regie::db::ApplyMigrations(connection, migrations);
    for (const auto& file : report.applied) {
      std::cout << "applied " << file << "\n";
    }
    std::cout << report.applied.size() << " applied, " << report.already_applied.size()
              << " already applied\n";
    return 0;
  } catch (const regie::db::MigrationError& e) {
    std::cerr << "regie-migrate: " << e.what() << "\n";
    return 1;
  } catch (const pqxx::broken_connection& e) {
    std::cerr << "regie-migrate: cannot reach the database: " << e.what();
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "regie-migrate: " << e.what() << "\n";
    return 1;
  }
}
