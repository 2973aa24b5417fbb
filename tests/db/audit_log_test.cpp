#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include <fstream>
#include <future>
#include <sstream>
#include <thread>

#include "audit/audit_log.hpp"
#include "crypto.hpp"
#include "db/session.hpp"
#include "db/unit_of_work.hpp"
#include "pg_cluster.hpp"
#include "test_pki.hpp"

namespace regie::audit {
namespace {

db::Clock::time_point Deadline() { return db::Clock::now() + std::chrono::seconds(20); }

AuditContext Context(const std::string& request_id) {
  return {"CN=Beheerder,OU=admin,O=regie", "admin",    "regie",
          "/regie.test.v1.Test/Change",    request_id, Sha256(request_id)};
}

struct Fixture {
  Fixture()
      : dsn(testing::PgCluster::Shared().CreateMigratedDatabase()),
        pool({dsn, 6, [](pqxx::connection& c) { db::SetUpSession(c, "regie-audit-test"); }}),
        sealer(pool, SealerOptions{ReadFile(pki.server.key), ReadFile(pki.server.certificate),
                                   std::chrono::milliseconds(0)}) {
    sealer.RegisterSigningKey(Deadline(), Context("start"));
  }

  static std::string ReadFile(const std::filesystem::path& path) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  void Append(const std::string& request_id) {
    db::RunTransaction(pool, Deadline(), [&](db::Work& tx) {
      AppendEvent(tx, Context(request_id), "things/" + request_id, R"({"n": 1})");
    });
  }

  void SealAll() { sealer.SealAll(Deadline()); }

  // What `regie audit verify` does, straight from the database.
  VerifyResult Verify() {
    VerifyResult result;
    db::RunTransaction(
        pool, Deadline(), {.isolation = db::Isolation::kRepeatableRead}, [&](db::Work& tx) {
          const auto state = ReadLogState(tx);
          std::vector<SigningKeyRecord> keys;
          for (const auto& stored : ReadSigningKeys(tx)) {
            keys.push_back(stored.key);
          }
          Verifier verifier(pki.ca().certificate_pem, keys, ReadCheckpoints(tx, 0, 100000));
          for (const auto& entry : ReadEntries(tx, 1, 100000)) {
            verifier.Add(entry);
          }
          result = verifier.Finish(state.sealed_size);
        });
    return result;
  }

  // Changes audit rows as a superuser who switched the append-only triggers off.
  void Tamper(const std::string& sql) {
    pqxx::connection admin(dsn);
    pqxx::work tx(admin);
    tx.exec0("SET LOCAL session_replication_role = replica");
    tx.exec0(sql);
    tx.commit();
  }

