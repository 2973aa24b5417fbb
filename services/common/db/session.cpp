#include "db/session.hpp"

#include <pqxx/nontransaction>

#include "db/embedded_sql.hpp"

namespace regie::db {

void SetUpSession(pqxx::connection& connection, const std::string& application_name) {
  {
    pqxx::nontransaction tx(connection);
    tx.exec0("SET jit = off");  // JIT costs tens of milliseconds on small analytic queries
    tx.exec0("SET TIME ZONE 'UTC'");
    tx.exec0("SET application_name = " + tx.quote(application_name));
  }
  for (const auto& query : EmbeddedQueries()) {
    connection.prepare(query.name, query.text);
    connection.prepare_now(query.name);
  }
}

}  // namespace regie::db
