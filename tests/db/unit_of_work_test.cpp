#include <boost/test/unit_test.hpp>

#include <atomic>
#include <barrier>
#include <thread>

#include "db/pool.hpp"
#include "db/session.hpp"
#include "db/standby_reads.hpp"
#include "db/unit_of_work.hpp"
#include "error.hpp"
#include "pg_cluster.hpp"

namespace regie::db {
namespace {

struct Fixture {
  Fixture()
      : dsn(testing::PgCluster::Shared().CreateMigratedDatabase()),
        pool({dsn, 4, [](pqxx::connection& c) { SetUpSession(c, "regie-uow-test"); }}) {
    RunTransaction(pool, Deadline(), [](Work& tx) {
      tx.exec0("CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)");
      tx.exec0("INSERT INTO counters VALUES (1, 0), (2, 0)");
    });
  }
  static Clock::time_point Deadline() { return Clock::now() + std::chrono::seconds(20); }
  int Count(int id) {
    int n = 0;
    RunTransaction(pool, Deadline(), [&](Work& tx) {
      n = tx.exec_params1("SELECT n FROM counters WHERE id = $1", id)[0].as<int>();
    });
    return n;
  }

  std::string dsn;
  ConnectionPool pool;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(unit_of_work, Fixture)

BOOST_AUTO_TEST_CASE(commits_explicitly_and_rolls_back_on_exception) {
  RunTransaction(pool, Deadline(),
                 [](Work& tx) { tx.exec0("UPDATE counters SET n = 5 WHERE id = 1"); });
  BOOST_TEST(Count(1) == 5);
  BOOST_CHECK_THROW(RunTransaction(pool, Deadline(),
                                   [](Work& tx) {
                                     tx.exec0("UPDATE counters SET n = 99 WHERE id = 1");
                                     throw Error::FailedPrecondition("NOPE", "refused");
                                   }),
                    Error);
  BOOST_TEST(Count(1) == 5);
}

BOOST_AUTO_TEST_CASE(serialization_failures_are_retried) {
  std::barrier both_read(2);
  std::atomic<int> attempts{0};
  auto increment = [&] {
    RunTransaction(pool, Deadline(), {.isolation = Isolation::kSerializable}, [&](Work& tx) {
      const int attempt = ++attempts;
      const int n = tx.exec1("SELECT n FROM counters WHERE id = 1")[0].as<int>();
      if (attempt <= 2) {
        both_read.arrive_and_wait();  // both first tries read the same value
      }
      tx.exec_params0("UPDATE counters SET n = $1 WHERE id = 1", n + 1);
    });
  };
  std::thread a(increment);
  std::thread b(increment);
  a.join();
  b.join();
  BOOST_TEST(Count(1) == 2);         // no lost update
  BOOST_TEST(attempts.load() == 3);  // one of the two was retried once
}

BOOST_AUTO_TEST_CASE(deadlocks_are_retried) {
  std::barrier both_locked(2);
  std::atomic<int> attempts{0};
  auto lock_in_order = [&](int first, int second) {
    RunTransaction(pool, Deadline(), [&](Work& tx) {
      const int attempt = ++attempts;
      tx.exec_params0("UPDATE counters SET n = n + 1 WHERE id = $1", first);
      if (attempt <= 2) {
        both_locked.arrive_and_wait();
      }
      tx.exec_params0("UPDATE counters SET n = n + 1 WHERE id = $1", second);
    });
  };
  std::thread a(lock_in_order, 1, 2);
  std::thread b(lock_in_order, 2, 1);
  a.join();
  b.join();
  BOOST_TEST(Count(1) == 2);
  BOOST_TEST(Count(2) == 2);
  BOOST_TEST(attempts.load() == 3);
}

BOOST_AUTO_TEST_CASE(gives_up_after_the_bounded_number_of_attempts) {
  int attempts = 0;
  BOOST_CHECK_THROW(RunTransaction(pool, Deadline(), {.max_attempts = 3},
                                   [&](Work&) {
                                     ++attempts;
                                     throw pqxx::serialization_failure("simulated 40001");
                                   }),
                    pqxx::serialization_failure);
  BOOST_TEST(attempts == 3);
}

BOOST_AUTO_TEST_CASE(other_errors_are_not_retried) {
  int attempts = 0;
  BOOST_CHECK_THROW(RunTransaction(pool, Deadline(),
                                   [&](Work& tx) {
                                     ++attempts;
                                     tx.exec0("INSERT INTO counters VALUES (1, 0)");
                                   }),
                    pqxx::unique_violation);
  BOOST_TEST(attempts == 1);
}

BOOST_AUTO_TEST_CASE(statement_timeout_follows_the_deadline) {
  const auto started = Clock::now();
  try {
    RunTransaction(pool, Clock::now() + std::chrono::milliseconds(300),
                   [](Work& tx) { tx.exec0("SELECT pg_sleep(10)"); });
    BOOST_FAIL("the statement should have been cancelled");
  } catch (const pqxx::sql_error& e) {
    BOOST_TEST(e.sqlstate() == "57014");
  }
  BOOST_TEST((Clock::now() - started < std::chrono::seconds(5)));
}

// The session's statement_timeout never exceeds the time left, and is changed (one round trip)
// only when it must: a rolled-back change is forgotten with the transaction.
BOOST_AUTO_TEST_CASE(the_session_timeout_changes_only_when_it_must) {
  ConnectionPool one({dsn, 1, [](pqxx::connection& c) { SetUpSession(c, "regie-uow-test"); }});
  auto timeout_in = [&](std::chrono::milliseconds left) {
    long ms = 0;
    RunTransaction(one, Clock::now() + left, [&](Work& tx) {
      ms = tx.exec1("SELECT setting::bigint FROM pg_settings WHERE name = 'statement_timeout'")[0]
               .as<long>();
    });
    return ms;
  };
  const auto first = timeout_in(std::chrono::seconds(20));
  BOOST_TEST(first <= 20000);
  BOOST_TEST(first > 19000);
  BOOST_TEST(timeout_in(std::chrono::seconds(25)) == first);  // within the time left: kept
  const auto shorter = timeout_in(std::chrono::seconds(2));
  BOOST_TEST(shorter <= 2000);
  BOOST_TEST(timeout_in(std::chrono::seconds(3)) == shorter);  // over half of it: kept
  BOOST_TEST(timeout_in(std::chrono::seconds(20)) > 19000);    // far under it: raised
  BOOST_CHECK_THROW(RunTransaction(one, Clock::now() + std::chrono::seconds(1),
                                   [](Work&) { throw Error::FailedPrecondition("NOPE", "no"); }),
                    Error);
  BOOST_TEST(timeout_in(std::chrono::seconds(20)) > 19000);  // the rolled-back SET is gone
}

BOOST_AUTO_TEST_CASE(each_transaction_has_the_isolation_and_access_asked_for) {
  auto settings = [&](const WorkOptions& options) {
    std::string isolation, read_only;
    RunTransaction(pool, Deadline(), options, [&](Work& tx) {
      isolation = tx.exec1("SHOW transaction_isolation")[0].as<std::string>();
      read_only = tx.exec1("SHOW transaction_read_only")[0].as<std::string>();
    });
    return isolation + "/" + read_only;
  };
  BOOST_TEST(settings({}) == "read committed/off");
  BOOST_TEST(settings({.read_only = true}) == "read committed/on");
  BOOST_TEST(settings({.isolation = Isolation::kRepeatableRead, .read_only = true}) ==
             "repeatable read/on");
  BOOST_TEST(settings({.isolation = Isolation::kSerializable}) == "serializable/off");
}

// Without BEGIN the statement starts its own transaction: the transaction starts when the
// statement does. With BEGIN it started a round trip earlier.
BOOST_AUTO_TEST_CASE(a_single_statement_is_its_own_transaction) {
  const auto own_transaction = [&](const WorkOptions& options) {
    bool own = false;
    RunTransaction(pool, Deadline(), options, [&](Work& tx) {
      own = tx.exec1(
                  "SELECT xact_start = query_start FROM pg_stat_activity "
                  "WHERE pid = pg_backend_pid()")[0]
                .as<bool>();
    });
    return own;
  };
  BOOST_TEST(own_transaction({.single_statement = true}));
  BOOST_TEST(own_transaction({.read_only = true, .single_statement = true}));
  BOOST_TEST(!own_transaction({}));

  RunTransaction(pool, Deadline(), {.single_statement = true},
                 [](Work& tx) { tx.exec0("UPDATE counters SET n = 7 WHERE id = 2"); });
  BOOST_TEST(Count(2) == 7);  // committed without COMMIT
}

BOOST_AUTO_TEST_CASE(a_text_array_reads_as_its_elements) {
  std::vector<std::string> texts;
  RunTransaction(pool, Deadline(), {.single_statement = true}, [&](Work& tx) {
    texts = TextsOf(tx.exec1("SELECT ARRAY['a', 'b,c', 'd\"e', NULL, '']::text[]")[0]);
  });
  BOOST_TEST((texts == std::vector<std::string>{"a", "b,c", "d\"e", "", ""}));
  RunTransaction(pool, Deadline(), {.single_statement = true},
                 [&](Work& tx) { texts = TextsOf(tx.exec1("SELECT '{}'::text[]")[0]); });
  BOOST_TEST(texts.empty());
}

BOOST_AUTO_TEST_CASE(a_bytea_array_passes_its_elements_as_they_are) {
  const std::vector<std::string> elements = {std::string("a\0b", 3), "", "{\"\\x00,}",
                                             std::string(100'000, '\xff')};
  RunTransaction(pool, Deadline(), {.single_statement = true}, [&](Work& tx) {
    const auto rows =
        tx.exec_params("SELECT e FROM unnest($1::bytea[]) WITH ORDINALITY AS u (e, i) ORDER BY i",
                       ByteaArray(elements));
    BOOST_TEST_REQUIRE(rows.size() == elements.size());
    for (std::size_t i = 0; i < elements.size(); ++i) {
      BOOST_TEST(BytesOf(rows[static_cast<int>(i)][0]) == elements[i]);
    }
  });
  RunTransaction(pool, Deadline(), {.single_statement = true}, [&](Work& tx) {
    const auto row = tx.exec_params1("SELECT cardinality($1::bytea[])", ByteaArray({}));
    BOOST_TEST(row[0].as<int>() == 0);
  });
}

BOOST_AUTO_TEST_CASE(a_passed_deadline_runs_nothing) {
  bool ran = false;
  BOOST_CHECK_EXCEPTION(
      RunTransaction(pool, Clock::now() - std::chrono::milliseconds(1), [&](Work&) { ran = true; }),
      Error, [](const Error& e) { return e.code() == ErrorCode::kDeadlineExceeded; });
  BOOST_TEST(!ran);
}

BOOST_AUTO_TEST_CASE(read_only_work_cannot_write) {
  BOOST_CHECK_THROW(RunTransaction(pool, Deadline(), {.read_only = true},
                                   [](Work& tx) { tx.exec0("UPDATE counters SET n = 1"); }),
                    pqxx::sql_error);
  BOOST_TEST(Count(1) == 0);
}

// Two databases stand in for a primary and its standby: current_database() tells which served.
BOOST_AUTO_TEST_CASE(a_read_only_callers_read_only_transactions_go_to_the_standby_pool) {
  const auto standby_dsn = testing::PgCluster::Shared().CreateMigratedDatabase();
  ConnectionPool standby({standby_dsn, 2, [](pqxx::connection& c) { SetUpSession(c, "regie"); }});
  const std::string primary_name = pqxx::connection(dsn).dbname();
  const std::string standby_name = pqxx::connection(standby_dsn).dbname();
  const auto served_by = [&](ConnectionPool& on, const WorkOptions& options) {
    std::string name;
    RunTransaction(on, Deadline(), options, [&](Work& tx) {
      name = tx.exec1("SELECT current_database()")[0].as<std::string>();
    });
    return name;
  };
  const WorkOptions read{.read_only = true};
  const WorkOptions write{};
  const WorkOptions serializable_read{.isolation = Isolation::kSerializable, .read_only = true};
  const WorkOptions repeatable_read{.isolation = Isolation::kRepeatableRead, .read_only = true};

  StandbyReads reads(pool, standby);
  BOOST_TEST(served_by(pool, read) == primary_name);  // no scope: nothing moves
  {
    const StandbyReads::Scope scope(reads);
    BOOST_TEST(served_by(pool, read) == standby_name);
    BOOST_TEST(served_by(pool, repeatable_read) == standby_name);
    // A hot standby refuses read-write and serializable transactions: they stay, counted.
    BOOST_TEST(served_by(pool, write) == primary_name);
    BOOST_TEST(served_by(pool, serializable_read) == primary_name);
    // A store that already reads the standby's pool keeps it; only the primary's pool is routed.
    BOOST_TEST(served_by(standby, read) == standby_name);
    // The scope is the calling thread's: another thread's call is not routed.
    std::string other;
    std::thread([&] { other = served_by(pool, read); }).join();
    BOOST_TEST(other == primary_name);
  }
  BOOST_TEST(served_by(pool, read) == primary_name);
  BOOST_TEST(reads.routed_total() == 2u);
  BOOST_TEST(reads.kept_on_primary_total() == 2u);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::db
