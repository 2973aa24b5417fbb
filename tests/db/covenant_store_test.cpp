#include <boost/test/unit_test.hpp>

#include <pqxx/pqxx>
#include <set>

#include "covenant_calendar.hpp"
#include "covenant_store.hpp"
#include "crypto.hpp"
#include "db/session.hpp"
#include "db/unit_of_work.hpp"
#include "deadlines.hpp"
#include "fixtures.hpp"
#include "pg_cluster.hpp"
#include "reference_store.hpp"

namespace regie::covenants {
namespace {

db::Clock::time_point Deadline() { return db::Clock::now() + std::chrono::seconds(20); }

audit::AuditContext Context() {
  return {"CN=Inkoper,OU=procurement,O=9901",
          "procurement",
          "9901",
          "/regie.covenants.v1.CovenantService/CreateCovenant",
          "req",
          Sha256("req")};
}

// The fixture's terms under another id, optionally with other municipalities.
NewCovenant Covenant(const std::string& id, std::vector<std::string> codes = {}) {
  auto terms = testing::DuinstreekCovenant().covenant().terms();
  if (!codes.empty()) {
    terms.clear_municipalities();
    terms.clear_region();
    for (const auto& code : codes) {
      terms.add_municipalities("municipalities/" + code);
    }
  }
  return {id, codes.empty() ? "" : codes.front(), codes.empty() ? "duinstreek" : "",
          MakeTermsRow(terms)};
}

CovenantChange Publish(const CovenantRecord& current) {
  auto change = CovenantChange::From(current);
  change.new_state = CovenantState::kPublished;
  change.publish = true;
  change.audit_change_json = R"({"state": "published"})";
  return change;
}

struct Fixture {
  Fixture()
      : dsn(testing::PgCluster::Shared().CreateMigratedDatabase()),
        pool({dsn, 3, [](pqxx::connection& c) { db::SetUpSession(c, "regie-covenant-test"); }}),
        store(pool) {
    PgReferenceStore reference(pool);
    for (const auto& m : testing::DuinstreekMunicipalities()) {
      reference.CreateMunicipality(Deadline(), Context(), {m.code, m.display_name});
    }
    reference.CreateMunicipality(Deadline(), Context(), {"0363", "Amsterdam"});
    reference.CreateRegion(Deadline(), Context(),
                           {"duinstreek", "Regio Duinstreek", {"9901", "9902", "9903"}, "9901"});
  }

  // As an amendment will: a new version from a date, once published.
  void AddVersion(const std::string& id, int version, const std::string& effective_from,
                  const std::string& title) {
    auto terms = testing::DuinstreekCovenant().covenant().terms();
    terms.set_title(title);
    pqxx::connection c(dsn);
    pqxx::nontransaction(c).exec_params(
        "INSERT INTO covenants.covenant_versions (covenant_id, version, effective_from, terms) "
        "VALUES ($1, $2, $3::date, $4::jsonb)",
        id, version, effective_from, TermsToJson(terms));
  }

  std::string TitleAsOf(const std::string& id, const std::string& date) {
    return TermsFromJson(store.Get(Deadline(), id, date)->terms_json).title();
  }

