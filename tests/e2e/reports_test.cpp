// Accountability reports over gRPC: signed submissions read back and verified, idempotent retries
// (concurrent ones too), the streamed upload, refusals that name the field and store nothing, the
// BSN check, corrections that supersede, review, tampering found by the signature, and who may
// submit and read what.

#include <boost/test/unit_test.hpp>

#include <google/protobuf/util/message_differencer.h>

#include <array>
#include <map>
#include <mutex>
#include <pqxx/pqxx>
#include <set>
#include <thread>

#include "accepted_reports.hpp"
#include "auth/pki.hpp"
#include "crypto.hpp"
#include "db/pool.hpp"
#include "db/session.hpp"
#include "deadlines.hpp"
#include "e2e_helpers.hpp"
#include "fixtures.hpp"
#include "report_rules.hpp"
#include "report_signing.hpp"
#include "reports_store.hpp"
#include "test_server.hpp"

namespace regie::testing {
namespace {

using client::RegieClient;
using client::RpcError;
using std::chrono::days;
using std::chrono::sys_days;
namespace v1 = reports::v1;
using Reports = v1::ReportService::Stub;

std::string ReadFile(const std::filesystem::path& path) {
  return client::ReadTextFile(path, "test key");
}

v1::ReportLine Line(const std::string& municipality, const std::string& lot, std::int64_t amount) {
  v1::ReportLine line;
  line.set_municipality("municipalities/" + municipality);
  line.set_lot_id(lot);
  line.set_clients_in_care(40);
  line.set_inflow(12);
  line.set_outflow(10);
  line.set_unilateral_endings(1);
  line.set_median_waiting_days(18);
  line.set_complaints(1);
  if (lot == "P1") {
    auto* a = line.add_amounts();
    a->set_product_code("45A48");
    a->set_amount_eurocents(amount);
  }
  auto* i = line.add_indicators();
  i->set_indicator("indicators/nji-drop-out");
  i->set_numerator(3);
  i->set_denominator(25);
  return line;
}

struct World {
  TestPki pki;
  TestServer server{pki};
  RegieClient admin{server.Client(pki.admin)};
  RegieClient inkoop{server.Client(pki.procurement)};
  RegieClient provider{server.Client(pki.provider)};
  RegieClient auditor{server.Client(pki.auditor)};
  std::string provider_key = ReadFile(pki.provider.key);
  sys_days today = DatabaseToday(server);
  int last_year = YearOf(today) - 1;
  std::string covenant;

  World() {
    LoadDuinstreekReferenceData(admin);
    covenant = PublishCovenantSince(inkoop, last_year);
    RegisterProvider(provider, "12345678", "Jeugdzorg Duinstreek");
    AdmitInThePast(server.dsn(), CovenantId(), "12345678", {"P1", "P4"},
                   sys_days(std::chrono::year(last_year) / 1 / 1));
  }
  std::string CovenantId() const { return covenant.substr(covenant.find('/') + 1); }
  std::string Quarter(int q) const { return std::to_string(last_year) + "-Q" + std::to_string(q); }
  std::string ReportOf(int q) const {
    return covenant + "/reports/12345678-" + std::to_string(last_year) + "-q" + std::to_string(q);
  }