  testing::TestPki pki;
  std::string dsn;
  db::ConnectionPool pool;
  Sealer sealer;
};

bool Mentions(const VerifyResult& result, const std::string& part) {
  return result.failure.find(part) != std::string::npos;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(audit_log, Fixture)

BOOST_AUTO_TEST_CASE(an_event_is_not_sealed_while_an_older_transaction_may_still_precede_it) {
  SealAll();
  // An older transaction writes an event and stays open...
  pqxx::connection older(dsn);
  db::SetUpSession(older, "older");
  pqxx::work open(older);
  AppendEvent(open, Context("older"), "things/older", "{}");
  // ...while a younger one commits.
  Append("younger");
  BOOST_TEST(sealer.SealOnce(Deadline()).sealed == 0);
  open.commit();
  BOOST_TEST(sealer.SealOnce(Deadline()).sealed == 2);
  db::RunTransaction(pool, Deadline(), [](db::Work& tx) {
    const auto entries = ReadEntries(tx, 1, 100);
    BOOST_REQUIRE_EQUAL(entries.size(), 3u);  // the signing key registration, then these two
    BOOST_TEST(entries[1].event.request_id == "older");
    BOOST_TEST(entries[2].event.request_id == "younger");
  });
  BOOST_TEST(Verify().ok);
}

BOOST_AUTO_TEST_CASE(sealing_everything_waits_for_a_sealer_running_elsewhere) {
  SealAll();
  Append("committed");
  // Another sealer (a background loop, another process) holds the lock.
  pqxx::connection elsewhere(dsn);
  db::SetUpSession(elsewhere, "elsewhere");
  pqxx::work busy(elsewhere);
  BOOST_REQUIRE(busy.exec_prepared1("audit/try_lock_sealer")[0].as<bool>());
  BOOST_TEST(!sealer.SealOnce(Deadline()).ran);  // the periodic seal gives way
  auto sealing = std::async(std::launch::async, [&] { return sealer.SealAll(Deadline()); });
  BOOST_TEST((sealing.wait_for(std::chrono::milliseconds(300)) == std::future_status::timeout));
  busy.abort();
  const auto result = sealing.get();
  BOOST_TEST(result.ran);
  BOOST_TEST(result.sealed == 1);  // the event committed before the call
  BOOST_TEST(result.checkpointed);
  BOOST_TEST(Verify().ok);
}

BOOST_AUTO_TEST_CASE(the_log_order_is_numeric_across_a_digit_boundary_of_transaction_ids) {
  // Burn transaction ids until the next power of ten is three away, so that the events below get
  // ids on both sides of it (e.g. 9998, 9999, 10000, 10001). A textual sort would put 10000 first.
  pqxx::connection connection(dsn);
  pqxx::nontransaction autocommit(connection);
  const auto next = autocommit.exec1("SELECT pg_current_xact_id()::text")[0].as<std::uint64_t>();
  std::uint64_t boundary = 10;
  while (boundary < next + 10) {
    boundary *= 10;
  }
  autocommit.exec0("DO $$ BEGIN FOR i IN 1.." + std::to_string(boundary - next - 4) +
                   " LOOP PERFORM pg_current_xact_id(); COMMIT; END LOOP; END $$");
  for (int i = 0; i < 4; ++i) {
    Append("around-" + std::to_string(i));
  }
  SealAll();
  db::RunTransaction(pool, Deadline(), [&](db::Work& tx) {
    const auto entries = ReadEntries(tx, 2, 100);
    BOOST_REQUIRE_EQUAL(entries.size(), 4u);
    BOOST_TEST(entries.front().event.txid < boundary);
    BOOST_TEST(entries.back().event.txid >= boundary);
    for (int i = 0; i < 4; ++i) {
      BOOST_TEST(entries[static_cast<std::size_t>(i)].event.request_id ==
                 "around-" + std::to_string(i));
    }
  });
  const auto result = Verify();
  BOOST_TEST(result.ok, result.failure);
}

BOOST_AUTO_TEST_CASE(concurrent_writers_and_a_running_sealer_produce_a_valid_log) {
  std::atomic<bool> writing{true};
  std::thread sealing([&] {
    while (writing) {
      sealer.SealOnce(Deadline());
    }
  });
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0; i < 50; ++i) {
        Append("w" + std::to_string(w) + "-" + std::to_string(i));
      }
    });
  }
  for (auto& t : writers) {
    t.join();
  }
  writing = false;
  sealing.join();
  SealAll();
  const auto result = Verify();
  BOOST_TEST(result.ok, result.failure);
  BOOST_TEST(result.entries == 201);
  BOOST_TEST(result.last_checkpoint_seq == 201);
  db::RunTransaction(pool, Deadline(),
                     [](db::Work& tx) { BOOST_TEST(ReadLogState(tx).pending_events == 0); });
}

BOOST_AUTO_TEST_CASE(many_events_in_one_statement_keep_their_order_and_verify) {
  const std::vector<ResourceChange> changes = {
      {"settlements/b", R"({"n": 1, "text": "quote \" and backslash \\"})"},
      {"settlements/a", R"({"n": 2})"},
      {"settlements/c", R"({"n": 3})"}};
  db::RunTransaction(pool, Deadline(), [&](db::Work& tx) {
    AppendEvents(tx, Context("batch"), changes);
    AppendEvents(tx, Context("batch"), {});  // nothing
  });
  SealAll();
  std::vector<EventRecord> events;
  db::RunTransaction(pool, Deadline(), [&](db::Work& tx) {
    for (const auto& entry : ReadEntries(tx, 1, 100)) {
      if (entry.event.request_id == "batch") {
        events.push_back(entry.event);
      }
    }
  });
  BOOST_REQUIRE_EQUAL(events.size(), 3u);
  for (std::size_t i = 0; i < changes.size(); ++i) {
    BOOST_TEST(events[i].resource == changes[i].resource);
    BOOST_TEST(nlohmann::json::parse(events[i].change_json) ==
               nlohmann::json::parse(changes[i].change_json));
    BOOST_TEST(events[i].actor_subject == Context("batch").actor_subject);
    BOOST_TEST(events[i].request_digest == Context("batch").request_digest);
  }
  BOOST_TEST(events[0].id < events[1].id);
  BOOST_TEST(events[1].id < events[2].id);
  const auto result = Verify();
  BOOST_TEST(result.ok, result.failure);
}

