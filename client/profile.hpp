#pragma once

// `regie` profiles: where the server is and which certificate to use, stored in a JSON config
// file (default ~/.config/regie/config.json, or $REGIE_CONFIG), overridable by flags.

#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>

namespace regie::client {

// A local problem (config file, certificate files): exit code 3.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The service areas a deployment may serve at addresses of their own, one server per area
// (regie-covenantsd, ...; docs/scaling.md). Identity and audit are served by every server.
inline constexpr const char* kAreas[] = {"covenants", "providers", "outcomes", "reports"};

struct Profile {
  std::string address;      // host:port
  std::string certificate;  // client certificate file
  std::string key;          // its private key file
  std::string ca;           // deployment CA certificate file
  // Areas at an address of their own ("reports" -> "reports.regie.example:7443"); everything
  // else is at `address`.
  std::map<std::string, std::string> areas{};
};

// Adds "AREA=HOST:PORT" (`--area reports=reports.regie.example:7443`) to `profile.areas`. Throws
// ConfigError naming `flag` when AREA is not one of kAreas or the address is empty.
void AddAreaAddress(Profile& profile, const std::string& assignment, const std::string& flag);

struct ConfigFile {
  std::map<std::string, Profile> profiles;
  std::string default_profile;
};

// $REGIE_CONFIG, else $XDG_CONFIG_HOME/regie/config.json, else ~/.config/regie/config.json.
std::filesystem::path DefaultConfigPath();

// An absent file is an empty config. Throws ConfigError for an unreadable or malformed file.
ConfigFile LoadConfig(const std::filesystem::path& path);
// Writes atomically (temporary file, then rename), mode 0600.
void SaveConfig(const std::filesystem::path& path, const ConfigFile& config);

struct ProfileOverrides {
  std::string name;  // --profile, or $REGIE_PROFILE
  std::string address;
  std::string certificate;
  std::string key;
  std::string ca;
};

// The profile to use: the named (or default) profile with the flags laid over it. Every field must
// end up set. Throws ConfigError naming the missing field and how to set it.
Profile ResolveProfile(const ConfigFile& config, const ProfileOverrides& overrides);

// Reads a whole file; throws ConfigError naming `what` and the path.
std::string ReadTextFile(const std::filesystem::path& path, const std::string& what);

}  // namespace regie::client
