#include "bench_world.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fstream>
#include <mutex>
#include <numeric>
#include <stdexcept>
#include <thread>

#include "auth/pki.hpp"
#include "crypto.hpp"
#include "input_file.hpp"
#include "regie/covenants/v1/covenants.grpc.pb.h"
#include "regie/covenants/v1/reference.grpc.pb.h"
#include "regie/providers/v1/admission.grpc.pb.h"
#include "regie/providers/v1/providers.grpc.pb.h"

namespace regie::bench {
namespace {

namespace fs = std::filesystem;
namespace cv1 = covenants::v1;
namespace pv1 = providers::v1;
namespace rv1 = reports::v1;

// A certificate of the deployment CA written to the scratch directory, for a channel
// (client::OpenChannel takes files).
client::Profile IssueProfile(const Options& o, const std::string& role, const std::string& org,
                             const std::string& name) {
  const auth::KeyAndCertificate ca{client::ReadTextFile(o.ca_dir / "ca.key", "CA key"),
                                   client::ReadTextFile(o.ca_dir / "ca.crt", "CA certificate")};
  const auto issued = auth::IssueCertificate(ca, {.common_name = name,
                                                  .organisational_unit = role,
                                                  .organisation = org,
                                                  .valid_days = 30,
                                                  .server = false,
                                                  .dns_names = {},
                                                  .ip_addresses = {}});
  const auto stem = o.scratch / (role + "-" + org);
  std::ofstream(stem.string() + ".crt") << issued.material.certificate_pem;
  std::ofstream(stem.string() + ".key") << issued.material.key_pem;
  fs::permissions(stem.string() + ".key", fs::perms::owner_read | fs::perms::owner_write);
  return {o.address, stem.string() + ".crt", stem.string() + ".key",
          (o.ca_dir / "ca.crt").string()};
}

// Runs `call`, ignoring ALREADY_EXISTS (the bench may run twice on one stack).
template <class Call>
void Idempotently(Call&& call) {
  try {
    call();
  } catch (const client::RpcError& e) {
    if (e.code() != grpc::StatusCode::ALREADY_EXISTS) {
      throw;
    }
  }
}

}  // namespace

std::vector<std::string> MunicipalityCodes() {
  std::vector<std::string> codes;
  for (int i = 1; i <= 10; ++i) {
    codes.push_back(std::to_string(9900 + i));
  }
  return codes;
}

client::RegieClient Connect(const client::Profile& profile) {
  return client::RegieClient(client::OpenChannel(profile), std::chrono::seconds(120));
}

client::Profile ProfileOf(const Options& o, const std::string& stem) {
  return {o.address, (o.certs_dir / (stem + ".crt")).string(),
          (o.certs_dir / (stem + ".key")).string(), (o.ca_dir / "ca.crt").string()};
}

void CreateMunicipalities(const Options& o, const std::vector<std::string>& codes) {
  auto admin = Connect(ProfileOf(o, "admin"));
  for (const auto& code : codes) {
    Idempotently([&] {
      cv1::CreateMunicipalityRequest request;
      request.mutable_municipality()->set_code(code);
      request.mutable_municipality()->set_display_name("Benchgemeente " + code);
      admin.Unary(&cv1::ReferenceDataService::Stub::CreateMunicipality, request);
    });
  }
}

Providers RegisterProviders(const Options& o, int count) {
  CreateMunicipalities(o, MunicipalityCodes());
  Providers providers;
  for (int i = 0; i < count; ++i) {
    const auto kvk = std::to_string(70000000 + i);
    auto profile = IssueProfile(o, "provider", kvk, "Bench provider " + kvk);
    auto provider = Connect(profile);
    Idempotently([&] {
      pv1::RegisterProviderRequest request;
      auto* p = request.mutable_provider();
      p->set_kvk_number(kvk);
      p->set_display_name("Bench provider " + kvk);
      p->set_legal_form(pv1::LEGAL_FORM_FOUNDATION);
      auto* address = p->add_addresses();
      address->set_street("Benchweg");
      address->set_house_number(std::to_string(i + 1));
      address->set_postal_code("2201 AB");
      address->set_city("Duinhaven");
      auto* contact = p->add_contacts();
      contact->set_full_name("B. Ench");
      contact->set_role("director");
      contact->set_email("bench@example.nl");
      provider.Unary(&pv1::ProviderService::Stub::RegisterProvider, request);
    });
    providers.kvks.push_back(kvk);
    providers.profiles.push_back(std::move(profile));
  }
  return providers;
}

std::string PublishedCovenant(const Options& o, const std::string& label,
                              const std::function<void(cv1::CovenantTerms&)>& adjust) {
  auto procurement = Connect(ProfileOf(o, "procurement"));
  cv1::CreateCovenantRequest create;
  client::ReadMessageFile(o.fixtures / "covenant.json", create);
  create.set_covenant_id(
      "bench-" + label + "-" + std::to_string(::getpid()) + "-" +
      std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 100000));
  auto* terms = create.mutable_covenant()->mutable_terms();
  terms->mutable_term()->mutable_start_date()->set_year(2000);
  terms->mutable_term()->mutable_end_date()->set_year(2099);
  terms->clear_region();
  terms->clear_municipalities();
  for (const auto& code : MunicipalityCodes()) {
    terms->add_municipalities("municipalities/" + code);
  }
  if (adjust) {
    adjust(*terms);
  }
  const auto name = procurement.CreateCovenant(create).name();
  procurement.PublishCovenant(name, "", "");
  return name;
}

