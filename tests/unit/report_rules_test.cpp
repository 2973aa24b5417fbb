// The rules of accountability reports: periods, names, due dates, the BSN eleven-test, every
// validation rule of a report's content, review transitions, and the signed canonical bytes.

#include <boost/test/unit_test.hpp>

#include "auth/pki.hpp"
#include "deadlines.hpp"
#include "fixtures.hpp"
#include "report_rules.hpp"
#include "report_signing.hpp"
#include "violated_fields.hpp"

namespace regie::reports {
namespace {

using std::chrono::sys_days;
namespace cv1 = covenants::v1;

sys_days Day(int y, unsigned m, unsigned d) {
  return sys_days(std::chrono::year(y) / std::chrono::month(m) / std::chrono::day(d));
}

v1::ReportLine Line(const std::string& municipality, const std::string& lot) {
  v1::ReportLine line;
  line.set_municipality("municipalities/" + municipality);
  line.set_lot_id(lot);
  line.set_clients_in_care(40);
  line.set_inflow(12);
  line.set_outflow(10);
  line.set_unilateral_endings(2);
  line.set_median_waiting_days(21);
  line.set_complaints(1);
  return line;
}

// A valid Q2 2026 report of provider 12345678 with lines for P1 in 9901 and 9902.
v1::ReportContent Content() {
  v1::ReportContent c;
  c.set_covenant("covenants/jeugd-wmo-duinstreek-2026");
  c.set_provider("providers/12345678");
  c.set_kind(v1::QUARTERLY);
  c.set_period("2026-Q2");
  auto* a = c.add_lines();
  *a = Line("9901", "P1");
  auto* amount = a->add_amounts();
  amount->set_product_code("45A48");
  amount->set_amount_eurocents(1'560'000);
  auto* count = a->add_indicators();
  count->set_indicator("indicators/nji-drop-out");
  count->set_numerator(3);
  count->set_denominator(25);
  *c.add_lines() = Line("9902", "P1");
  c.set_remarks("Quarter without particulars.\nWaiting times fell.");
  return c;
}

struct Checked {
  cv1::CovenantTerms terms = testing::DuinstreekCovenant().covenant().terms();
  ReportContext context{terms,
                        Day(2026, 1, 1),
                        Day(2029, 12, 31),
                        {"P1", "P4"},
                        {"nji-drop-out", "nji-satisfaction"}};

