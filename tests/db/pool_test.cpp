#include <boost/test/unit_test.hpp>

#include <atomic>
#include <thread>

#include "db/pool.hpp"
#include "db/session.hpp"
#include "db/unit_of_work.hpp"
#include "error.hpp"
#include "pg_cluster.hpp"

namespace regie::db {
namespace {

using testing::PgCluster;

PoolOptions Options(const std::string& dsn, int size, const std::string& name = "regie-pool-test") {
  return {dsn, size, [name](pqxx::connection& c) { SetUpSession(c, name); }};
}

Clock::time_point In(std::chrono::milliseconds ms) { return Clock::now() + ms; }

}  // namespace

BOOST_AUTO_TEST_SUITE(pool)

BOOST_AUTO_TEST_CASE(never_opens_more_than_its_size_under_concurrency) {
  const auto dsn = PgCluster::Shared().CreateMigratedDatabase();
  ConnectionPool pool(Options(dsn, 3, "regie-bounded"));
  std::atomic<int> done{0};
  std::atomic<int> peak_in_database{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) {
        RunTransaction(pool, In(std::chrono::seconds(20)), [&](Work& tx) {
          const int n = tx.exec1(
                              "SELECT count(*) FROM pg_stat_activity "
                              "WHERE application_name = 'regie-bounded'")[0]
                            .as<int>();
          int seen = peak_in_database.load();
          while (n > seen && !peak_in_database.compare_exchange_weak(seen, n)) {
          }
          BOOST_TEST(pool.stats().open <= 3);
        });
        ++done;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  BOOST_TEST(done.load() == 200);
  BOOST_TEST(peak_in_database.load() <= 3);
  BOOST_TEST(peak_in_database.load() >= 1);
  BOOST_TEST(pool.stats().opened_total <= 3u);
}

BOOST_AUTO_TEST_CASE(a_full_pool_answers_resource_exhausted_at_the_deadline) {
  const auto dsn = PgCluster::Shared().CreateMigratedDatabase();
  ConnectionPool pool(Options(dsn, 1));
  {
    auto held = pool.Acquire(In(std::chrono::seconds(5)));
    const auto started = Clock::now();
    BOOST_CHECK_EXCEPTION(
        pool.Acquire(In(std::chrono::milliseconds(100))), Error, [](const Error& e) {
          return e.code() == ErrorCode::kResourceExhausted && e.reason() == "POOL_EXHAUSTED";
        });
    BOOST_TEST((Clock::now() - started >= std::chrono::milliseconds(100)));
    BOOST_TEST(pool.stats().timeouts_total == 1u);
  }
  BOOST_CHECK_NO_THROW(pool.Acquire(In(std::chrono::milliseconds(100))));
}

BOOST_AUTO_TEST_CASE(a_waiter_gets_the_connection_another_returns) {
  const auto dsn = PgCluster::Shared().CreateMigratedDatabase();
  ConnectionPool pool(Options(dsn, 1));
  auto held = std::make_unique<ConnectionPool::Lease>(pool.Acquire(In(std::chrono::seconds(5))));
  std::thread releaser([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    held.reset();
  });
  BOOST_CHECK_NO_THROW(pool.Acquire(In(std::chrono::seconds(5))));
  releaser.join();
}

BOOST_AUTO_TEST_CASE(a_broken_connection_is_discarded_and_replaced) {
  const auto dsn = PgCluster::Shared().CreateMigratedDatabase();
  ConnectionPool pool(Options(dsn, 1));
  int backend = 0;
  RunTransaction(pool, In(std::chrono::seconds(5)),
                 [&](Work& tx) { backend = tx.exec1("SELECT pg_backend_pid()")[0].as<int>(); });
  {
    pqxx::connection admin(dsn);
    pqxx::nontransaction(admin).exec_params("SELECT pg_terminate_backend($1)", backend);
  }
  // The pooled connection died while idle: the unit of work notices, discards it and retries once
  // on a fresh connection.
  int new_backend = 0;
  RunTransaction(pool, In(std::chrono::seconds(5)),
                 [&](Work& tx) { new_backend = tx.exec1("SELECT pg_backend_pid()")[0].as<int>(); });
  BOOST_TEST(new_backend != backend);
  BOOST_TEST(pool.stats().discarded_total == 1u);
  BOOST_TEST(pool.stats().open == 1);
}

BOOST_AUTO_TEST_CASE(when_the_sessions_were_ended_the_next_call_connects_afresh_at_once) {
  const auto dsn = PgCluster::Shared().CreateMigratedDatabase();
  ConnectionPool pool(Options(dsn, 3));
  {
    // Three connections at once, then all idle in the pool.
    auto a = pool.Acquire(In(std::chrono::seconds(5)));
    auto b = pool.Acquire(In(std::chrono::seconds(5)));
    auto c = pool.Acquire(In(std::chrono::seconds(5)));
  }
  BOOST_REQUIRE(pool.stats().idle == 3);
  {
    // As a restart or a failover does: every session of the database ends.
    pqxx::connection admin(dsn);
    pqxx::nontransaction(admin).exec_params(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = $1 AND pid <> pg_backend_pid()",
        admin.dbname());
  }
  // The first call finds a dead connection, drops the other idle ones with it and succeeds on a
  // fresh connection, rather than failing on the second dead one.
  BOOST_CHECK_NO_THROW(
      RunTransaction(pool, In(std::chrono::seconds(5)), [](Work& tx) { tx.exec("SELECT 1"); }));
  BOOST_TEST(pool.stats().discarded_total == 3u);
  BOOST_TEST(pool.stats().open == 1);
}

BOOST_AUTO_TEST_CASE(recovers_by_itself_when_the_database_comes_back) {
  auto& cluster = PgCluster::Shared();
  const auto dsn = cluster.CreateMigratedDatabase();
  ConnectionPool pool(Options(dsn, 2));
  RunTransaction(pool, In(std::chrono::seconds(5)), [](Work& tx) { tx.exec("SELECT 1"); });
  cluster.Stop();
  BOOST_CHECK_THROW(
      RunTransaction(pool, In(std::chrono::seconds(5)), [](Work& tx) { tx.exec("SELECT 1"); }),
      pqxx::broken_connection);
  BOOST_TEST(pool.stats().open == 0);  // nothing broken was kept
  cluster.Start();
  BOOST_CHECK_NO_THROW(
      RunTransaction(pool, In(std::chrono::seconds(5)), [](Work& tx) { tx.exec("SELECT 1"); }));
}

BOOST_AUTO_TEST_CASE(a_standby_pool_hands_out_the_primary_while_unfit_or_unreachable) {
  const auto dsn = PgCluster::Shared().CreateMigratedDatabase();
  ConnectionPool primary(Options(dsn, 2, "regie-primary"));
  std::atomic<bool> fit{false};
  std::atomic<int> unreachable{0};
  auto options = Options(dsn, 2, "regie-standby");  // the same database stands in for a standby
  options.fallback = &primary;
  options.usable = [&] { return fit.load(); };
  options.unreachable = [&] {
    ++unreachable;
    fit = false;
  };
  const auto name_of = [](ConnectionPool& pool) {
    auto lease = pool.Acquire(In(std::chrono::seconds(5)));
    return pqxx::nontransaction(lease.connection())
        .exec1("SELECT current_setting('application_name')")[0]
        .as<std::string>();
  };
  {
    ConnectionPool standby(options);
    BOOST_TEST(name_of(standby) == "regie-primary");  // not measured fit
    fit = true;
    BOOST_TEST(name_of(standby) == "regie-standby");
    BOOST_TEST(unreachable == 0);
    // A connection of the standby breaks: its idle ones are dropped and the primary takes over.
    {
      auto lease = standby.Acquire(In(std::chrono::seconds(5)));
      lease.MarkBroken();
    }
    BOOST_TEST(unreachable == 1);
    BOOST_TEST(standby.stats().open == 0);
    BOOST_TEST(name_of(standby) == "regie-primary");
  }
  // A standby that cannot be reached at all.
  options.dsn = PgCluster::Shared().Dsn("no_such_database");
  ConnectionPool gone(options);
  fit = true;
  BOOST_TEST(name_of(gone) == "regie-primary");
  BOOST_TEST(unreachable == 2);
  BOOST_TEST(!fit);
}

BOOST_AUTO_TEST_CASE(every_named_query_is_prepared_on_connect) {
  const auto dsn = PgCluster::Shared().CreateMigratedDatabase();
  ConnectionPool pool(Options(dsn, 1));
  RunTransaction(pool, In(std::chrono::seconds(5)), [](Work& tx) {
    const int prepared = tx.exec1("SELECT count(*) FROM pg_prepared_statements")[0].as<int>();
    BOOST_TEST(prepared >= 15);
    BOOST_TEST(tx.exec1("SHOW jit")[0].as<std::string>() == "off");
  });
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::db