  std::string dsn;
  db::ConnectionPool pool;
  PgCovenantStore store;
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(covenant_store, Fixture)

BOOST_AUTO_TEST_CASE(a_new_covenant_is_a_draft_with_version_one) {
  const auto created = store.Create(Deadline(), Context(), Covenant("jeugd"));
  BOOST_TEST((created.state == CovenantState::kDraft));
  BOOST_TEST(created.version == 1);
  BOOST_TEST(created.effective_from == "2026-01-01");
  BOOST_TEST(created.owner_region == "duinstreek");
  BOOST_TEST(created.participants.municipalities.size() == 3u);
  BOOST_TEST(created.published_at_us == 0);
  BOOST_TEST(TermsFromJson(created.terms_json).title() ==
             "Jeugdhulp en Wmo-begeleiding Regio Duinstreek 2026-2029");
  BOOST_CHECK_EXCEPTION(store.Create(Deadline(), Context(), Covenant("jeugd")), Error,
                        [](const Error& e) { return e.reason() == "COVENANT_EXISTS"; });
}

BOOST_AUTO_TEST_CASE(unknown_municipalities_and_outsiders_of_the_region_are_named) {
  auto covenant = Covenant("noord");
  covenant.terms.participants = {{"9901", "8888", "0363"}, "duinstreek"};
  try {
    store.Create(Deadline(), Context(), covenant);
    BOOST_FAIL("expected INVALID_ARGUMENT");
  } catch (const Error& e) {
    BOOST_REQUIRE_EQUAL(e.violations().size(), 3u);
    BOOST_TEST(e.violations()[0].field == "covenant.terms.municipalities[1]");
    BOOST_TEST(e.violations()[0].description.find("not a registered municipality") !=
               std::string::npos);
    BOOST_TEST(e.violations()[2].field == "covenant.terms.municipalities[2]");
    BOOST_TEST(e.violations()[2].description.find("not a member of regions/duinstreek") !=
               std::string::npos);
  }
  BOOST_TEST(!store.Get(Deadline(), "noord", "").has_value());
}

BOOST_AUTO_TEST_CASE(as_of_reads_across_two_amendments) {
  store.Create(Deadline(), Context(), Covenant("jeugd"));
  store.Change(Deadline(), Context(), "jeugd", Publish);
  AddVersion("jeugd", 2, "2027-01-01", "indexed 2027");
  AddVersion("jeugd", 3, "2028-01-01", "indexed 2028");
  BOOST_TEST(TitleAsOf("jeugd", "2025-06-01").find("Duinstreek") != std::string::npos);
  BOOST_TEST(TitleAsOf("jeugd", "2026-06-01").find("Duinstreek") != std::string::npos);
  BOOST_TEST(TitleAsOf("jeugd", "2027-01-01") == "indexed 2027");
  BOOST_TEST(TitleAsOf("jeugd", "2027-12-31") == "indexed 2027");
  BOOST_TEST(TitleAsOf("jeugd", "2028-01-01") == "indexed 2028");
  BOOST_TEST(store.Get(Deadline(), "jeugd", "2030-01-01")->version == 3);
  BOOST_TEST(store.Get(Deadline(), "jeugd", "2027-06-30")->effective_from == "2027-01-01");
}

BOOST_AUTO_TEST_CASE(drafts_change_in_place_and_published_terms_are_frozen) {
  const auto created = store.Create(Deadline(), Context(), Covenant("jeugd"));
  auto terms = testing::DuinstreekCovenant().covenant().terms();
  terms.set_title("Renamed while a draft");
  const auto changed =
      store.Change(Deadline(), Context(), "jeugd", [&](const CovenantRecord& current) {
        auto change = CovenantChange::From(current);
        change.new_draft_terms = MakeTermsRow(terms);
        change.audit_change_json = "{}";
        return change;
      });
  BOOST_TEST(changed.version == 1);
  BOOST_TEST(changed.etag == created.etag + 1);
  BOOST_TEST(TermsFromJson(changed.terms_json).title() == "Renamed while a draft");

  const auto published = store.Change(Deadline(), Context(), "jeugd", Publish);
  BOOST_TEST((published.state == CovenantState::kPublished));
  BOOST_TEST(published.published_at_us > 0);
  pqxx::connection c(dsn);
  BOOST_CHECK_THROW(
      pqxx::nontransaction(c).exec0("UPDATE covenants.covenant_versions SET terms = '{}' "
                                    "WHERE covenant_id = 'jeugd'"),
      pqxx::insufficient_privilege);
}

BOOST_AUTO_TEST_CASE(a_refused_change_leaves_everything_as_it_was) {
  const auto created = store.Create(Deadline(), Context(), Covenant("jeugd"));
  BOOST_CHECK_THROW(store.Change(Deadline(), Context(), "jeugd",
                                 [](const CovenantRecord&) -> CovenantChange {
                                   throw Error::FailedPrecondition("NO", "refused");
                                 }),
                    Error);
  BOOST_TEST(store.Get(Deadline(), "jeugd", "")->etag == created.etag);
  BOOST_CHECK_EXCEPTION(store.Change(Deadline(), Context(), "nothing", Publish), Error,
                        [](const Error& e) { return e.code() == ErrorCode::kNotFound; });
}

BOOST_AUTO_TEST_CASE(lists_show_drafts_only_to_their_participants_and_filter) {
  store.Create(Deadline(), Context(), Covenant("a-duinstreek"));
  store.Create(Deadline(), Context(), Covenant("b-amsterdam", {"0363"}));
  store.Create(Deadline(), Context(), Covenant("c-zeewijk", {"9903"}));
  store.Change(Deadline(), Context(), "c-zeewijk", Publish);

  auto ids = [&](const Participants& visibility, const CovenantFilter& filter) {
    std::vector<std::string> out;
    for (const auto& r : store.List(Deadline(), visibility, filter, "", 100)) {
      out.push_back(r.covenant_id);
    }
    return out;
  };
  using Ids = std::vector<std::string>;
  BOOST_TEST(ids({}, {}) == Ids{"c-zeewijk"}, boost::test_tools::per_element());
  BOOST_TEST(ids({{"0363"}, ""}, {}) == (Ids{"b-amsterdam", "c-zeewijk"}),
             boost::test_tools::per_element());
  BOOST_TEST(ids({{}, "duinstreek"}, {}) == (Ids{"a-duinstreek", "c-zeewijk"}),
             boost::test_tools::per_element());
  BOOST_TEST(ids({{"9901", "0363"}, ""}, {"draft", "", ""}) == (Ids{"a-duinstreek", "b-amsterdam"}),
             boost::test_tools::per_element());
  BOOST_TEST(ids({{"0363"}, ""}, {"", "9903", ""}) == Ids{"c-zeewijk"},
             boost::test_tools::per_element());
  BOOST_TEST(ids({{"0363"}, ""}, {"", "", "LEGAL_BASIS_WMO_2015"}).size() == 2u);
  BOOST_TEST(ids({{"0363"}, ""}, {"", "", "LEGAL_BASIS_PARTICIPATIEWET"}).empty());
}

BOOST_AUTO_TEST_CASE(the_calendar_moves_covenants_by_the_day_it_is_given) {
  store.Create(Deadline(), Context(), Covenant("jeugd"));
  store.Create(Deadline(), Context(), Covenant("still-a-draft", {"0363"}));
  store.Change(Deadline(), Context(), "jeugd", Publish);
  CovenantCalendar calendar(store);
  auto day = [](const std::string& iso) { return ToDays(*ParseIsoDate(iso)); };
  BOOST_TEST(calendar.Advance(Deadline(), day("2025-12-31")) == 0);
  BOOST_TEST(calendar.Advance(Deadline(), day("2026-01-01")) == 1);
  BOOST_TEST((store.Get(Deadline(), "jeugd", "")->state == CovenantState::kActive));
  BOOST_TEST(calendar.Advance(Deadline(), day("2026-01-02")) == 0);  // nothing twice
  BOOST_TEST(calendar.Advance(Deadline(), day("2029-12-31")) == 0);
  BOOST_TEST(calendar.Advance(Deadline(), day("2030-01-01")) == 1);
  BOOST_TEST((store.Get(Deadline(), "jeugd", "")->state == CovenantState::kEnded));
  BOOST_TEST((store.Get(Deadline(), "still-a-draft", "")->state == CovenantState::kDraft));
  db::RunTransaction(pool, Deadline(), [](db::Work& tx) {
    const auto rows = tx.exec(
        "SELECT change->>'state' FROM audit.events WHERE actor_subject = 'regie calendar' "
        "ORDER BY id");
    BOOST_REQUIRE_EQUAL(rows.size(), 2u);
    BOOST_TEST(rows[0][0].as<std::string>() == "active");
    BOOST_TEST(rows[1][0].as<std::string>() == "ended");
  });
}

BOOST_AUTO_TEST_CASE(pages_are_stable_while_covenants_are_added) {
  for (const auto* id : {"b", "d", "f", "h"}) {
    store.Create(Deadline(), Context(), Covenant(id, {"0363"}));
  }
  const Participants amsterdam{{"0363"}, ""};
  const auto first = store.List(Deadline(), amsterdam, {}, "", 2);
  BOOST_REQUIRE_EQUAL(first.size(), 2u);
  store.Create(Deadline(), Context(), Covenant("a", {"0363"}));  // before the cursor
  store.Create(Deadline(), Context(), Covenant("e", {"0363"}));  // after it
  std::vector<std::string> rest;
  for (auto after = first.back().covenant_id;;) {
    const auto page = store.List(Deadline(), amsterdam, {}, after, 2);
    for (const auto& r : page) {
      rest.push_back(r.covenant_id);
    }
    if (page.size() < 2) {
      break;
    }
    after = page.back().covenant_id;
  }
  BOOST_TEST(rest == (std::vector<std::string>{"e", "f", "h"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::covenants