  // The fields named by validating `content`.
  std::vector<std::string> Fields(const v1::ReportContent& content) {
    const auto period = ParseReportPeriod(content.kind(), content.period());
    BOOST_REQUIRE(period.has_value());
    return testing::ViolatedFields([&] {
      Validation v;
      ValidateReportContent(content, *period, context, v);
      v.ThrowIfAny();
    });
  }
  std::vector<std::string> FieldsAfter(const std::function<void(v1::ReportContent&)>& change) {
    auto content = Content();
    change(content);
    return Fields(content);
  }
};

using Fields = std::vector<std::string>;

// A provider's certificate from `ca`.
auth::IssuedCertificate ProviderCertificate(const auth::KeyAndCertificate& ca,
                                            const std::string& kvk) {
  auth::CertificateSpec spec;
  spec.common_name = "Piet";
  spec.organisational_unit = "provider";
  spec.organisation = kvk;
  return auth::IssueCertificate(ca, spec);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(report_rules)

BOOST_AUTO_TEST_CASE(periods_are_quarters_or_years_by_kind) {
  const auto q2 = ParseReportPeriod(v1::QUARTERLY, "2026-Q2");
  BOOST_REQUIRE(q2.has_value());
  BOOST_TEST((q2->start == Day(2026, 4, 1)));
  BOOST_TEST((q2->end == Day(2026, 6, 30)));
  BOOST_TEST(q2->quarter == 2);
  const auto year = ParseReportPeriod(v1::ANNUAL_PRODUCTION, "2026");
  BOOST_REQUIRE(year.has_value());
  BOOST_TEST((year->end == Day(2026, 12, 31)));
  for (const auto* bad : {"2026", "2026-Q5", "2026-Q0", "2026Q2", "0026-Q1", "2026-q2", ""}) {
    BOOST_TEST(!ParseReportPeriod(v1::QUARTERLY, bad).has_value(), bad);
  }
  BOOST_TEST(!ParseReportPeriod(v1::COMPLAINTS_AND_INCIDENTS, "2026-Q1").has_value());
  BOOST_TEST(PeriodText(v1::QUARTERLY, Day(2026, 10, 1)) == "2026-Q4");
  BOOST_TEST(PeriodText(v1::ANNUAL_PRODUCTION, Day(2026, 1, 1)) == "2026");
}

BOOST_AUTO_TEST_CASE(one_report_per_provider_period_and_kind) {
  const auto q2 = *ParseReportPeriod(v1::QUARTERLY, "2026-Q2");
  const auto year = *ParseReportPeriod(v1::ANNUAL_PRODUCTION, "2026");
  BOOST_TEST(ReportId("12345678", v1::QUARTERLY, q2) == "12345678-2026-q2");
  BOOST_TEST(ReportId("12345678", v1::ANNUAL_PRODUCTION, year) == "12345678-2026-production");
  BOOST_TEST(ReportId("12345678", v1::COMPLAINTS_AND_INCIDENTS, year) ==
             "12345678-2026-complaints");
  Validation v;
  const auto key = ParseReportName("covenants/c-1/reports/12345678-2026-q2", v);
  BOOST_TEST(key.covenant_id == "c-1");
  BOOST_TEST(key.report_id == "12345678-2026-q2");
  BOOST_TEST(v.empty());
  for (const auto* bad : {"covenants/c-1/reports/", "covenants/c-1/reports/A", "reports/x",
                          "covenants//reports/x", "covenants/c-1/reports/x/y"}) {
    Validation refused;
    ParseReportName(bad, refused);
    BOOST_TEST(!refused.empty(), bad);
  }
}

BOOST_AUTO_TEST_CASE(due_dates_follow_the_reporting_calendar) {
  const auto terms = testing::DuinstreekCovenant().covenant().terms();
  const auto& calendar = terms.reporting_calendar();
  BOOST_TEST(calendar.quarterly_report_due_days() == 30);
  BOOST_TEST((DueDate(v1::QUARTERLY, *ParseReportPeriod(v1::QUARTERLY, "2026-Q2"), calendar) ==
              Day(2026, 7, 30)));
  BOOST_TEST((DueDate(v1::QUARTERLY, *ParseReportPeriod(v1::QUARTERLY, "2026-Q4"), calendar) ==
              Day(2027, 1, 30)));
  BOOST_TEST((DueDate(v1::ANNUAL_PRODUCTION, *ParseReportPeriod(v1::ANNUAL_PRODUCTION, "2026"),
                      calendar) == Day(2027, 3, 1)));
  BOOST_TEST((DueDate(v1::COMPLAINTS_AND_INCIDENTS,
                      *ParseReportPeriod(v1::COMPLAINTS_AND_INCIDENTS, "2026"),
                      calendar) == Day(2027, 4, 1)));
}

BOOST_AUTO_TEST_CASE(the_bsn_eleven_test) {
  BOOST_TEST(PassesBsnElevenTest("111222333"));  // 66 = 6 x 11
  BOOST_TEST(PassesBsnElevenTest("123456782"));  // 154 = 14 x 11
  BOOST_TEST(!PassesBsnElevenTest("123456789"));
  BOOST_TEST(!PassesBsnElevenTest("000000000"));
  BOOST_TEST(!PassesBsnElevenTest("12345678"));
  BOOST_TEST(!PassesBsnElevenTest("12345678a"));
}

BOOST_AUTO_TEST_CASE(free_text_with_a_bsn_is_found_however_it_is_written) {
  for (const auto* text : {"client 123456782 left care", "BSN: 1234.56.782", "123 456 782",
                           "nr 111-222-333.", "123456782"}) {
    BOOST_TEST(ContainsBsn(text), text);
  }
  for (const auto* text : {"KvK 12345678", "call 0612345678", "amount 123456789",
                           "2026-Q2, 45 clients", "1234567820", "", "invoice 12 34 56 782 0"}) {
    BOOST_TEST(!ContainsBsn(text), text);
  }
}

BOOST_AUTO_TEST_CASE(a_valid_report_passes) {
  Checked checked;
  BOOST_TEST(checked.Fields(Content()).empty());
}

BOOST_AUTO_TEST_CASE(each_rule_names_its_field) {
  Checked c;
  BOOST_TEST(c.FieldsAfter([](auto& r) { r.set_period("2025-Q4"); }) == Fields{"content.period"});
  BOOST_TEST(c.FieldsAfter([](auto& r) { r.clear_lines(); }) == Fields{"content.lines"});
  BOOST_TEST(c.FieldsAfter([](auto& r) { *r.add_lines() = Line("9901", "P1"); }) ==
             Fields{"content.lines[2]"});
  BOOST_TEST(c.FieldsAfter([](auto& r) {
    r.mutable_lines(1)->set_municipality("municipalities/0363");
  }) == Fields{"content.lines[1].municipality"});
  BOOST_TEST(c.FieldsAfter([](auto& r) { r.mutable_lines(1)->set_municipality("9902"); }) ==
             Fields{"content.lines[1].municipality"});
  BOOST_TEST(c.FieldsAfter([](auto& r) { r.mutable_lines(1)->set_lot_id("P9"); }) ==
             Fields{"content.lines[1].lot_id"});
  // P2 exists but the provider does not take part in it during the period.
  BOOST_TEST(c.FieldsAfter([](auto& r) { r.mutable_lines(1)->set_lot_id("P2"); }) ==
             Fields{"content.lines[1].lot_id"});
  BOOST_TEST(c.FieldsAfter([](auto& r) { r.mutable_lines(0)->set_inflow(-1); }) ==
             Fields{"content.lines[0].inflow"});
  BOOST_TEST(c.FieldsAfter([](auto& r) { r.mutable_lines(0)->set_clients_in_care(-5); }) ==
             Fields{"content.lines[0].clients_in_care"});
  BOOST_TEST(c.FieldsAfter([](auto& r) { r.mutable_lines(0)->set_unilateral_endings(11); }) ==
             Fields{"content.lines[0].unilateral_endings"});
  BOOST_TEST(c.FieldsAfter([](auto& r) { r.mutable_lines(0)->set_median_waiting_days(-1); }) ==
             Fields{"content.lines[0].median_waiting_days"});
  BOOST_TEST(c.FieldsAfter([](auto& r) { r.mutable_lines(0)->set_serious_incidents(-1); }) ==
             Fields{"content.lines[0].serious_incidents"});
  BOOST_TEST(c.FieldsAfter([](auto& r) {
    r.mutable_lines(0)->mutable_amounts(0)->set_product_code("41A00");  // a P2 product
  }) == Fields{"content.lines[0].amounts[0].product_code"});
  BOOST_TEST(c.FieldsAfter([](auto& r) {
    r.mutable_lines(0)->mutable_amounts(0)->set_amount_eurocents(-100);
  }) == Fields{"content.lines[0].amounts[0].amount_eurocents"});
  BOOST_TEST(c.FieldsAfter([](auto& r) {
    *r.mutable_lines(0)->add_amounts() = r.lines(0).amounts(0);
  }) == Fields{"content.lines[0].amounts[1].product_code"});
  BOOST_TEST(c.FieldsAfter([](auto& r) {
    r.mutable_lines(0)->mutable_indicators(0)->set_numerator(26);
  }) == Fields{"content.lines[0].indicators[0].numerator"});
  BOOST_TEST(c.FieldsAfter([](auto& r) {
    r.mutable_lines(0)->mutable_indicators(0)->set_indicator("indicators/zrm-improvement");
  }) == Fields{"content.lines[0].indicators[0].indicator"});
  BOOST_TEST(c.FieldsAfter([](auto& r) {
    r.mutable_lines(0)->mutable_indicators(0)->set_indicator("nji-drop-out");
  }) == Fields{"content.lines[0].indicators[0].indicator"});
  BOOST_TEST(c.FieldsAfter([](auto& r) {
    r.mutable_lines(0)->mutable_indicators(0)->set_denominator(-1);
  }) == (Fields{"content.lines[0].indicators[0].denominator",
                "content.lines[0].indicators[0].numerator"}));
  BOOST_TEST(c.FieldsAfter([](auto& r) { r.set_remarks("Client 1234.56.782 moved away."); }) ==
             Fields{"content.remarks"});
  BOOST_TEST(c.FieldsAfter([](auto& r) { r.mutable_signals()->set_note("about 111222333"); }) ==
             Fields{"content.signals.note"});
  BOOST_TEST(c.FieldsAfter([](auto& r) { r.set_remarks(std::string(4001, 'x')); }) ==
             Fields{"content.remarks"});
  BOOST_TEST(c.FieldsAfter([](auto& r) { r.set_remarks("tab\there"); }) ==
             Fields{"content.remarks"});
}

BOOST_AUTO_TEST_CASE(reviews_end_at_accepted_or_rejected) {
  using D = v1::ReviewReportRequest;
  BOOST_TEST(ReviewedState(v1::Report::SUBMITTED, D::ACCEPT) == v1::Report::ACCEPTED);
  BOOST_TEST(ReviewedState(v1::Report::SUBMITTED, D::QUESTION) == v1::Report::QUESTIONED);
  BOOST_TEST(ReviewedState(v1::Report::QUESTIONED, D::ACCEPT) == v1::Report::ACCEPTED);
  BOOST_TEST(ReviewedState(v1::Report::QUESTIONED, D::REJECT) == v1::Report::REJECTED);
  for (const auto final_state : {v1::Report::ACCEPTED, v1::Report::REJECTED}) {
    try {
      ReviewedState(final_state, D::ACCEPT);
      BOOST_FAIL("a final state was reviewed again");
    } catch (const Error& e) {
      BOOST_TEST((e.code() == ErrorCode::kFailedPrecondition));
      BOOST_TEST(e.reason() == "REPORT_" + v1::Report::State_Name(final_state));
    }
  }
}

BOOST_AUTO_TEST_CASE(canonical_bytes_ignore_order_and_see_every_field) {
  const auto content = Content();
  auto reordered = content;
  reordered.mutable_lines()->SwapElements(0, 1);
  BOOST_TEST(CanonicalReportBytes(content) == CanonicalReportBytes(reordered));
  BOOST_TEST(CanonicalReportBytes(content).starts_with(kCanonicalPrefix));
  auto changed = content;
  changed.mutable_lines(0)->mutable_amounts(0)->set_amount_eurocents(1'560'001);
  BOOST_TEST(CanonicalReportBytes(content) != CanonicalReportBytes(changed));
  auto waiting_unset = content;
  waiting_unset.mutable_lines(0)->clear_median_waiting_days();
  auto waiting_zero = content;
  waiting_zero.mutable_lines(0)->set_median_waiting_days(0);
  BOOST_TEST(CanonicalReportBytes(waiting_unset) != CanonicalReportBytes(waiting_zero));
}

// Found by fuzz_report_content: lines (or amounts) with equal keys kept the order they came in,
// so sorting twice could change the canonical bytes.
BOOST_AUTO_TEST_CASE(canonical_order_is_total_even_for_duplicate_keys) {
  auto content = Content();
  *content.add_lines() = content.lines(0);
  content.mutable_lines(2)->set_inflow(99);
  content.mutable_lines(0)->add_amounts()->set_product_code("45A48");
  auto reordered = content;
  reordered.mutable_lines()->SwapElements(0, 2);
  reordered.mutable_lines(2)->mutable_amounts()->SwapElements(0, 1);
  BOOST_TEST(CanonicalReportBytes(content) == CanonicalReportBytes(reordered));
  BOOST_TEST(SerializeCanonical(Canonical(Canonical(content))) == CanonicalReportBytes(content));
}

BOOST_AUTO_TEST_CASE(a_signature_verifies_only_for_its_content_and_key) {
  const auto ca = auth::CreateCertificateAuthority("Test CA", 1);
  const auto provider = ProviderCertificate(ca, "12345678");
  const auto other = ProviderCertificate(ca, "87654321");
  const auto content = Content();
  const auto signature = SignReport(provider.material.key_pem, content);
  BOOST_TEST(VerifyReportSignature(provider.material.certificate_pem, content, signature));
  BOOST_TEST(!VerifyReportSignature(other.material.certificate_pem, content, signature));
  auto changed = content;
  changed.mutable_signals()->set_waiting_list(true);
  BOOST_TEST(!VerifyReportSignature(provider.material.certificate_pem, changed, signature));
}

BOOST_AUTO_TEST_CASE(a_stored_report_is_checked_against_the_trusted_ca) {
  const auto ca = auth::CreateCertificateAuthority("Test CA", 1);
  const auto foreign_ca = auth::CreateCertificateAuthority("Other CA", 1);
  const auto signer = ProviderCertificate(ca, "12345678");
  v1::Report report;
  *report.mutable_content() = Canonical(Content());
  report.set_signature(SignReport(signer.material.key_pem, report.content()));
  report.set_signer_certificate(signer.material.certificate_pem);
  report.set_signer_fingerprint(
      auth::ParseCertificate(signer.material.certificate_pem).sha256_fingerprint);
  const auto ok = CheckStoredReport(report, ca.certificate_pem);
  BOOST_TEST(ok.ok, ok.failure);
  BOOST_TEST(ok.signer.find("CN=Piet") != std::string::npos);

  auto failure = [&](const std::function<void(v1::Report&)>& change,
                     const std::string& trusted_ca) {
    auto changed = report;
    change(changed);
    const auto check = CheckStoredReport(changed, trusted_ca);
    BOOST_TEST(!check.ok);
    return check.failure;
  };
  const auto& trusted = ca.certificate_pem;
  BOOST_TEST(failure([](auto&) {}, foreign_ca.certificate_pem).find("not issued by") !=
             std::string::npos);
  BOOST_TEST(failure([](auto& r) { r.mutable_content()->set_remarks("changed"); }, trusted)
                 .find("altered") != std::string::npos);
  BOOST_TEST(failure([](auto& r) { r.set_signer_fingerprint(std::string(32, 'x')); }, trusted)
                 .find("fingerprint") != std::string::npos);
  BOOST_TEST(
      failure([](auto& r) { r.mutable_content()->set_provider("providers/87654321"); }, trusted)
          .find("is not one of providers/87654321") != std::string::npos);
  BOOST_TEST(failure([](auto& r) { r.clear_signature(); }, trusted).find("no signature") !=
             std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::reports
