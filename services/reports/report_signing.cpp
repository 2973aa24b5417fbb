#include "report_signing.hpp"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>
#include <tuple>

#include "auth/pki.hpp"

namespace regie::reports {

namespace {

// `message` serialized deterministically, appended to `bytes`.
void AppendDeterministic(const google::protobuf::Message& message, std::string& bytes) {
  google::protobuf::io::StringOutputStream stream(&bytes);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  message.SerializeToCodedStream(&coded);
}

// Sorts `items` by `key`, and items with equal keys by their bytes, so that the order is total:
// the result does not depend on the order they came in, even for duplicates (which validation
// refuses, but only after the signature is checked).
template <class Items, class Key>
void SortTotally(Items& items, Key key) {
  std::sort(items.begin(), items.end(), [&key](const auto& a, const auto& b) {
    const auto key_a = key(a);
    const auto key_b = key(b);
    if (key_a != key_b) {
      return key_a < key_b;
    }
    std::string bytes_a;
    std::string bytes_b;
    AppendDeterministic(a, bytes_a);
    AppendDeterministic(b, bytes_b);
    return bytes_a < bytes_b;
  });
}

}  // namespace

v1::ReportContent Canonical(v1::ReportContent content) {
  auto* lines = content.mutable_lines();
  for (auto& line : *lines) {
    SortTotally(*line.mutable_amounts(),
                [](const v1::ProductAmount& a) -> const std::string& { return a.product_code(); });
    SortTotally(*line.mutable_indicators(),
                [](const v1::IndicatorCount& i) -> const std::string& { return i.indicator(); });
  }
  SortTotally(*lines,
              [](const v1::ReportLine& l) { return std::tie(l.municipality(), l.lot_id()); });
  return content;
}

std::string SerializeCanonical(const v1::ReportContent& canonical) {
  std::string bytes(kCanonicalPrefix);
  AppendDeterministic(canonical, bytes);
  return bytes;
}

std::string CanonicalReportBytes(const v1::ReportContent& content) {
  return SerializeCanonical(Canonical(content));
}

std::string SignReport(std::string_view key_pem, const v1::ReportContent& content) {
  return SignReport(auth::SigningKey(key_pem), content);
}

std::string SignReport(const auth::SigningKey& key, const v1::ReportContent& content) {
  return key.SignSha256(CanonicalReportBytes(content));
}

bool VerifyReportSignature(std::string_view certificate_pem, const v1::ReportContent& content,
                           std::string_view signature) {
  return VerifyCanonicalSignature(certificate_pem, CanonicalReportBytes(content), signature);
}

bool VerifyCanonicalSignature(std::string_view certificate_pem, std::string_view canonical_bytes,
                              std::string_view signature) {
  return auth::VerifySha256(certificate_pem, canonical_bytes, signature);
}

StoredReportCheck CheckStoredReport(const v1::Report& report, std::string_view trusted_ca_pem) {
  StoredReportCheck check;
  if (report.signature().empty() || report.signer_certificate().empty()) {
    check.failure = "the version carries no signature or no signer certificate";
    return check;
  }
  auth::CertificateInfo certificate;
  try {
    certificate = auth::ParseCertificate(report.signer_certificate());
  } catch (const auth::PkiError& e) {
    check.failure = std::string("the signer certificate cannot be read: ") + e.what();
    return check;
  }
  check.signer = certificate.subject;
  std::string why;
  if (certificate.sha256_fingerprint != report.signer_fingerprint()) {
    check.failure = "the signer certificate does not have the stored fingerprint";
  } else if (!auth::VerifyIssuedBy(report.signer_certificate(), trusted_ca_pem, why,
                                   /*ignore_validity_period=*/true)) {
    check.failure = "the signer certificate was not issued by the trusted CA: " + why;
  } else if (certificate.organisational_unit != "provider" ||
             "providers/" + certificate.organisation != report.content().provider()) {
    check.failure = "the signer certificate (O=" + certificate.organisation + ") is not one of " +
                    report.content().provider();
  } else if (!VerifyReportSignature(report.signer_certificate(), report.content(),
                                    report.signature())) {
    check.failure = "the signature does not match the content: the report was altered";
  } else {
    check.ok = true;
  }
  return check;
}

}  // namespace regie::reports