std::string CovenantInForce(const Options& o, const std::string& label,
                            const std::function<void(cv1::CovenantTerms&)>& adjust) {
  const auto name = PublishedCovenant(o, label, adjust);
  // The change takes the covenant a new etag, which makes every period's facts that the server
  // holds out of date at once: left to happen in a measured turn, it made that turn's submissions
  // read them anew (docs/performance.md, thirteenth round).
  auto procurement = Connect(ProfileOf(o, "procurement"));
  constexpr auto kCalendarWait = std::chrono::seconds(90);  // the server's default tick is 60 s
  const auto until = std::chrono::steady_clock::now() + kCalendarWait;
  while (procurement.GetCovenant(name).state() != cv1::Covenant::ACTIVE) {
    if (std::chrono::steady_clock::now() > until) {
      throw std::runtime_error(name + " was not put in force within " +
                               std::to_string(kCalendarWait.count()) +
                               " s: is the server's calendar on (REGIE_CALENDAR_INTERVAL_MS; "
                               "bench/run.sh sets 1000)?");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return name;
}

void Admit(const Options& o, const std::string& covenant, const std::string& kvk,
           const std::vector<std::string>& lots) {
  auto procurement = Connect(ProfileOf(o, "procurement"));
  pv1::RecordEarlierAdmissionRequest admit;
  admit.set_parent(covenant);
  admit.set_provider("providers/" + kvk);
  for (const auto& lot : lots) {
    admit.add_lot_ids(lot);
  }
  admit.mutable_in_force_from()->set_year(2000);
  admit.mutable_in_force_from()->set_month(1);
  admit.mutable_in_force_from()->set_day(1);
  admit.set_decision("Benchmark admission decided before Regie, nr. " + kvk);
  admit.set_request_id(NewRequestId());
  procurement.Unary(&pv1::AdmissionService::Stub::RecordEarlierAdmission, admit);
}

namespace {

constexpr int kQuarters = 100;  // of NthReport: 2000-Q1 through 2024-Q4

struct Quarter {
  int year;
  int quarter;  // 1 to 4
};

Quarter NthQuarter(int n) {
  const int q = n % kQuarters;
  return {.year = 2000 + q / 4, .quarter = q % 4 + 1};
}

}  // namespace

ReportKey NthReportKey(const std::string& kvk, int n) {
  const auto [year, quarter] = NthQuarter(n);
  std::string month = std::to_string(3 * quarter - 2);
  month.insert(0, 2 - month.size(), '0');
  return {.report_id = kvk + "-" + std::to_string(year) + "-q" + std::to_string(quarter),
          .version = n / kQuarters + 1,
          .period_start = std::to_string(year) + "-" + month + "-01"};
}

rv1::ReportContent NthReport(const std::string& covenant, const std::string& kvk, int n) {
  const auto [year, quarter] = NthQuarter(n);
  rv1::ReportContent c;
  c.set_covenant(covenant);
  c.set_provider("providers/" + kvk);
  c.set_kind(rv1::QUARTERLY);
  c.set_period(std::to_string(year) + "-Q" + std::to_string(quarter));
  for (const auto* municipality : {"9901", "9902", "9903"}) {
    for (const auto* lot : {"P1", "P6"}) {
      auto* line = c.add_lines();
      line->set_municipality(std::string("municipalities/") + municipality);
      line->set_lot_id(lot);
      line->set_clients_in_care(40 + n / kQuarters);  // corrections differ
      line->set_inflow(12);
      line->set_outflow(9);
      line->set_unilateral_endings(1);
      line->set_median_waiting_days(21);
      line->set_complaints(1);
      line->set_serious_incidents(0);
      if (std::string(lot) == "P1") {
        auto* amount = line->add_amounts();
        amount->set_product_code("45A48");
        amount->set_amount_eurocents(1560000);
      } else {
        for (const auto* indicator : {"nji-drop-out", "nji-satisfaction", "nji-no-further-help",
                                      "nji-goals-reached", "zrm-improvement"}) {
          auto* figure = line->add_indicators();
          figure->set_indicator(std::string("indicators/") + indicator);
          figure->set_numerator(7);
          figure->set_denominator(50);
        }
      }
    }
  }
  c.mutable_signals()->set_financial_early_warning(false);
  c.set_remarks("Benchmark report.");
  return c;
}

void CreateBaselineTables(pqxx::connection& connection) {
  pqxx::work tx(connection);
  tx.exec("CREATE SCHEMA IF NOT EXISTS bench_baseline");
  for (const auto* table : {"reports", "count_lines", "indicator_lines", "amount_lines"}) {
    tx.exec(std::string("CREATE TABLE IF NOT EXISTS bench_baseline.") + table + " (LIKE reports." +
            table + " INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING " + "INDEXES)");
  }
  tx.commit();
}

void InsertBaselineHeader(pqxx::work& tx, const std::string& covenant_id, const ReportKey& key,
                          const std::string& kvk, const std::string& remarks) {
  tx.exec_params(
      "INSERT INTO bench_baseline.reports (covenant_id, report_id, version, provider_kvk, kind, "
      "period_start, period_end, state, request_id, submitted_by, due_date, late, "
      "financial_early_warning, waiting_list, signal_note, remarks, content_digest, signature, "
      "signer_certificate, signer_fingerprint) VALUES ($1, $2, $3, $4, 'QUARTERLY', $5::date, "
      "$5::date + interval '3 months' - interval '1 day', 'SUBMITTED', $6, 'CN=bench', "
      "$5::date + interval '4 months' - interval '1 day', true, false, false, '', $7, $8, $9, $10, "
      "$11)",
      covenant_id, key.report_id, key.version, kvk, key.period_start, NewRequestId(), remarks,
      pqxx::binarystring(std::string(32, 'd')), pqxx::binarystring(std::string(72, 's')),
      std::string(700, 'c'), pqxx::binarystring(std::string(32, 'f')));
}

void SeedAcceptedReports(pqxx::work& tx, const std::string& covenant_id, int first_quarter,
                         int quarters, int providers) {
  tx.exec_params0(R"(
      INSERT INTO reports.reports (covenant_id, report_id, version, provider_kvk, kind,
                                   period_start, period_end, state, request_id, submitted_by,
                                   reviewed_at)
      SELECT $1, kvk || '-' || (2000 + q / 4) || '-q' || (q % 4 + 1), 1, kvk, 'QUARTERLY',
             first_day, (first_day + interval '3 months' - interval '1 day')::date, 'ACCEPTED',
             'seed-' || $1 || '-' || q, 'CN=regie-bench seed', now()
        FROM generate_series($2::int, $2::int + $3::int - 1) q, generate_series(0, $4::int - 1) p,
             LATERAL (SELECT (70000000 + p)::text AS kvk,
                             make_date(2000 + q / 4, (q % 4) * 3 + 1, 1) AS first_day) d)",
                  covenant_id, first_quarter, quarters, providers);
}

namespace {

// The latencies of one or more turns of concurrent calls, and the time they took.
struct Calls {
  std::vector<double> latencies_ms;
  double seconds = 0;
};

// Calls `one(i)` and adds its latency to `into`.
void Timed(const std::function<void(int)>& one, int i, std::vector<double>& into) {
  const auto t0 = Clock::now();
  one(i);
  into.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
}

// `clients` threads doing `one(client, n)` for `seconds`, client c's n counting on from next[c];
// adds the latencies and the time to `calls`.
void CallFor(int clients, double seconds, const std::function<void(int, int)>& one,
             std::vector<int>& next, Calls& calls) {
  std::vector<std::vector<double>> latencies(static_cast<std::size_t>(clients));
  std::atomic<bool> failed = false;
  std::string failure;
  std::mutex failure_mutex;
  const auto started = Clock::now();
  const auto until = started + std::chrono::duration<double>(seconds);
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&, c] {
      auto& n = next[static_cast<std::size_t>(c)];
      try {
        for (; Clock::now() < until && !failed; ++n) {
          const auto t0 = Clock::now();
          one(c, n);
          latencies[static_cast<std::size_t>(c)].push_back(
              std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        }
      } catch (const std::exception& e) {
        std::lock_guard lock(failure_mutex);
        failure = e.what();
        failed = true;
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  if (failed) {
    throw std::runtime_error(failure);
  }
  calls.seconds += std::chrono::duration<double>(Clock::now() - started).count();
  for (const auto& l : latencies) {
    calls.latencies_ms.insert(calls.latencies_ms.end(), l.begin(), l.end());
  }
}

}  // namespace

Run Concurrently(int clients, double seconds, const std::function<void(int, int)>& one) {
  std::vector<int> next(static_cast<std::size_t>(clients), 0);
  Calls calls;
  CallFor(clients, seconds, one, next, calls);
  return Summarise(std::move(calls.latencies_ms), calls.seconds);
}

double MachineProbeMs() {
  static const std::string block(32 << 20, 'r');
  const auto cores = std::max(1U, std::thread::hardware_concurrency());
  double fastest = 0;
  for (int attempt = 0; attempt < 2; ++attempt) {
    const auto started = Clock::now();
    std::vector<std::thread> threads;
    for (unsigned i = 0; i < cores; ++i) {
      threads.emplace_back([] { Sha256(block); });
    }
    for (auto& thread : threads) {
      thread.join();
    }
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
    fastest = attempt == 0 ? ms : std::min(fastest, ms);
  }
  return fastest;
}

Autovacuum AutovacuumNow(pqxx::connection& connection) {
  pqxx::nontransaction tx(connection);
  const auto row = tx.exec1(
      "SELECT (SELECT coalesce(sum(autovacuum_count + autoanalyze_count), 0) "
      "FROM pg_stat_all_tables), "
      "(SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker')");
  return {row[0].as<std::int64_t>(), row[1].as<std::int64_t>()};
}

std::string AutovacuumBetween(const Autovacuum& before, const Autovacuum& after) {
  const auto finished = after.finished - before.finished;
  if (finished == 0 && before.working == 0 && after.working == 0) {
    return "none";
  }
  std::string at_work;
  if (before.working > 0 && after.working > 0) {
    at_work = ", at work at the start and at the end";
  } else if (before.working > 0) {
    at_work = ", at work at the start";
  } else if (after.working > 0) {
    at_work = ", still at work at the end";
  }
  return (finished == 1 ? std::string("1 vacuum or analysis")
                        : std::to_string(finished) + " vacuums and analyses") +
         " of a table finished" + at_work;
}

Turns Alternately(int clients, double warmup_seconds, double seconds, int turns,
                  const std::function<void(int, int)>& regie,
                  const std::function<void(int, int)>& baseline) {
  if (turns < 1) {
    throw std::invalid_argument("Alternately needs at least one turn");
  }
  const double turn_seconds = seconds / turns;
  std::vector<int> regie_next(static_cast<std::size_t>(clients), 0);
  std::vector<int> baseline_next(static_cast<std::size_t>(clients), 0);
  Calls warmup;
  CallFor(clients, warmup_seconds, regie, regie_next, warmup);
  CallFor(clients, warmup_seconds, baseline, baseline_next, warmup);
  Calls regie_calls;
  Calls baseline_calls;
  std::vector<double> probes_ms;
  const auto take_turn = [&](const std::function<void(int, int)>& one, std::vector<int>& next,
                             Calls& calls) {
    probes_ms.push_back(MachineProbeMs());
    CallFor(clients, turn_seconds, one, next, calls);
  };
  for (int turn = 0; turn < turns; ++turn) {
    // R B, B R, R B, ...: each side goes first in half the pairs.
    if (turn % 2 == 0) {
      take_turn(regie, regie_next, regie_calls);
      take_turn(baseline, baseline_next, baseline_calls);
    } else {
      take_turn(baseline, baseline_next, baseline_calls);
      take_turn(regie, regie_next, regie_calls);
    }
  }
  std::sort(probes_ms.begin(), probes_ms.end());
  return {Summarise(std::move(regie_calls.latencies_ms), regie_calls.seconds),
          Summarise(std::move(baseline_calls.latencies_ms), baseline_calls.seconds),
          Percentile(probes_ms, 50)};
}

std::pair<Run, Run> InPairs(int times, const std::function<void(int)>& regie,
                            const std::function<void(int)>& baseline) {
  std::vector<double> regie_ms;
  std::vector<double> baseline_ms;
  for (int i = 0; i < times; ++i) {
    if (i % 2 == 0) {
      Timed(regie, i, regie_ms);
      Timed(baseline, i, baseline_ms);
    } else {
      Timed(baseline, i, baseline_ms);
      Timed(regie, i, regie_ms);
    }
  }
  const auto seconds = [](const std::vector<double>& ms) {
    return std::accumulate(ms.begin(), ms.end(), 0.0) / 1000;
  };
  const double regie_seconds = seconds(regie_ms);
  const double baseline_seconds = seconds(baseline_ms);
  return {Summarise(std::move(regie_ms), regie_seconds),
          Summarise(std::move(baseline_ms), baseline_seconds)};
}

Run OneAfterAnother(int times, const std::function<void(int)>& one) {
  std::vector<double> latencies;
  const auto started = Clock::now();
  for (int i = 0; i < times; ++i) {
    Timed(one, i, latencies);
  }
  return Summarise(std::move(latencies),
                   std::chrono::duration<double>(Clock::now() - started).count());
}

}  // namespace regie::bench
