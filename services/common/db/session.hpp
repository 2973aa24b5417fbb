#pragma once

// What every new pool connection runs before its first use.

#include <pqxx/connection>

#include <string>

namespace regie::db {

// Session settings (application_name, jit off, UTC) and every query of sql/queries prepared by its
// path, e.g. "audit/insert_event". A typo in a query fails here, at start-up, not on first use.
void SetUpSession(pqxx::connection& connection, const std::string& application_name);

}  // namespace regie::db