BOOST_AUTO_TEST_CASE(only_one_sealer_runs_at_a_time) {
  Append("a");
  pqxx::connection other(dsn);
  pqxx::work holding(other);
  holding.exec("SELECT pg_advisory_xact_lock(7378848935925524481)");
  const auto result = sealer.SealOnce(Deadline());
  BOOST_TEST(!result.ran);
  BOOST_TEST(result.sealed == 0);
  holding.commit();
  BOOST_TEST(sealer.SealOnce(Deadline()).sealed == 2);
}

BOOST_AUTO_TEST_CASE(the_log_is_append_only_for_ordinary_sessions) {
  Append("a");
  SealAll();
  pqxx::connection connection(dsn);
  BOOST_CHECK_THROW(
      pqxx::nontransaction(connection).exec0("UPDATE audit.events SET resource = 'x'"),
      pqxx::insufficient_privilege);
  BOOST_CHECK_THROW(pqxx::nontransaction(connection).exec0("DELETE FROM audit.chain"),
                    pqxx::insufficient_privilege);
  BOOST_CHECK_THROW(pqxx::nontransaction(connection).exec0("TRUNCATE audit.checkpoints CASCADE"),
                    pqxx::insufficient_privilege);
}

BOOST_AUTO_TEST_CASE(an_updated_event_is_found_and_named) {
  for (int i = 0; i < 5; ++i) {
    Append("r" + std::to_string(i));
  }
  SealAll();
  BOOST_REQUIRE(Verify().ok);
  Tamper("UPDATE audit.events SET actor_subject = 'CN=Someone else' WHERE request_id = 'r2'");
  const auto result = Verify();
  BOOST_TEST(!result.ok);
  BOOST_TEST(result.failed_seq == 4);
  BOOST_TEST(Mentions(result, "seq 4 (event id"), result.failure);
}

BOOST_AUTO_TEST_CASE(an_updated_chain_hash_is_found) {
  Append("a");
  Append("b");
  SealAll();
  Tamper("UPDATE audit.chain SET entry_hash = sha256('x') WHERE seq = 2");
  const auto result = Verify();
  BOOST_TEST(!result.ok);
  BOOST_TEST(result.failed_seq == 2);
}

BOOST_AUTO_TEST_CASE(a_deleted_event_is_found) {
  for (int i = 0; i < 4; ++i) {
    Append("r" + std::to_string(i));
  }
  SealAll();
  Tamper("DELETE FROM audit.events WHERE request_id = 'r1'");
  const auto result = Verify();
  BOOST_TEST(!result.ok);
  BOOST_TEST(result.failed_seq == 4);
  BOOST_TEST(Mentions(result, "deleted"), result.failure);
}

BOOST_AUTO_TEST_CASE(reordered_rows_are_found) {
  for (int i = 0; i < 4; ++i) {
    Append("r" + std::to_string(i));
  }
  SealAll();
  // Swap the events at seq 2 and 3 (through a spare seq, as both columns are unique).
  Tamper(
      "UPDATE audit.chain SET seq = 1000000 WHERE seq = 2;"
      "UPDATE audit.chain SET seq = 2 WHERE seq = 3;"
      "UPDATE audit.chain SET seq = 3 WHERE seq = 1000000");
  const auto result = Verify();
  BOOST_TEST(!result.ok);
  BOOST_TEST(result.failed_seq == 2);
}

BOOST_AUTO_TEST_CASE(a_removed_tail_is_caught_by_the_last_checkpoint) {
  for (int i = 0; i < 3; ++i) {
    Append("r" + std::to_string(i));
  }
  SealAll();
  Tamper("DELETE FROM audit.chain WHERE seq = 4");
  const auto result = Verify();
  BOOST_TEST(!result.ok);
  BOOST_TEST(Mentions(result, "covers more entries"), result.failure);
}

BOOST_AUTO_TEST_CASE(an_altered_checkpoint_is_found) {
  Append("a");
  SealAll();
  Tamper("UPDATE audit.checkpoints SET head_hash = sha256('forged')");
  const auto result = Verify();
  BOOST_TEST(!result.ok);
  BOOST_TEST(Mentions(result, "checkpoint at seq"), result.failure);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::audit
