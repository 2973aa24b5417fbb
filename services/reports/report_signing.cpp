#include "report_signing.hpp"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <algorithm>
#include <tuple>

#include "auth/pki.hpp"

namespace regie::reports {

v1::ReportContent Canonical(v1::ReportContent content) {
  auto* lines = content.mutable_lines();
  for (auto& line : *lines) {
    std::sort(line.mutable_amounts()->begin(), line.mutable_amounts()->end(),
              [](const v1::ProductAmount& a, const v1::ProductAmount& b) {
                return a.product_code() < b.product_code();
              });
    std::sort(line.mutable_indicators()->begin(), line.mutable_indicators()->end(),
              [](const v1::IndicatorCount& a, const v1::IndicatorCount& b) {
                return a.indicator() < b.indicator();
              });
  }
  std::sort(lines->begin(), lines->end(), [](const v1::ReportLine& a, const v1::ReportLine& b) {
    return std::tie(a.municipality(), a.lot_id()) < std::tie(b.municipality(), b.lot_id());
  });
  return content;
}

std::string SerializeCanonical(const v1::ReportContent& canonical) {
  std::string bytes(kCanonicalPrefix);
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    canonical.SerializeToCodedStream(&coded);
  }
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
