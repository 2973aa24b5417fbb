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

std::string CanonicalReportBytes(const v1::ReportContent& content) {
  std::string bytes(kCanonicalPrefix);
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    Canonical(content).SerializeToCodedStream(&coded);
  }
  return bytes;
}

std::string SignReport(std::string_view key_pem, const v1::ReportContent& content) {
  return auth::SignSha256(key_pem, CanonicalReportBytes(content));
}

bool VerifyReportSignature(std::string_view certificate_pem, const v1::ReportContent& content,
                           std::string_view signature) {
  return auth::VerifySha256(certificate_pem, CanonicalReportBytes(content), signature);
}

}  // namespace regie::reports
