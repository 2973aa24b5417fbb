#pragma once

// Small helpers shared by the in-process end-to-end suites.

#include <chrono>
#include <string>
#include <vector>

#include "pg_cluster.hpp"
#include "regie/providers/v1/providers.pb.h"
#include "regie_client.hpp"
#include "test_server.hpp"

namespace regie::testing {

// Whether `e` has `code` and, when `reason` is not empty, that reason.
bool Refused(const client::RpcError& e, grpc::StatusCode code, const std::string& reason = "");

// Whether `e` is INVALID_ARGUMENT whose first violation names `field`.
bool NamesField(const client::RpcError& e, const std::string& field);

// Whether `part` occurs in `text`.
inline bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The calendar year of `day`.
inline int YearOf(std::chrono::sys_days day) {
  return static_cast<int>(std::chrono::year_month_day(day).year());
}

// Today in the Netherlands by the database's clock, as the server counts days.
std::chrono::sys_days DatabaseToday(const TestServer& server);

// Registers provider `kvk` (the caller's organisation) with one address in 9901 and a contact.
providers::v1::Provider RegisterProvider(client::RegieClient& provider, const std::string& kvk,
                                         const std::string& display_name);

// A published Duinstreek covenant (tests/fixtures) whose term began on 1 January of `start_year`
// and runs until 2099, so that past periods can be reported and settled. Returns its name.
std::string PublishCovenantSince(client::RegieClient& procurement, int start_year);

// A primary and a hot standby of it (pg_basebackup, streaming replication), each a cluster of
// its own, holding one migrated database: what a server with --database-read-url runs against.
struct ReplicatedDatabase {
  PgCluster primary;
  std::string dsn = primary.CreateMigratedDatabase();
  PgCluster standby{PgCluster::StandbyOf{primary}};

  // Points `config` at the primary, and its reads that may lag at the standby.
  void Use(server::AppConfig& config) const {
    config.database_url = dsn;
    config.database_read_url = standby.SameDatabase(dsn);
  }
};

// The connections a TestServer (application name regie-test) holds to `dsn`'s database in
// `cluster` (a standby, say); the replica monitor's own carry no application name.
int ServerSessions(const PgCluster& cluster, const std::string& dsn);

}  // namespace regie::testing
