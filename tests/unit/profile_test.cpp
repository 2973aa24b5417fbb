#include <boost/test/unit_test.hpp>

#include <fstream>

#include "profile.hpp"
#include "subprocess.hpp"

namespace regie::client {

BOOST_AUTO_TEST_SUITE(profile)

BOOST_AUTO_TEST_CASE(profiles_round_trip_through_the_config_file) {
  testing::TempDir dir;
  const auto path = dir.path() / "sub" / "config.json";
  BOOST_TEST(LoadConfig(path).profiles.empty());
  ConfigFile config;
  config.profiles["procurement"] = {"127.0.0.1:7443", "/c.crt", "/c.key", "/ca.crt"};
  config.default_profile = "procurement";
  SaveConfig(path, config);
  const auto loaded = LoadConfig(path);
  BOOST_TEST(loaded.default_profile == "procurement");
  BOOST_TEST(loaded.profiles.at("procurement").key == "/c.key");
}

BOOST_AUTO_TEST_CASE(flags_override_the_profile_and_missing_fields_are_named) {
  ConfigFile config;
  config.profiles["provider"] = {"127.0.0.1:1", "/p.crt", "/p.key", "/ca.crt"};
  ProfileOverrides overrides;
  overrides.name = "provider";
  overrides.address = "127.0.0.1:2";
  const auto p = ResolveProfile(config, overrides);
  BOOST_TEST(p.address == "127.0.0.1:2");
  BOOST_TEST(p.certificate == "/p.crt");

  overrides.name = "nobody";
  BOOST_CHECK_EXCEPTION(ResolveProfile(config, overrides), ConfigError, [](const ConfigError& e) {
    return std::string(e.what()).find("no profile named 'nobody'") != std::string::npos;
  });
  ProfileOverrides only_address;
  only_address.address = "127.0.0.1:3";
  BOOST_CHECK_EXCEPTION(
      ResolveProfile(ConfigFile{}, only_address), ConfigError,
      [](const ConfigError& e) { return std::string(e.what()).rfind("--cert", 0) == 0; });
}

BOOST_AUTO_TEST_CASE(a_malformed_config_file_is_a_config_error) {
  testing::TempDir dir;
  const auto path = dir.path() / "config.json";
  std::ofstream(path) << "{ not json";
  BOOST_CHECK_THROW(LoadConfig(path), ConfigError);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::client
