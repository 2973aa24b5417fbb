#include "pg_cluster.hpp"

#include <unistd.h>

#include <pqxx/pqxx>

#include <chrono>
#include <stdexcept>
#include <thread>

#include "db/migrations.hpp"

namespace regie::testing {
namespace {

const std::string kPgBin = "/usr/lib/postgresql/15/bin/";

// As root, PostgreSQL's programs run as the postgres user.
std::vector<std::string> AsPostgres(std::vector<std::string> args) {
  if (::geteuid() == 0) {
    args.insert(args.begin(), {"runuser", "-u", "postgres", "--"});
  }
  return args;
}

void RunOrThrow(const std::vector<std::string>& args, const std::string& what) {
  const auto result = Run(AsPostgres(args));
  if (result.exit_code != 0) {
    throw std::runtime_error(what + " failed: " + result.err + result.out);
  }
}

}  // namespace

PgCluster::PgCluster() : data_(dir_.path() / "data"), socket_dir_(dir_.path()) {
  if (::geteuid() == 0) {
    Run({"chown", "postgres:", dir_.path().string()});
  }
  RunOrThrow({kPgBin + "initdb", "-D", data_.string(), "-U", "postgres", "--auth=trust",
              "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"},
             "initdb");
  Start();
}

PgCluster::PgCluster(StandbyOf standby) : data_(dir_.path() / "data"), socket_dir_(dir_.path()) {
  if (::geteuid() == 0) {
    Run({"chown", "postgres:", dir_.path().string()});
  }
  // -R writes standby.signal and the primary's connection string: the copy starts as a standby.
  RunOrThrow({kPgBin + "pg_basebackup", "-D", data_.string(), "-R", "-X", "stream", "--no-sync",
              "--checkpoint=fast", "-d", standby.primary.Dsn()},
             "pg_basebackup");
  Start();
}

PgCluster::~PgCluster() {
  try {
    Stop();
  } catch (...) {
  }
}

PgCluster& PgCluster::Shared() {
  static PgCluster cluster;
  return cluster;
}

void PgCluster::Start() {
  RunOrThrow(
      {kPgBin + "pg_ctl", "-D", data_.string(), "-l", (dir_.path() / "log").string(), "-w", "-o",
       "-c listen_addresses='' -k " + socket_dir_.string() + " -p " + std::to_string(port_) +
           " -c fsync=off -c max_connections=200",
       "start"},
      "pg_ctl start");
}

void PgCluster::Stop() {
  RunOrThrow({kPgBin + "pg_ctl", "-D", data_.string(), "-m", "immediate", "-w", "stop"},
             "pg_ctl stop");
}

void PgCluster::MakeStandbysSynchronous() {
  pqxx::connection admin(Dsn());
  pqxx::nontransaction tx(admin);
  tx.exec0("ALTER SYSTEM SET synchronous_standby_names = '*'");
  tx.exec0("ALTER SYSTEM SET synchronous_commit = 'remote_apply'");
  tx.exec("SELECT pg_reload_conf()");
  for (int i = 0; i < 300; ++i) {
    if (tx.exec1("SELECT count(*) FROM pg_stat_replication WHERE sync_state = 'sync'")[0]
            .as<int>() > 0) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  throw std::runtime_error("no standby became synchronous within 30 s");
}

std::string PgCluster::Dsn(const std::string& database) const {
  return "host=" + socket_dir_.string() + " port=" + std::to_string(port_) +
         " user=postgres dbname=" + database;
}

std::string PgCluster::SameDatabase(const std::string& dsn) const {
  const auto at = dsn.find("dbname=");
  return Dsn(at == std::string::npos ? "postgres" : dsn.substr(at + 7, dsn.find(' ', at) - at - 7));
}

std::string PgCluster::CreateDatabase() {
  const std::string name =
      "test_" + std::to_string(::getpid()) + "_" + std::to_string(++databases_);
  pqxx::connection admin(Dsn());
  pqxx::nontransaction tx(admin);
  tx.exec0("CREATE DATABASE " + tx.quote_name(name));
  return Dsn(name);
}

std::string PgCluster::CreateMigratedDatabase() {
  const auto dsn = CreateDatabase();
  pqxx::connection connection(dsn);
  db::ApplyMigrations(connection, db::EmbeddedMigrationSet());
  return dsn;
}

}  // namespace regie::testing
