#pragma once

// A covenant as an OCDS 1.1.5 release package (Open Contracting Data Standard) with the
// techniques and metrics extensions (docs/adr/0009): one contracting process per covenant, the
// covenant as a framework-agreement tender, an award release per admission with the agreed
// metrics of its outcome agreements, and an implementation release per accepted report version
// and lot with its indicator observations. Pure: the store gathers the facts.

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace regie::reports {

// This deployment's OCID prefix; a production deployment registers its own with the Open
// Contracting Partnership.
inline constexpr std::string_view kOcidPrefix = "ocds-regie1-";

struct OcdsFacts {
  std::string covenant_id;
  std::string title;
  std::string state;         // the covenant's state as stored, e.g. "active"
  std::string published_at;  // RFC 3339, UTC
  std::string term_start;    // ISO days
  std::string term_end;
  int terms_version = 0;
  std::string owner_id;  // party id of the municipality or region that owns the covenant
  std::string owner_name;
  std::vector<std::pair<std::string, std::string>> lots;  // id, title
  std::string generated_at;                               // RFC 3339, UTC

  struct Award {
    std::string kvk;
    std::string lot_id;
    std::string state;  // participation state
    std::string in_force_from;
    std::string provider_name;
  };
  std::vector<Award> awards;

  struct Level {
    std::string indicator_id;
    std::string floor;
    std::string target;
  };
  struct Agreement {
    std::string lot_id;
    std::string agreement_id;
    std::string kvk;  // empty: every provider of the lot
    int version = 0;
    std::vector<Level> levels;
  };
  std::vector<Agreement> agreements;

  struct Observation {
    std::string report_id;
    int version = 0;
    std::string kvk;
    std::string period_start;  // ISO days
    std::string period_end;
    std::string lot_id;
    std::string indicator_id;
    std::int64_t numerator = 0;
    std::int64_t denominator = 0;
    std::string accepted_at;  // RFC 3339
  };
  std::vector<Observation> observations;

  std::map<std::string, std::string> indicator_titles;
};

// The release package. Observations with a denominator below the suppression threshold are left
// out (shared output); a release left without metrics is left out.
nlohmann::json OcdsReleasePackage(const OcdsFacts& facts);

}  // namespace regie::reports