  // Last year's quarter `q`: P1 in 9901 and 9902, P4 in 9903.
  v1::ReportContent Content(int q, std::int64_t amount = 1'560'000) const {
    v1::ReportContent c;
    c.set_covenant(covenant);
    c.set_provider("providers/12345678");
    c.set_kind(v1::QUARTERLY);
    c.set_period(Quarter(q));
    *c.add_lines() = Line("9902", "P1", amount);
    *c.add_lines() = Line("9901", "P1", amount);
    *c.add_lines() = Line("9903", "P4", 0);
    c.mutable_signals()->set_waiting_list(true);
    c.mutable_signals()->set_note("Waiting list for dyslexia care in Zeewijk.");
    c.set_remarks("Quarter without particulars.");
    return c;
  }
  v1::SubmitReportRequest Signed(const v1::ReportContent& content,
                                 const std::string& request_id) const {
    v1::SubmitReportRequest request;
    *request.mutable_content() = content;
    request.set_signature(reports::SignReport(provider_key, content));
    request.set_request_id(request_id);
    return request;
  }
  v1::Report Submit(const v1::ReportContent& content, const std::string& request_id) {
    return provider.Unary(&Reports::SubmitReport, Signed(content, request_id));
  }
  v1::Report Review(const std::string& name, int version,
                    v1::ReviewReportRequest::Decision decision, const std::string& reason = "") {
    v1::ReviewReportRequest request;
    request.set_name(name);
    request.set_version(version);
    request.set_decision(decision);
    request.set_reason(reason);
    return inkoop.Unary(&Reports::ReviewReport, request);
  }
  v1::Report Get(RegieClient& client, const std::string& name, int version = 0) {
    v1::GetReportRequest request;
    request.set_name(name);
    request.set_version(version);
    return client.Unary(&Reports::GetReport, request);
  }
  int Count(const std::string& sql) const {
    pqxx::connection connection(server.dsn());
    return pqxx::nontransaction(connection).exec1(sql)[0].as<int>();
  }
  int StoredVersions() const { return Count("SELECT count(*) FROM reports.reports"); }
  // For a store of the test's own beside the server's, on the server's database.
  db::PoolOptions StorePoolOptions() const {
    return {.dsn = server.dsn(), .max_size = 2, .on_connect = [](pqxx::connection& c) {
              db::SetUpSession(c, "regie-store-test");
            }};
  }
  int AuditEvents(const std::string& resource) const {
    return Count("SELECT count(*) FROM audit.events WHERE resource = '" + resource + "'");
  }
};

bool Same(const google::protobuf::Message& a, const google::protobuf::Message& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

// A report version stored and reviewed with SQL, as ReviewReport leaves it: a provider's quarter
// with a line per (municipality, lot) in `cells`, its counts made from `seed`, and two amounts on
// each P1 line.
struct StoredVersion {
  std::string kvk;
  int quarter = 1;
  int version = 1;
  std::vector<std::pair<std::string, std::string>> cells;
  int seed = 0;
};

std::string ReportIdOf(const StoredVersion& v, int year) {
  return v.kvk + "-" + std::to_string(year) + "-q" + std::to_string(v.quarter);
}

void StoreVersion(const std::string& dsn, const std::string& covenant_id, int year,
                  const StoredVersion& v) {
  pqxx::connection connection(dsn);
  pqxx::work tx(connection);
  const auto report_id = ReportIdOf(v, year);
  tx.exec_params0(
      "INSERT INTO reports.reports (covenant_id, report_id, version, provider_kvk, kind, "
      "period_start, period_end, state) "
      "SELECT $1, $2, $3, $4, 'QUARTERLY', d, (d + interval '3 months' - interval '1 day')::date, "
      "'SUBMITTED' FROM make_date($5, $6 * 3 - 2, 1) d",
      covenant_id, report_id, v.version, v.kvk, year, v.quarter);
  int n = v.seed;
  for (const auto& [municipality, lot] : v.cells) {
    ++n;
    tx.exec_params0(
        "INSERT INTO reports.count_lines VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 20, $10, $11)",
        covenant_id, report_id, v.version, municipality, lot, n * 7 % 50 + 1, n % 5, n % 4, n % 2,
        n % 3, n % 2 == 0 ? 0 : 1);
    if (lot == "P1") {
      for (const auto* product : {"45A48", "45A49"}) {
        tx.exec_params0("INSERT INTO reports.amount_lines VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        covenant_id, report_id, v.version, municipality, lot, product,
                        100'000 * n + (product[4] == '9' ? 1 : 0));
      }
    }
  }
  tx.commit();
}

// Sets the state of a stored version and brings the accepted figures up to date, as ReviewReport
// does.
void Decide(const std::string& dsn, const std::string& covenant_id, int year,
            const StoredVersion& v, const std::string& state) {
  pqxx::connection connection(dsn);
  pqxx::work tx(connection);
  const auto report_id = ReportIdOf(v, year);
  tx.exec_params0(
      "UPDATE reports.reports SET state = $4, reviewed_at = now() "
      "WHERE covenant_id = $1 AND report_id = $2 AND version = $3",
      covenant_id, report_id, v.version, state);
  tx.exec_params("SELECT reports.refresh_accepted_versions($1, $2)", covenant_id, report_id);
  tx.commit();
}

// The rows of a query as text, sorted.
std::string Rows(const pqxx::result& result) {
  std::vector<std::string> rows;
  for (const auto& row : result) {
    std::string text;
    for (const auto& field : row) {
      text += (field.is_null() ? "null" : field.c_str()) + std::string("|");
    }
    rows.push_back(text);
  }
  std::sort(rows.begin(), rows.end());
  std::string all;
  for (const auto& r : rows) {
    all += r + "\n";
  }
  return all;
}

// Asks both aggregate queries every combination of dimensions and filters and requires the same
// rows: the sums kept on write against the sums of the lines.
void RequireSumsEqualTheLines(const std::string& dsn, const std::string& covenant_id, int year) {
  pqxx::connection connection(dsn);
  db::SetUpSession(connection, "regie-sums-test");
  pqxx::nontransaction tx(connection);
  const std::vector<std::pair<std::string, std::string>> dimensions = {{"", ""},
                                                                       {"LOT", ""},
                                                                       {"MUNICIPALITY", ""},
                                                                       {"PERIOD", ""},
                                                                       {"LOT", "MUNICIPALITY"},
                                                                       {"PERIOD", "LOT"},
                                                                       {"MUNICIPALITY", "PERIOD"}};
  const auto y = std::to_string(year);
  const std::vector<std::pair<std::string, std::string>> periods = {
      {"", ""}, {y + "-01-01", y + "-12-31"}, {y + "-04-01", y + "-06-30"}};
  for (const auto& [d1, d2] : dimensions) {
    for (const auto& [start, end] : periods) {
      for (const std::string lot : {"", "P1"}) {
        for (const std::string municipality : {"", "9901"}) {
          for (const std::string scope : {"", "{9901,9902}"}) {
            BOOST_TEST_CONTEXT(d1 << " x " << d2 << ", " << start << ".." << end << ", lot " << lot
                                  << ", municipality " << municipality << ", scope " << scope) {
              const auto kept =
                  tx.exec_prepared("reports/aggregate_sums", covenant_id, lot, municipality, start,
                                   end, "QUARTERLY", d1, d2, scope);
              const auto lines =
                  tx.exec_prepared("reports/aggregate_line_sums", covenant_id, "", lot,
                                   municipality, start, end, "QUARTERLY", d1, d2, scope);
              BOOST_TEST(Rows(kept) == Rows(lines));
            }
          }
        }
      }
    }
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(server_reports)

BOOST_AUTO_TEST_CASE(a_signed_quarter_is_stored_and_read_back_as_sent) {
  World w;
  const auto content = w.Content(2);
  const auto stored = w.Submit(content, "q2-first");
  BOOST_TEST(stored.name() == w.ReportOf(2));
  BOOST_TEST(stored.version() == 1);
  BOOST_TEST(stored.state() == v1::Report::SUBMITTED);
  BOOST_TEST(!stored.superseded());
  BOOST_TEST(Same(stored.content(), reports::Canonical(content)));
  BOOST_TEST(stored.due_date().year() == w.last_year);
  BOOST_TEST(stored.due_date().month() == 7);
  BOOST_TEST(stored.due_date().day() == 30);
  BOOST_TEST(stored.late());  // last year's Q2 was due on 30 July last year
  BOOST_TEST(stored.submitted_by().find("OU=provider") != std::string::npos);
  BOOST_TEST(stored.signer_fingerprint().size() == 32u);
  BOOST_TEST(reports::VerifyReportSignature(stored.signer_certificate(), stored.content(),
                                            stored.signature()));
  BOOST_TEST(Same(w.Get(w.provider, stored.name()), stored));
  BOOST_TEST(Same(w.Get(w.auditor, stored.name(), 1), stored));
  BOOST_TEST(w.AuditEvents(stored.name()) == 1);
}

BOOST_AUTO_TEST_CASE(a_retry_returns_the_first_answer_and_stores_nothing_twice) {
  World w;
  const auto first = w.Submit(w.Content(2), "retry-1");
  const auto again = w.Submit(w.Content(2), "retry-1");
  BOOST_TEST(Same(first, again));
  BOOST_TEST(w.StoredVersions() == 1);
  try {
    w.Submit(w.Content(2, 999), "retry-1");
    BOOST_FAIL("a request id was reused for other content");
  } catch (const RpcError& e) {
    BOOST_TEST(Refused(e, grpc::ALREADY_EXISTS, "REQUEST_ID_REUSED"));
  }
  BOOST_TEST(w.StoredVersions() == 1);
  BOOST_TEST(w.AuditEvents(first.name()) == 1);
}

BOOST_AUTO_TEST_CASE(concurrent_retries_store_one_version) {
  World w;
  const auto request = w.Signed(w.Content(3), "concurrent-1");
  std::vector<v1::Report> answers(6);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    threads.emplace_back([&, i] {
      auto client = w.server.Client(w.pki.provider);
      answers[i] = client.Unary(&Reports::SubmitReport, request);
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  for (const auto& answer : answers) {
    BOOST_TEST(answer.version() == 1);
    BOOST_TEST(Same(answer, answers.front()));
  }
  BOOST_TEST(w.StoredVersions() == 1);
  BOOST_TEST(w.AuditEvents(w.ReportOf(3)) == 1);
}

// Corrections of one report that arrive together are numbered one after another under the
// report's lock: each numbers its version after the lock is granted, in a snapshot that holds the
// versions committed meanwhile (docs/adr/0017).
BOOST_AUTO_TEST_CASE(concurrent_corrections_of_one_report_get_one_version_each) {
  World w;
  constexpr int kCorrections = 6;
  std::vector<v1::Report> answers(kCorrections);
  std::vector<std::string> errors(kCorrections);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCorrections; ++i) {
    threads.emplace_back([&, i] {
      const auto at = static_cast<std::size_t>(i);
      try {
        auto client = w.server.Client(w.pki.provider);
        answers[at] =
            client.Unary(&Reports::SubmitReport,
                         w.Signed(w.Content(3, 1'000'000 + i), "correction-" + std::to_string(i)));
      } catch (const std::exception& e) {
        errors[at] = e.what();  // without the lock, the primary key refuses a version twice
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  for (const auto& error : errors) {
    BOOST_TEST(error.empty(), error);
  }
  std::set<int> versions;
  for (const auto& answer : answers) {
    versions.insert(answer.version());
  }
  BOOST_TEST((versions == std::set<int>{1, 2, 3, 4, 5, 6}));
  BOOST_TEST(w.StoredVersions() == kCorrections);
  BOOST_TEST(w.AuditEvents(w.ReportOf(3)) == kCorrections);
}

// Submissions that arrive while the store's writers are busy are stored by one statement, and
// so in one transaction, each with its lines and its audit event; a report never comes twice into
// one statement (docs/adr/0018). The test occupies both writers by holding the locks of Q1 and Q2
// in a transaction of its own, queues Q3, Q4 and a correction of Q3 behind them, and then lets go.
BOOST_AUTO_TEST_CASE(submissions_that_queue_are_stored_together_and_each_answered) {
  World w;
  const auto report_id = [&](int q) {
    const auto name = w.ReportOf(q);
    return name.substr(name.rfind('/') + 1);
  };
  pqxx::connection holder(w.server.dsn());
  pqxx::work locks(holder);
  locks.exec_params("SELECT reports.lock_report($1, $2), reports.lock_report($1, $3)",
                    w.CovenantId(), report_id(1), report_id(2));
  pqxx::connection watcher(w.server.dsn());
  const auto waiting_for_locks = [&] {
    return pqxx::nontransaction(watcher)
        .exec1("SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'advisory'")[0]
        .as<int>();
  };
  const auto await_waiting = [&](int count) {
    for (int i = 0; i < 3000 && waiting_for_locks() < count; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    BOOST_REQUIRE_EQUAL(waiting_for_locks(), count);
  };

  std::map<std::string, v1::Report> answers;  // by request id
  std::map<std::string, std::string> errors;
  std::mutex mutex;
  std::vector<std::thread> threads;
  const auto submit = [&](int q, std::int64_t amount, const std::string& request_id) {
    threads.emplace_back([&, q, amount, request_id] {
      auto client = w.server.Client(w.pki.provider);
      try {
        auto answer =
            client.Unary(&Reports::SubmitReport, w.Signed(w.Content(q, amount), request_id));
        std::lock_guard lock(mutex);
        answers[request_id] = answer;
      } catch (const std::exception& e) {
        std::lock_guard lock(mutex);
        errors[request_id] = e.what();
      }
    });
  };
  // Each takes a writer and waits for its report's lock; the second writer starts because the
  // first has been stuck for longer than the store's patience (docs/adr/0021).
  submit(1, 100, "q1");
  await_waiting(1);
  submit(2, 200, "q2");
  await_waiting(2);
  submit(3, 300, "q3");
  submit(4, 400, "q4");
  submit(3, 301, "q3-corrected");
  // The three can only queue: both writers wait. The metrics show the queue.
  const auto queued = [&](int count) {
    return Contains(
        w.server.app().metrics().Text(),
        "\nregie_batch_queued{writes=\"report_submissions\"} " + std::to_string(count) + "\n");
  };
  for (int i = 0; i < 3000 && !queued(3); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  BOOST_REQUIRE(queued(3));
  locks.commit();
  for (auto& thread : threads) {
    thread.join();
  }
  for (const auto& [request_id, error] : errors) {
    BOOST_TEST(error.empty(), request_id << ": " << error);
  }
  BOOST_REQUIRE_EQUAL(answers.size(), 5U);

  // Each answer is what is stored, lines included (the first of Q3's versions is superseded
  // since), with one audit event per version.
  for (const auto& [request_id, answer] : answers) {
    auto stored = w.Get(w.provider, answer.name(), answer.version());
    stored.set_superseded(false);
    BOOST_TEST(Same(stored, answer), request_id);
  }
  BOOST_TEST(answers["q4"].content().lines(0).amounts(0).amount_eurocents() == 400);
  std::set<int> q3_versions{answers["q3"].version(), answers["q3-corrected"].version()};
  BOOST_TEST((q3_versions == std::set<int>{1, 2}));
  BOOST_TEST(w.AuditEvents(w.ReportOf(3)) == 2);
  BOOST_TEST(w.AuditEvents(w.ReportOf(4)) == 1);

  // Q4 was stored by the same transaction as one of Q3's versions; Q3's two versions were not
  // stored together.
  const auto xmin = [&](int q, int version) {
    return w.Count("SELECT xmin::text::bigint FROM reports.reports WHERE report_id = '" +
                   report_id(q) + "' AND version = " + std::to_string(version));
  };
  BOOST_TEST(xmin(3, 1) != xmin(3, 2));
  BOOST_TEST((xmin(4, 1) == xmin(3, 1) || xmin(4, 1) == xmin(3, 2)));
  BOOST_TEST(xmin(1, 1) != xmin(4, 1));
  BOOST_TEST(w.Count("SELECT count(DISTINCT xmin::text) FROM audit.events WHERE resource LIKE '" +
                     w.covenant + "/reports/%'") == 4);
  // Four batches took the five submissions from the queue, and none is left.
  const auto text = w.server.app().metrics().Text();
  BOOST_TEST(Contains(text, "\nregie_batches_total{writes=\"report_submissions\"} 4\n"), text);
  BOOST_TEST(Contains(text, "\nregie_batch_items_total{writes=\"report_submissions\"} 5\n"), text);
  BOOST_TEST(queued(0));
}

BOOST_AUTO_TEST_CASE(a_published_versions_terms_are_read_once_and_a_drafts_every_time) {
  World w;
  db::ConnectionPool pool(w.StorePoolOptions());
  reports::PgReportStore store(pool);
  reports::PgReportStore other(pool);  // another server's
  const auto facts = [&](const std::string& covenant_id, reports::PgReportStore& from) {
    auto read = from.ReadSubmissionFacts(
        db::Clock::now() + std::chrono::seconds(30), "12345678", "facts-test", covenant_id,
        std::to_string(w.last_year) + "-01-01", std::to_string(w.last_year) + "-03-31");
    BOOST_REQUIRE(read.covenant.has_value());
    BOOST_REQUIRE(read.terms != nullptr);
    return read;
  };
  const auto published = w.inkoop.GetCovenant(w.covenant).terms();

  const auto first = facts(w.CovenantId(), store);
  BOOST_TEST(!first.covenant->terms_json.empty());
  BOOST_TEST(google::protobuf::util::MessageDifferencer::Equals(*first.terms, published));
  const auto second = facts(w.CovenantId(), store);
  BOOST_TEST(second.covenant->terms_json.empty());  // the statement left them out
  BOOST_TEST(second.terms == first.terms);
  BOOST_TEST(second.covenant->version == first.covenant->version);
  BOOST_TEST(second.covenant->etag == first.covenant->etag);
  BOOST_TEST(!facts(w.CovenantId(), other).covenant->terms_json.empty());  // not read there yet

  // A draft's first version may still change, so its terms come every time, as they are now.
  auto draft = DuinstreekCovenant();
  draft.set_covenant_id("facts-draft");
  w.inkoop.CreateCovenant(draft);
  BOOST_TEST(!facts("facts-draft", store).covenant->terms_json.empty());
  pqxx::connection editor(w.server.dsn());
  pqxx::nontransaction(editor).exec0(
      "UPDATE covenants.covenant_versions SET terms = jsonb_set(terms, '{title}', "
      "'\"Changed while a draft\"') WHERE covenant_id = 'facts-draft'");
  const auto after = facts("facts-draft", store);
  BOOST_TEST(!after.covenant->terms_json.empty());
  BOOST_TEST(after.terms->title() == "Changed while a draft");
}

// The store stores a submission only while the facts it was checked against hold
// (docs/adr/0019): today, the covenant's etag, the provider's part in every lot its lines name.
// What it does not store it leaves untouched, without an audit event.
BOOST_AUTO_TEST_CASE(the_store_stores_a_submission_only_while_its_facts_hold) {
  World w;
  db::ConnectionPool pool(w.StorePoolOptions());
  reports::PgReportStore store(pool);
  const auto deadline = [] { return db::Clock::now() + std::chrono::seconds(30); };
  const auto start = std::to_string(w.last_year) + "-01-01";
  const auto end = std::to_string(w.last_year) + "-03-31";
  BOOST_TEST(!store.HeldSubmissionFacts(w.CovenantId(), end).has_value());
  const auto read =
      store.ReadSubmissionFacts(deadline(), "12345678", "held-0", w.CovenantId(), start, end);
  const auto held = store.HeldSubmissionFacts(w.CovenantId(), end);
  BOOST_REQUIRE(held.has_value());
  BOOST_TEST(held->today == read.today);
  BOOST_TEST(held->covenant->etag == read.covenant->etag);
  BOOST_TEST(held->terms == read.terms);
  BOOST_TEST(held->lots.empty());  // the provider's, not the covenant's
  BOOST_TEST(!store.HeldSubmissionFacts(w.CovenantId(), std::to_string(w.last_year) + "-06-30"));

  const auto certificate = ReadFile(w.pki.provider.certificate);
  audit::AuditContext audit{"CN=Aanbieder Voorbeeld", "provider", "12345678", "test", "held",
                            Sha256("a request")};
  const auto version = [&](const v1::ReportContent& content, const std::string& request_id) {
    reports::NewVersion next;
    next.covenant_id = w.CovenantId();
    next.kvk = "12345678";
    next.kind = v1::QUARTERLY;
    const auto period = reports::ParseReportPeriod(v1::QUARTERLY, content.period()).value();
    next.report_id = reports::ReportId(next.kvk, next.kind, period);
    next.period_start = start;
    next.period_end = end;
    next.due_date = end;
    next.request_id = request_id;
    next.content = reports::Canonical(content);
    next.content_digest = Sha256(reports::SerializeCanonical(next.content));
    next.signature = reports::SignReport(w.provider_key, content);
    next.signer_certificate = certificate;
    next.signer_fingerprint = auth::ParseCertificate(certificate).sha256_fingerprint;
    next.submitted_by = audit.actor_subject;
    next.checked_today = read.today;
    next.covenant_etag = read.covenant->etag;
    return next;
  };
  const auto events = [&] { return w.AuditEvents(w.ReportOf(1)); };

  auto stale_etag = version(w.Content(1), "held-1");
  --stale_etag.covenant_etag;
  BOOST_TEST(!store.Submit(deadline(), audit, stale_etag).has_value());
  auto yesterday = version(w.Content(1), "held-1");
  yesterday.checked_today = covenants::IsoDay(w.today - std::chrono::days(1));
  BOOST_TEST(!store.Submit(deadline(), audit, yesterday).has_value());
  auto outside = w.Content(1);
  outside.mutable_lines(2)->set_lot_id("P2");  // the provider takes part in P1 and P4
  auto outside_version = version(outside, "held-1");
  BOOST_TEST(!store.Submit(deadline(), audit, outside_version).has_value());
  BOOST_TEST(w.StoredVersions() == 0);
  BOOST_TEST(events() == 0);

  auto first = version(w.Content(1), "held-1");
  const auto stored = store.Submit(deadline(), audit, first);
  BOOST_REQUIRE(stored.has_value());
  BOOST_TEST(stored->version() == 1);
  BOOST_TEST(events() == 1);
  // The covenant changes (every change takes a new etag): what was checked before no longer holds.
  pqxx::connection editor(w.server.dsn());
  pqxx::nontransaction(editor).exec0(
      "UPDATE covenants.covenants SET etag = etag + 1 WHERE covenant_id = '" + w.CovenantId() +
      "'");
  auto after_change = version(w.Content(1, 7), "held-2");
  BOOST_TEST(!store.Submit(deadline(), audit, after_change).has_value());
  BOOST_TEST(after_change.content.lines_size() == 3);  // left as it was
  BOOST_TEST(w.StoredVersions() == 1);
  // A retry is answered whatever the facts: the version its request id stored.
  auto again = version(w.Content(1), "held-1");
  const auto retry = store.Submit(deadline(), audit, again);
  BOOST_REQUIRE(retry.has_value());
  BOOST_TEST(retry->version() == 1);
  BOOST_TEST(events() == 1);
}

// A read that finds the covenant changed (a new etag) drops the facts held for its other periods,
// which were read before the change: their next submissions read the facts at once, where each
// would have been stored in vain first. Another covenant's held facts stay.
BOOST_AUTO_TEST_CASE(a_covenant_change_drops_the_facts_held_for_each_of_its_periods) {
  World w;
  db::ConnectionPool pool(w.StorePoolOptions());
  reports::PgReportStore store(pool);
  auto other = DuinstreekCovenant();
  other.set_covenant_id("facts-other");
  w.inkoop.CreateCovenant(other);
  w.inkoop.PublishCovenant("covenants/facts-other", "", "");
  const auto year = std::to_string(w.last_year);
  const std::vector<std::pair<std::string, std::string>> quarters = {
      {year + "-01-01", year + "-03-31"}, {year + "-04-01", year + "-06-30"}};
  const auto read = [&](const std::string& covenant_id, std::size_t q) {
    return store.ReadSubmissionFacts(db::Clock::now() + std::chrono::seconds(30), "12345678",
                                     "drop-test", covenant_id, quarters.at(q).first,
                                     quarters.at(q).second);
  };
  const auto held = [&](const std::string& covenant_id, std::size_t q) {
    return store.HeldSubmissionFacts(covenant_id, quarters.at(q).second);
  };
  const auto before = read(w.CovenantId(), 0).covenant->etag;
  read(w.CovenantId(), 1);
  read("facts-other", 1);
  BOOST_REQUIRE(held(w.CovenantId(), 1).has_value());

  // Read again without a change, Q1's facts leave Q2's held.
  read(w.CovenantId(), 0);
  BOOST_TEST(held(w.CovenantId(), 1).has_value());

  pqxx::connection editor(w.server.dsn());
  pqxx::nontransaction(editor).exec0(
      "UPDATE covenants.covenants SET etag = etag + 1 WHERE covenant_id = '" + w.CovenantId() +
      "'");
  const auto after = read(w.CovenantId(), 0).covenant->etag;
  BOOST_TEST(after == before + 1);
  BOOST_REQUIRE(held(w.CovenantId(), 0).has_value());
  BOOST_TEST(held(w.CovenantId(), 0)->covenant->etag == after);
  BOOST_TEST(!held(w.CovenantId(), 1).has_value());  // read before the change: dropped
  BOOST_TEST(held("facts-other", 1).has_value());
  read(w.CovenantId(), 1);
  BOOST_TEST(held(w.CovenantId(), 1)->covenant->etag == after);
}

// A submission first goes with the facts the server holds; when they changed, it is decided with
// facts read anew, as if none had been held: a covenant change stores it all the same, a lot the
// provider left meanwhile refuses it with the field named.
BOOST_AUTO_TEST_CASE(a_submission_is_decided_by_the_facts_of_the_moment_it_is_stored) {
  World w;
  // How the server got the facts so far: held and checked where stored, and read.
  const auto facts = [&](int held, int read) {
    const auto text = w.server.app().metrics().Text();
    return Contains(text, "\nregie_submission_facts_total{source=\"held\"} " +
                              std::to_string(held) + "\n") &&
           Contains(text, "\nregie_submission_facts_total{source=\"read\"} " +
                              std::to_string(read) + "\n");
  };
  BOOST_TEST(facts(0, 0));
  BOOST_TEST(w.Submit(w.Content(1), "now-1").version() == 1);  // the server holds Q1's facts
  BOOST_TEST(facts(0, 1));
  pqxx::connection editor(w.server.dsn());
  pqxx::nontransaction(editor).exec0(
      "UPDATE covenants.covenants SET etag = etag + 1 WHERE covenant_id = '" + w.CovenantId() +
      "'");
  BOOST_TEST(w.Submit(w.Content(1, 7), "now-2").version() == 2);  // not stored when held: read
  BOOST_TEST(facts(0, 2));
  BOOST_TEST(w.Submit(w.Content(1, 8), "now-3").version() == 3);  // held, and holding
  BOOST_TEST(facts(1, 2));

  // P4 ends before the quarter began: the lines in P4 are refused, as a fresh read refuses them.
  pqxx::nontransaction(editor).exec0(
      "UPDATE providers.participations SET end_date = '" + std::to_string(w.last_year - 1) +
      "-12-31', state = 'ENDED', ending_kind = 'DISSOLUTION' WHERE covenant_id = '" +
      w.CovenantId() + "' AND kvk_number = '12345678' AND lot_id = 'P4'");
  try {
    w.Submit(w.Content(1, 9), "now-4");
    BOOST_FAIL("accepted");
  } catch (const RpcError& e) {
    BOOST_TEST(NamesField(e, "content.lines[2].lot_id"));
  }
  BOOST_TEST(w.StoredVersions() == 3);
  BOOST_TEST(w.AuditEvents(w.ReportOf(1)) == 3);
  BOOST_TEST(facts(1, 3));
}

BOOST_AUTO_TEST_CASE(the_streamed_upload_stores_what_submit_would) {
  World w;
  const auto request = w.Signed(w.Content(1), "upload-1");
  std::vector<int> progress;
  const auto uploaded = w.provider.UploadReport(
      request,
      [&](int sent, int total) {
        BOOST_TEST(total == 3);
        progress.push_back(sent);
      },
      2);  // lines a message: 2, then 1
  BOOST_TEST((progress == std::vector<int>{2, 3}));
  BOOST_TEST(uploaded.version() == 1);
  BOOST_TEST(Same(uploaded.content(), reports::Canonical(request.content())));
  BOOST_TEST(Same(w.provider.UploadReport(request), uploaded));  // a retry
  BOOST_TEST(w.StoredVersions() == 1);
}

// An upload stream written message by message, as the provider: `messages` in order, then the
// answer's status; `report` gets the answer.
grpc::Status Upload(World& w, const std::vector<v1::UploadReportRequest>& messages,
                    v1::Report& report) {
  grpc::ClientContext context;
  auto stub = v1::ReportService::NewStub(
      client::OpenChannel(w.pki.ProfileFor(w.pki.provider, w.server.address())));
  auto writer = stub->UploadReport(&context, &report);
  for (const auto& message : messages) {
    if (!writer->Write(message)) {
      break;  // refused: Finish has the status
    }
  }
  writer->WritesDone();
  return writer->Finish();
}

// Lines one a message (as clients before `lines` send them) and several a message, mixed.
BOOST_AUTO_TEST_CASE(an_upload_takes_lines_one_or_several_a_message) {
  World w;
  const auto request = w.Signed(w.Content(2), "upload-mixed");
  std::vector<v1::UploadReportRequest> messages(3);
  auto& header = *messages[0].mutable_header();
  *header.mutable_content() = request.content();
  header.mutable_content()->clear_lines();
  header.set_signature(request.signature());
  header.set_request_id(request.request_id());
  *messages[1].mutable_line() = request.content().lines(0);
  *messages[2].mutable_lines()->add_lines() = request.content().lines(1);
  *messages[2].mutable_lines()->add_lines() = request.content().lines(2);
  v1::Report report;
  const auto status = Upload(w, messages, report);
  BOOST_TEST_REQUIRE(status.ok(), RpcError(status).what());
  BOOST_TEST(Same(report.content(), reports::Canonical(request.content())));
  BOOST_TEST(w.StoredVersions() == 1);
}

BOOST_AUTO_TEST_CASE(an_upload_must_start_with_its_header) {
  World w;
  v1::UploadReportRequest line;
  *line.mutable_line() = Line("9901", "P1", 100);
  v1::Report report;
  const RpcError e(Upload(w, {line}, report));
  BOOST_TEST(NamesField(e, "header"));
  BOOST_TEST(w.StoredVersions() == 0);
}

BOOST_AUTO_TEST_CASE(a_message_of_an_upload_without_a_line_is_refused) {
  World w;
  const auto request = w.Signed(w.Content(2), "upload-empty-part");
  v1::UploadReportRequest header;
  *header.mutable_header()->mutable_content() = request.content();
  header.mutable_header()->set_signature(request.signature());
  header.mutable_header()->set_request_id(request.request_id());
  v1::Report report;
  const RpcError e(Upload(w, {header, v1::UploadReportRequest()}, report));
  BOOST_TEST(NamesField(e, "line"));
  BOOST_TEST(e.violations().front().find("message 2 of the stream carries no line") !=
             std::string::npos);
  BOOST_TEST(w.StoredVersions() == 0);
}

BOOST_AUTO_TEST_CASE(each_refusal_names_its_field_and_stores_nothing) {
  World w;
  auto refused = [&](const v1::SubmitReportRequest& request) -> RpcError {
    try {
      w.provider.Unary(&Reports::SubmitReport, request);
    } catch (const RpcError& e) {
      return e;
    }
    BOOST_FAIL("accepted");
    throw std::logic_error("unreachable");
  };
  auto with = [&](const std::function<void(v1::ReportContent&)>& change) {
    auto content = w.Content(2);
    change(content);
    return w.Signed(content, "refused");
  };
  // P2 exists, but the provider takes no part in it.
  BOOST_TEST(NamesField(refused(with([](auto& c) { c.mutable_lines(0)->set_lot_id("P2"); })),
                        "content.lines[0].lot_id"));
  BOOST_TEST(NamesField(
      refused(with([](auto& c) { c.mutable_lines(0)->set_municipality("municipalities/0363"); })),
      "content.lines[0].municipality"));
  BOOST_TEST(NamesField(refused(with([](auto& c) { c.mutable_lines(1)->set_outflow(-1); })),
                        "content.lines[1].outflow"));
  BOOST_TEST(NamesField(refused(with([](auto& c) {
                          c.mutable_lines(0)->mutable_amounts(0)->set_product_code("99X99");
                        })),
                        "content.lines[0].amounts[0].product_code"));
  BOOST_TEST(NamesField(
      refused(with([](auto& c) { c.mutable_lines(0)->mutable_indicators(0)->set_numerator(30); })),
      "content.lines[0].indicators[0].numerator"));
  const auto before_term = std::to_string(w.last_year - 1) + "-Q4";
  BOOST_TEST(
      NamesField(refused(with([&](auto& c) { c.set_period(before_term); })), "content.period"));
  BOOST_TEST(NamesField(refused(with([](auto& c) { c.set_period("Q2"); })), "content.period"));
  BOOST_TEST(NamesField(refused(with([](auto& c) { c.set_kind(v1::REPORT_KIND_UNSPECIFIED); })),
                        "content.kind"));
  const auto bsn = refused(with([](auto& c) { c.set_remarks("Client 1234.56.782 moved."); }));
  BOOST_TEST(NamesField(bsn, "content.remarks"));
  BOOST_TEST(bsn.violations()[0].find("BSN") != std::string::npos);
  // A quarter that has not ended yet.
  const auto next_year = std::to_string(w.last_year + 2) + "-Q1";
  BOOST_TEST(Refused(refused(with([&](auto& c) { c.set_period(next_year); })),
                     grpc::FAILED_PRECONDITION, "PERIOD_NOT_ENDED"));
  // A signature over other content, and none.
  auto tampered = w.Signed(w.Content(2), "refused");
  tampered.mutable_content()->mutable_lines(0)->set_inflow(13);
  BOOST_TEST(NamesField(refused(tampered), "signature"));
  auto unsigned_request = w.Signed(w.Content(2), "refused");
  unsigned_request.clear_signature();
  BOOST_TEST(NamesField(refused(unsigned_request), "signature"));
  auto no_request_id = w.Signed(w.Content(2), "");
  BOOST_TEST(NamesField(refused(no_request_id), "request_id"));
  BOOST_TEST(w.StoredVersions() == 0);
  BOOST_TEST(w.Count("SELECT count(*) FROM reports.count_lines") == 0);
}

// V0015 (docs/adr/0012): lines are checked against their report version and the indicator
// library once per statement, without the row locks of foreign keys; versions are kept for good
// and the library only grows.
BOOST_AUTO_TEST_CASE(lines_name_stored_versions_and_the_library_which_keep_their_rows) {
  World w;
  const auto stored = w.Submit(w.Content(2), "library-1");
  pqxx::connection connection(w.server.dsn());
  const std::string report =
      "'" + w.CovenantId() + "', '12345678-" + std::to_string(w.last_year) + "-q2'";
  auto run = [&](const std::string& sql) {  // rolled back: nothing stays changed
    pqxx::work tx(connection);
    tx.exec0(sql);
  };
  auto indicator_line = [&](int version, const std::string& indicator) {
    return "INSERT INTO reports.indicator_lines VALUES (" + report + ", " +
           std::to_string(version) + ", '9901', 'P4', '" + indicator + "', 1, 2)";
  };
  BOOST_CHECK_NO_THROW(run(indicator_line(1, "nji-satisfaction")));
  BOOST_CHECK_THROW(run(indicator_line(1, "no-such-indicator")), pqxx::foreign_key_violation);
  BOOST_CHECK_THROW(run(indicator_line(2, "nji-satisfaction")), pqxx::foreign_key_violation);
  BOOST_CHECK_THROW(run("INSERT INTO reports.count_lines VALUES (" + report +
                        ", 2, '9901', 'P4', 1, 1, 1, 0, NULL, 0, 0)"),
                    pqxx::foreign_key_violation);
  BOOST_CHECK_THROW(run("INSERT INTO reports.amount_lines VALUES (" + report +
                        ", 2, '9901', 'P1', '45A48', 100)"),
                    pqxx::foreign_key_violation);
  BOOST_CHECK_THROW(run("UPDATE reports.count_lines SET version = 2"), pqxx::foreign_key_violation);
  BOOST_CHECK_THROW(run("UPDATE reports.indicator_lines SET indicator_id = 'no-such-indicator'"),
                    pqxx::foreign_key_violation);

  BOOST_CHECK_THROW(run("DELETE FROM reports.reports"), pqxx::sql_error);
  BOOST_CHECK_THROW(run("UPDATE reports.reports SET version = 7"), pqxx::sql_error);
  BOOST_CHECK_THROW(run("TRUNCATE reports.reports CASCADE"), pqxx::sql_error);
  BOOST_CHECK_THROW(run("DELETE FROM outcomes.indicators WHERE indicator_id = 'nji-drop-out'"),
                    pqxx::sql_error);
  BOOST_CHECK_THROW(run("UPDATE outcomes.indicators SET indicator_id = 'renamed' "
                        "WHERE indicator_id = 'nji-drop-out'"),
                    pqxx::sql_error);
  BOOST_CHECK_THROW(run("TRUNCATE outcomes.indicators CASCADE"), pqxx::sql_error);
  BOOST_CHECK_NO_THROW(
      run("UPDATE outcomes.indicators SET title = title || '.' "
          "WHERE indicator_id = 'nji-drop-out'"));  // texts may be corrected
  BOOST_TEST(Same(w.Get(w.auditor, stored.name()), stored));
}

BOOST_AUTO_TEST_CASE(a_correction_supersedes_and_every_version_stays_readable) {
  World w;
  const auto first = w.Submit(w.Content(2), "v1");
  w.Review(first.name(), 1, v1::ReviewReportRequest::ACCEPT);
  const auto accepted_version = [&] {
    return w.Count("SELECT version FROM reports.accepted_versions WHERE report_id = '12345678-" +
                   std::to_string(w.last_year) + "-q2'");
  };
  BOOST_TEST(accepted_version() == 1);
  const auto second = w.Submit(w.Content(2, 1'600'000), "v2");
  BOOST_TEST(second.name() == first.name());
  BOOST_TEST(second.version() == 2);
  BOOST_TEST(accepted_version() == 1);  // until the correction is accepted
  v1::ListReportVersionsRequest list;
  list.set_name(first.name());
  const auto versions = w.auditor.Unary(&Reports::ListReportVersions, list).versions();
  BOOST_REQUIRE(versions.size() == 2);
  BOOST_TEST(versions[0].superseded());
  BOOST_TEST(versions[0].state() == v1::Report::ACCEPTED);
  BOOST_TEST(versions[0].content().lines(0).amounts(0).amount_eurocents() == 1'560'000);
  BOOST_TEST(!versions[1].superseded());
  BOOST_TEST(versions[1].content().lines(0).amounts(0).amount_eurocents() == 1'600'000);
  try {
    w.Review(first.name(), 1, v1::ReviewReportRequest::REJECT, "wrong");
    BOOST_FAIL("a superseded version was reviewed");
  } catch (const RpcError& e) {
    BOOST_TEST(Refused(e, grpc::FAILED_PRECONDITION, "VERSION_SUPERSEDED"));
  }
  w.Review(first.name(), 2, v1::ReviewReportRequest::ACCEPT);
  BOOST_TEST(accepted_version() == 2);
  BOOST_TEST(w.AuditEvents(first.name()) == 4);  // two submissions, two reviews
  // The table kept on review (docs/adr/0011) is what its definition derives from the versions.
  BOOST_TEST(w.Count(R"(
      WITH derived AS (SELECT DISTINCT ON (covenant_id, report_id)
                              covenant_id, report_id, version, provider_kvk, kind, period_start,
                              period_end
                         FROM reports.reports WHERE state = 'ACCEPTED'
                        ORDER BY covenant_id, report_id, version DESC)
      SELECT count(*) FROM ((TABLE derived EXCEPT TABLE reports.accepted_versions)
                            UNION ALL
                            (TABLE reports.accepted_versions EXCEPT TABLE derived)) difference)") ==
             0);
  BOOST_TEST(w.Count("SELECT count(*) FROM reports.accepted_versions") == 1);
}

BOOST_AUTO_TEST_CASE(a_review_questions_accepts_or_rejects_once) {
  World w;
  const auto name = w.Submit(w.Content(2), "review").name();
  try {
    w.Review(name, 1, v1::ReviewReportRequest::QUESTION);
    BOOST_FAIL("a question without a reason");
  } catch (const RpcError& e) {
    BOOST_TEST(NamesField(e, "reason"));
  }
  const auto questioned =
      w.Review(name, 1, v1::ReviewReportRequest::QUESTION, "Why did inflow rise in Bollenveld?");
  BOOST_TEST(questioned.state() == v1::Report::QUESTIONED);
  BOOST_TEST(questioned.review_reason() == "Why did inflow rise in Bollenveld?");
  BOOST_TEST(questioned.reviewed_by().find("OU=procurement") != std::string::npos);
  const auto rejected = w.Review(name, 1, v1::ReviewReportRequest::REJECT, "Amounts unexplained");
  BOOST_TEST(rejected.state() == v1::Report::REJECTED);
  try {
    w.Review(name, 1, v1::ReviewReportRequest::ACCEPT);
    BOOST_FAIL("a rejected version was accepted");
  } catch (const RpcError& e) {
    BOOST_TEST(Refused(e, grpc::FAILED_PRECONDITION, "REPORT_REJECTED"));
  }
  try {
    w.Review(name, 2, v1::ReviewReportRequest::ACCEPT);
    BOOST_FAIL("a missing version was accepted");
  } catch (const RpcError& e) {
    BOOST_TEST(Refused(e, grpc::NOT_FOUND));
  }
}

BOOST_AUTO_TEST_CASE(any_changed_stored_byte_fails_the_signature) {
  World w;
  const auto stored = w.Submit(w.Content(2), "tamper");
  auto verifies = [&] {
    const auto read = w.Get(w.auditor, stored.name());
    return reports::VerifyReportSignature(read.signer_certificate(), read.content(),
                                          read.signature());
  };
  BOOST_TEST(verifies());
  const std::vector<std::pair<std::string, std::string>> edits = {
      {"UPDATE reports.amount_lines SET amount_eurocents = amount_eurocents + 1",
       "UPDATE reports.amount_lines SET amount_eurocents = amount_eurocents - 1"},
      {"UPDATE reports.count_lines SET inflow = inflow + 1 WHERE municipality_code = '9903'",
       "UPDATE reports.count_lines SET inflow = inflow - 1 WHERE municipality_code = '9903'"},
      {"UPDATE reports.indicator_lines SET numerator = 2 WHERE municipality_code = '9901'",
       "UPDATE reports.indicator_lines SET numerator = 3 WHERE municipality_code = '9901'"},
      {"UPDATE reports.reports SET remarks = remarks || '!'",
       "UPDATE reports.reports SET remarks = rtrim(remarks, '!')"},
      {"UPDATE reports.reports SET waiting_list = false",
       "UPDATE reports.reports SET waiting_list = true"},
  };
  for (const auto& [edit, undo] : edits) {
    pqxx::connection connection(w.server.dsn());
    pqxx::nontransaction(connection).exec(edit);
    BOOST_TEST(!verifies(), edit);
    pqxx::nontransaction(connection).exec(undo);
    BOOST_TEST(verifies(), undo);
  }
}

BOOST_AUTO_TEST_CASE(a_provider_submits_and_reads_only_its_own_reports) {
  World w;
  const auto name = w.Submit(w.Content(2), "own").name();
  const auto other_identity = w.pki.Issue("provider", "87654321", "Kees Jansen");
  auto other = w.server.Client(other_identity);
  RegisterProvider(other, "87654321", "Zorg Elders");
  // Signed by the other provider's key, for 12345678.
  v1::SubmitReportRequest foreign;
  *foreign.mutable_content() = w.Content(3);
  foreign.set_signature(reports::SignReport(ReadFile(other_identity.key), foreign.content()));
  foreign.set_request_id("foreign");
  auto refused = [](const std::function<void()>& call, grpc::StatusCode code,
                    const std::string& reason) {
    try {
      call();
    } catch (const RpcError& e) {
      return Refused(e, code, reason);
    }
    return false;
  };
  BOOST_TEST(refused([&] { other.Unary(&Reports::SubmitReport, foreign); }, grpc::PERMISSION_DENIED,
                     "NOT_YOUR_ORGANISATION"));
  BOOST_TEST(
      refused([&] { w.Get(other, name); }, grpc::PERMISSION_DENIED, "NOT_YOUR_ORGANISATION"));
  v1::ListReportsRequest list;
  list.set_parent(w.covenant);
  BOOST_TEST(other.Unary(&Reports::ListReports, list).reports_size() == 0);
  list.set_provider("providers/12345678");
  BOOST_TEST(refused([&] { other.Unary(&Reports::ListReports, list); }, grpc::PERMISSION_DENIED,
                     "NOT_YOUR_ORGANISATION"));
  BOOST_TEST(w.auditor.Unary(&Reports::ListReports, list).reports_size() == 1);
  // Only the covenant's procurement staff review.
  v1::ReviewReportRequest review;
  review.set_name(name);
  review.set_version(1);
  review.set_decision(v1::ReviewReportRequest::ACCEPT);
  BOOST_TEST(refused([&] { w.provider.Unary(&Reports::ReviewReport, review); },
                     grpc::PERMISSION_DENIED, ""));
  BOOST_TEST(refused([&] { w.auditor.Unary(&Reports::ReviewReport, review); },
                     grpc::PERMISSION_DENIED, ""));
  BOOST_TEST(w.StoredVersions() == 1);
}

BOOST_AUTO_TEST_CASE(lists_filter_and_page) {
  World w;
  for (int q = 1; q <= 4; ++q) {
    auto content = w.Content(q);
    if (q == 4) {
      content.mutable_lines()->DeleteSubrange(2, 1);  // no P4 line
    }
    w.Submit(content, "list-" + std::to_string(q));
  }
  w.Review(w.ReportOf(1), 1, v1::ReviewReportRequest::ACCEPT);
  auto names = [&](v1::ListReportsRequest request) {
    request.set_parent(w.covenant);
    std::vector<std::string> found;
    for (;;) {
      const auto page = w.inkoop.Unary(&Reports::ListReports, request);
      for (const auto& r : page.reports()) {
        BOOST_TEST(r.content().lines_size() == 0);  // lists leave the lines out
        found.push_back(r.name().substr(r.name().rfind('-') + 1));
      }
      if (page.next_page_token().empty()) {
        return found;
      }
      request.set_page_token(page.next_page_token());
    }
  };
  v1::ListReportsRequest all;
  all.set_page_size(3);
  BOOST_TEST((names(all) == std::vector<std::string>{"q1", "q2", "q3", "q4"}));
  v1::ListReportsRequest accepted;
  accepted.set_state(v1::Report::ACCEPTED);
  BOOST_TEST((names(accepted) == std::vector<std::string>{"q1"}));
  v1::ListReportsRequest p4;
  p4.set_lot_id("P4");
  BOOST_TEST((names(p4) == std::vector<std::string>{"q1", "q2", "q3"}));
  v1::ListReportsRequest zeewijk;
  zeewijk.set_municipality("municipalities/9903");
  BOOST_TEST((names(zeewijk) == std::vector<std::string>{"q1", "q2", "q3"}));
  v1::ListReportsRequest q3;
  q3.set_period(w.Quarter(3));
  BOOST_TEST((names(q3) == std::vector<std::string>{"q3"}));
  v1::ListReportsRequest year;
  year.set_period(std::to_string(w.last_year));
  year.set_kind(v1::QUARTERLY);
  BOOST_TEST(names(year).size() == 4u);
  v1::ListReportsRequest bad;
  bad.set_period("last year");
  try {
    names(bad);
    BOOST_FAIL("a bad period filter was accepted");
  } catch (const RpcError& e) {
    BOOST_TEST(NamesField(e, "period"));
  }
}

BOOST_AUTO_TEST_CASE(a_report_as_it_stood_on_a_day_and_who_changed_it) {
  World w;
  const auto name = w.Submit(w.Content(2), "history-1").name();
  w.Review(name, 1, v1::ReviewReportRequest::ACCEPT);
  {
    // Move version 1 into the past: submitted ten days ago, accepted two days ago.
    pqxx::connection connection(w.server.dsn());
    pqxx::nontransaction(connection)
        .exec(
            "UPDATE reports.reports SET submitted_at = now() - interval '10 days', "
            "reviewed_at = now() - interval '2 days'");
  }
  w.Submit(w.Content(2, 1'600'000), "history-2");
  auto as_of = [&](int days_ago) {
    v1::GetReportRequest request;
    request.set_name(name);
    *request.mutable_as_of() = covenants::ToDate(w.today - days(days_ago));
    return w.auditor.Unary(&Reports::GetReport, request);
  };
  const auto before_review = as_of(5);
  BOOST_TEST(before_review.version() == 1);
  BOOST_TEST(before_review.state() == v1::Report::SUBMITTED);
  BOOST_TEST(before_review.reviewed_by().empty());
  const auto after_review = as_of(1);
  BOOST_TEST(after_review.version() == 1);
  BOOST_TEST(after_review.state() == v1::Report::ACCEPTED);
  BOOST_TEST(!after_review.superseded());
  BOOST_TEST(as_of(0).version() == 2);
  try {
    as_of(20);
    BOOST_FAIL("a report was found before its first submission");
  } catch (const RpcError& e) {
    BOOST_TEST(Refused(e, grpc::NOT_FOUND));
  }

  // Who changed what: the report's events, and the covenant's with everything below it.
  using Audit = audit::v1::AuditService::Stub;
  audit::v1::ListResourceEventsRequest events;
  events.set_resource(name);
  const auto of_report = w.auditor.Unary(&Audit::ListResourceEvents, events);
  BOOST_REQUIRE(of_report.entries_size() == 3);
  BOOST_TEST(of_report.entries(0).event().rpc() == "/regie.reports.v1.ReportService/SubmitReport");
  BOOST_TEST(of_report.entries(1).event().rpc() == "/regie.reports.v1.ReportService/ReviewReport");
  BOOST_TEST(of_report.entries(1).event().actor_role() == "procurement");
  BOOST_TEST(of_report.entries(2).event().change_json().find("\"version\": 2") !=
             std::string::npos);
  events.set_resource(w.covenant);
  events.set_page_size(2);
  int covenant_events = 0;
  bool saw_report = false;
  for (;;) {
    const auto page = w.auditor.Unary(&Audit::ListResourceEvents, events);
    for (const auto& entry : page.entries()) {
      ++covenant_events;
      saw_report = saw_report || entry.event().resource() == name;
    }
    if (page.next_page_token().empty()) {
      break;
    }
    events.set_page_token(page.next_page_token());
  }
  BOOST_TEST(covenant_events > 3);  // created, published, the report's three
  BOOST_TEST(saw_report);
  events.clear_page_token();
  *events.mutable_since() = covenants::ToDate(w.today + days(1));
  BOOST_TEST(w.auditor.Unary(&Audit::ListResourceEvents, events).entries_size() == 0);
  try {
    w.provider.Unary(&Audit::ListResourceEvents, events);
    BOOST_FAIL("a provider read the audit log");
  } catch (const RpcError& e) {
    BOOST_TEST(Refused(e, grpc::PERMISSION_DENIED));
  }
}

BOOST_AUTO_TEST_CASE(peers_are_compared_anonymously) {
  World w;
  // A second provider in P1 whose drop-out is lower (better): 1 of 25 per line.
  const auto other_identity = w.pki.Issue("provider", "87654321", "Kees Jansen");
  auto other = w.server.Client(other_identity);
  RegisterProvider(other, "87654321", "Zorg Elders");
  AdmitInThePast(w.server.dsn(), w.CovenantId(), "87654321", {"P1"},
                 sys_days(std::chrono::year(w.last_year) / 1 / 1));
  auto content = w.Content(2);
  content.set_provider("providers/87654321");
  content.mutable_lines()->DeleteSubrange(2, 1);  // no P4
  for (auto& line : *content.mutable_lines()) {
    line.mutable_indicators(0)->set_numerator(1);
  }
  v1::SubmitReportRequest request;
  *request.mutable_content() = content;
  request.set_signature(reports::SignReport(ReadFile(other_identity.key), content));
  request.set_request_id("other-q2");
  const auto theirs = other.Unary(&Reports::SubmitReport, request);
  w.Review(theirs.name(), 1, v1::ReviewReportRequest::ACCEPT);
  const auto ours = w.Submit(w.Content(2), "ours-q2");
  w.Review(ours.name(), 1, v1::ReviewReportRequest::ACCEPT);

  v1::ComparePeersRequest compare;
  compare.set_parent(w.covenant);
  compare.set_indicator("indicators/nji-drop-out");
  compare.set_period(w.Quarter(2));
  compare.set_lot_id("P1");
  using Queries = v1::QueryService::Stub;
  const auto seen_by_us = w.provider.Unary(&Queries::ComparePeers, compare);
  BOOST_REQUIRE(seen_by_us.rows_size() == 2);
  BOOST_TEST(seen_by_us.rows(0).value() == "0.0400");  // theirs: 2 / 50
  BOOST_TEST(!seen_by_us.rows(0).own());
  BOOST_TEST(seen_by_us.rows(0).denominator() == 0);
  BOOST_TEST(seen_by_us.rows(1).own());
  BOOST_TEST(seen_by_us.rows(1).label() == "B");
  BOOST_TEST(seen_by_us.rows(1).numerator() == 6);
  BOOST_TEST(seen_by_us.rows(1).denominator() == 50);
  const auto seen_by_auditor = w.auditor.Unary(&Queries::ComparePeers, compare);
  for (const auto& row : seen_by_auditor.rows()) {
    BOOST_TEST(!row.own());
    BOOST_TEST(row.denominator() == 0);
  }
  BOOST_TEST(seen_by_auditor.pooled_value() == "0.0800");  // 8 / 100
  compare.set_indicator("indicators/unknown");
  try {
    w.auditor.Unary(&Queries::ComparePeers, compare);
    BOOST_FAIL("an unknown indicator was compared");
  } catch (const RpcError& e) {
    BOOST_TEST(NamesField(e, "indicator"));
  }
}

BOOST_AUTO_TEST_CASE(aggregates_hide_small_counts_from_auditors_but_not_from_the_municipalities) {
  World w;
  for (int q = 1; q <= 2; ++q) {
    const auto report = w.Submit(w.Content(q), "aggregate-" + std::to_string(q));
    w.Review(report.name(), 1, v1::ReviewReportRequest::ACCEPT);
  }
  w.Submit(w.Content(3), "not-accepted");  // only accepted versions count
  v1::AggregateReportsRequest request;
  request.set_parent(w.covenant);
  request.add_group_by(v1::MUNICIPALITY);
  request.set_period(std::to_string(w.last_year));
  using Queries = v1::QueryService::Stub;
  // Each municipality: 2 quarters x 40 in care, 1 complaint each; the grand total 6 complaints.
  const auto open = w.inkoop.Unary(&Queries::AggregateReports, request);
  BOOST_TEST(!open.suppression_applied());
  BOOST_REQUIRE(open.rows_size() == 4);
  BOOST_TEST(open.rows(0).municipality() == "municipalities/9901");
  BOOST_TEST(open.rows(0).clients_in_care().value() == 80);
  BOOST_TEST(open.rows(0).complaints().value() == 2);
  BOOST_TEST(open.rows(0).declared_eurocents() == 2 * 1'560'000);
  BOOST_TEST(open.rows(3).total());
  BOOST_TEST(open.rows(3).complaints().value() == 6);
  BOOST_TEST(Same(w.provider.Unary(&Queries::AggregateReports, request), open));

  // The auditor's scope is 9901 and 9902: their 2 + 2 complaints are all small, the total too.
  const auto shared = w.auditor.Unary(&Queries::AggregateReports, request);
  BOOST_TEST(shared.suppression_applied());
  BOOST_REQUIRE(shared.rows_size() == 3);
  BOOST_TEST(shared.rows(1).municipality() == "municipalities/9902");
  for (const auto& row : shared.rows()) {
    BOOST_TEST(row.complaints().suppressed());
    BOOST_TEST(row.complaints().value() == 0);
    BOOST_TEST(!row.clients_in_care().suppressed());
  }
  BOOST_TEST(shared.rows(0).clients_in_care().value() == 80);
  BOOST_TEST(shared.rows(2).clients_in_care().value() == 160);

  request.add_group_by(v1::MUNICIPALITY);
  try {
    w.auditor.Unary(&Queries::AggregateReports, request);
    BOOST_FAIL("a dimension was accepted twice");
  } catch (const RpcError& e) {
    BOOST_TEST(NamesField(e, "group_by[1]"));
  }
}

BOOST_AUTO_TEST_CASE(sums_kept_on_write_equal_the_sums_of_the_lines_after_every_review) {
  World w;
  const auto id = w.CovenantId();
  const auto dsn = w.server.dsn();
  const auto year = w.last_year;
  {
    pqxx::connection connection(dsn);
    pqxx::work tx(connection);
    tx.exec0(
        "INSERT INTO providers.providers (kvk_number, display_name, profile, registered_by) "
        "VALUES ('22222222', 'Zorg B', '{}', 'test'), ('33333333', 'Zorg C', '{}', 'test')");
    tx.commit();
  }
  const auto check = [&] { RequireSumsEqualTheLines(dsn, id, year); };
  const auto kept_rows = [&] {
    return w.Count("SELECT count(*) FROM reports.accepted_sums WHERE covenant_id = '" + id + "'");
  };

  // Through ReviewReport: 12345678's first two quarters (P1 in 9901 and 9902, P4 in 9903).
  for (int q = 1; q <= 2; ++q) {
    const auto report = w.Submit(w.Content(q), "sums-" + std::to_string(q));
    w.Review(report.name(), 1, v1::ReviewReportRequest::ACCEPT);
  }
  check();
  BOOST_TEST(kept_rows() == 6);

  // Two more providers, in cells of their own and shared ones.
  const StoredVersion b1{"22222222", 1, 1, {{"9901", "P1"}, {"9902", "P1"}}, 10};
  const StoredVersion b2{"22222222", 2, 1, {{"9901", "P4"}}, 20};
  const StoredVersion c2{"33333333", 2, 1, {{"9901", "P1"}, {"9903", "P4"}}, 30};
  for (const auto& v : {b1, b2, c2}) {
    StoreVersion(dsn, id, year, v);
    Decide(dsn, id, year, v, "ACCEPTED");
  }
  check();
  BOOST_TEST(kept_rows() == 7);
  BOOST_TEST(w.Count("SELECT count(*) FROM reports.provider_numbers WHERE covenant_id = '" + id +
                     "'") == 3);
  pqxx::connection connection(dsn);
  db::SetUpSession(connection, "regie-sums-test");
  const auto grand_total_providers = [&] {
    pqxx::nontransaction tx(connection);
    for (const auto& row :
         tx.exec_prepared("reports/aggregate_sums", id, "", "", "", "", "QUARTERLY", "", "", "")) {
      if (row[2].as<int>() == 1 && row[3].as<int>() == 1) {
        return row[4].as<int>();
      }
    }
    return -1;
  };
  BOOST_TEST(grand_total_providers() == 3);

  // A correction that leaves a cell (9901 P1) and enters a new one (9903 P1).
  const StoredVersion b1_corrected{"22222222", 1, 2, {{"9902", "P1"}, {"9903", "P1"}}, 40};
  StoreVersion(dsn, id, year, b1_corrected);
  Decide(dsn, id, year, b1_corrected, "ACCEPTED");
  check();
  BOOST_TEST(kept_rows() == 8);

  // A rejected correction changes nothing; a version no longer accepted leaves its cells.
  const StoredVersion c2_rejected{"33333333", 2, 2, {{"9904", "P1"}}, 50};
  StoreVersion(dsn, id, year, c2_rejected);
  Decide(dsn, id, year, c2_rejected, "REJECTED");
  check();
  Decide(dsn, id, year, b2, "QUESTIONED");
  check();
  BOOST_TEST(kept_rows() == 7);  // 9901 P4 in Q2 was 22222222's alone

  // Through ReviewReport again: a correction of 12345678's first quarter with other amounts.
  const auto corrected = w.Submit(w.Content(1, 2'340'000), "sums-1-corrected");
  w.Review(corrected.name(), 2, v1::ReviewReportRequest::ACCEPT);
  check();

  // Recomputing the covenant from scratch gives the rows kept on write (provider sets compared
  // as sets: a cleared last bit may remain).
  const auto table = [&] {
    pqxx::nontransaction tx(connection);
    return Rows(tx.exec_params(
        "SELECT kind, period_start, period_end, lot_id, municipality_code, "
        "rtrim(providers::text, '0'), "
        "clients_in_care, inflow, outflow, unilateral_endings, complaints, serious_incidents, "
        "declared_eurocents FROM reports.accepted_sums WHERE covenant_id = $1",
        id));
  };
  const auto kept = table();
  {
    pqxx::work tx(connection);
    tx.exec_params("SELECT reports.refresh_accepted_versions($1, NULL)", id);
    tx.commit();
  }
  BOOST_TEST(table() == kept);
  BOOST_TEST(grand_total_providers() == 3);
}

BOOST_AUTO_TEST_CASE(concurrent_reviews_of_one_quarter_keep_the_sums_exact) {
  World w;
  const auto id = w.CovenantId();
  const auto dsn = w.server.dsn();
  const auto year = w.last_year;
  // Eight providers numbered by their first acceptances, which run concurrently, each reporting
  // on the same quarter in cells that overlap; half of them then correct their report.
  std::vector<std::string> kvks;
  {
    pqxx::connection connection(dsn);
    pqxx::work tx(connection);
    for (int p = 0; p < 8; ++p) {
      kvks.push_back(std::to_string(40000000 + p));
      tx.exec_params0(
          "INSERT INTO providers.providers (kvk_number, display_name, profile, registered_by) "
          "VALUES ($1, 'Zorg', '{}', 'test')",
          kvks.back());
    }
    tx.commit();
  }
  const std::vector<std::pair<std::string, std::string>> cells = {
      {"9901", "P1"}, {"9902", "P1"}, {"9903", "P4"}, {"9901", "P4"}};
  std::vector<std::thread> reviewers;
  std::array<std::string, 2> failures;  // what each reviewer's transactions threw
  for (int t = 0; t < 2; ++t) {
    reviewers.emplace_back([&, t] {
      try {
        for (int p = t; p < 8; p += 2) {
          const auto kvk = kvks[static_cast<std::size_t>(p)];
          const StoredVersion first{kvk, 3, 1, cells, p};
          StoreVersion(dsn, id, year, first);
          Decide(dsn, id, year, first, "ACCEPTED");
          if (p % 2 == 0) {
            const StoredVersion corrected{kvk, 3, 2, {cells[1], cells[2]}, 100 + p};
            StoreVersion(dsn, id, year, corrected);
            Decide(dsn, id, year, corrected, "ACCEPTED");
          }
        }
      } catch (const std::exception& e) {
        failures[static_cast<std::size_t>(t)] = e.what();
      }
    });
  }
  for (auto& r : reviewers) {
    r.join();
  }
  BOOST_TEST(failures[0] == "");
  BOOST_TEST(failures[1] == "");
  RequireSumsEqualTheLines(dsn, id, year);
  BOOST_TEST(w.Count("SELECT count(DISTINCT number) FROM reports.provider_numbers "
                     "WHERE covenant_id = '" +
                     id + "'") == 8);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::testing
