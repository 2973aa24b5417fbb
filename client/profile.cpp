#include "profile.hpp"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace regie::client {

std::filesystem::path DefaultConfigPath() {
  if (const char* explicit_path = std::getenv("REGIE_CONFIG"); explicit_path && *explicit_path) {
    return explicit_path;
  }
  if (const char* xdg = std::getenv("XDG_CONFIG_HOME"); xdg && *xdg) {
    return std::filesystem::path(xdg) / "regie" / "config.json";
  }
  const char* home = std::getenv("HOME");
  return std::filesystem::path(home ? home : ".") / ".config" / "regie" / "config.json";
}

std::string ReadTextFile(const std::filesystem::path& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ConfigError(what + " " + path.string() + " cannot be read");
  }
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

namespace {

void CheckArea(const std::string& area, const std::string& address, const std::string& where) {
  std::string known;
  for (const char* name : kAreas) {
    if (area == name) {
      if (address.empty()) {
        throw ConfigError(where + ": no address for area '" + area + "' (AREA=HOST:PORT)");
      }
      return;
    }
    known += (known.empty() ? "" : ", ") + std::string(name);
  }
  throw ConfigError(where + ": '" + area + "' is not a service area (" + known + ")");
}

}  // namespace

void AddAreaAddress(Profile& profile, const std::string& assignment, const std::string& flag) {
  const auto equals = assignment.find('=');
  if (equals == std::string::npos) {
    throw ConfigError(flag + ": '" + assignment + "' is not AREA=HOST:PORT");
  }
  const auto area = assignment.substr(0, equals);
  const auto address = assignment.substr(equals + 1);
  CheckArea(area, address, flag);
  profile.areas[area] = address;
}

ConfigFile LoadConfig(const std::filesystem::path& path) {
  ConfigFile config;
  if (!std::filesystem::exists(path)) {
    return config;
  }
  try {
    const auto json = nlohmann::json::parse(ReadTextFile(path, "config file"));
    config.default_profile = json.value("default_profile", "");
    const auto profiles = json.value("profiles", nlohmann::json::object());
    for (const auto& [name, p] : profiles.items()) {
      auto& profile = config.profiles[name];
      profile = Profile{p.value("address", ""), p.value("certificate", ""), p.value("key", ""),
                        p.value("ca", "")};
      const auto areas = p.value("areas", nlohmann::json::object());
      for (const auto& [area, address] : areas.items()) {
        profile.areas[area] = address.get<std::string>();
        CheckArea(area, profile.areas[area],
                  "config file " + path.string() + ": profile " + name + ": areas");
      }
    }
  } catch (const nlohmann::json::exception& e) {
    throw ConfigError("config file " + path.string() + " is not valid: " + e.what());
  }
  return config;
}

void SaveConfig(const std::filesystem::path& path, const ConfigFile& config) {
  nlohmann::json json = {{"profiles", nlohmann::json::object()}};
  if (!config.default_profile.empty()) {
    json["default_profile"] = config.default_profile;
  }
  for (const auto& [name, p] : config.profiles) {
    json["profiles"][name] = {
        {"address", p.address}, {"certificate", p.certificate}, {"key", p.key}, {"ca", p.ca}};
    if (!p.areas.empty()) {
      json["profiles"][name]["areas"] = p.areas;
    }
  }
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  const auto temporary = path.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::trunc);
    if (!out) {
      throw ConfigError("config file " + temporary + " cannot be written");
    }
    out << json.dump(2) << "\n";
  }
  ::chmod(temporary.c_str(), 0600);
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    throw ConfigError("config file " + path.string() + " cannot be written: " + ec.message());
  }
}

Profile ResolveProfile(const ConfigFile& config, const ProfileOverrides& overrides) {
  Profile profile;
  std::string name = overrides.name;
  if (name.empty()) {
    if (const char* env = std::getenv("REGIE_PROFILE"); env && *env) {
      name = env;
    } else {
      name = config.default_profile;
    }
  }
  if (!name.empty()) {
    const auto it = config.profiles.find(name);
    if (it == config.profiles.end()) {
      std::string known;
      for (const auto& [n, p] : config.profiles) {
        known += (known.empty() ? "" : ", ") + n;
      }
      throw ConfigError("--profile: no profile named '" + name + "' in " +
                        DefaultConfigPath().string() +
                        (known.empty() ? " (it has none)" : " (known: " + known + ")"));
    }
    profile = it->second;
  }
  auto overlay = [](std::string& field, const std::string& value) {
    if (!value.empty()) {
      field = value;
    }
  };
  overlay(profile.address, overrides.address);
  overlay(profile.certificate, overrides.certificate);
  overlay(profile.key, overrides.key);
  overlay(profile.ca, overrides.ca);
  const std::string hint = " (choose a profile with --profile NAME, or pass the flag)";
  if (profile.address.empty()) {
    throw ConfigError("--address: no server address" + hint);
  }
  if (profile.certificate.empty()) {
    throw ConfigError("--cert: no client certificate" + hint);
  }
  if (profile.key.empty()) {
    throw ConfigError("--key: no client key" + hint);
  }
  if (profile.ca.empty()) {
    throw ConfigError("--ca: no CA certificate" + hint);
  }
  return profile;
}

}  // namespace regie::client
