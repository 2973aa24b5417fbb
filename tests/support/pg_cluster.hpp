#pragma once

// A throwaway PostgreSQL 15 cluster for tests: initdb in a temporary directory, listening only on
// a Unix socket there, fsync off. As root it runs as the postgres system user (PostgreSQL refuses
// to run as root). One per test process; each test creates its own database.

#include <filesystem>
#include <string>

#include "subprocess.hpp"

namespace regie::testing {

class PgCluster {
 public:
  PgCluster();
  // A hot standby of `primary`: pg_basebackup of it, then streaming replication from it.
  struct StandbyOf {
    const PgCluster& primary;
  };
  explicit PgCluster(StandbyOf standby);
  ~PgCluster();
  PgCluster(const PgCluster&) = delete;
  PgCluster& operator=(const PgCluster&) = delete;

  // The cluster of this test process, started on first use.
  static PgCluster& Shared();

  // Connection string for `database` as the superuser.
  std::string Dsn(const std::string& database = "postgres") const;
  // The same database as `dsn` (of any cluster), in this cluster.
  std::string SameDatabase(const std::string& dsn) const;

  // Creates a new, empty database with a unique name and returns its connection string.
  std::string CreateDatabase();

  // Same, with every migration applied.
  std::string CreateMigratedDatabase();

  void Stop();
  void Start();

  // From now on a commit returns only once a standby has applied it (synchronous_standby_names
  // '*', synchronous_commit remote_apply), so that a read on the standby sees every write that
  // was acknowledged. Waits until a standby is streaming synchronously; a commit with none stalls.
  void MakeStandbysSynchronous();

 private:
  TempDir dir_;
  std::filesystem::path data_;
  std::filesystem::path socket_dir_;
  int port_ = 5432;
  int databases_ = 0;
};

}  // namespace regie::testing
