#include <boost/test/unit_test.hpp>

#include <fstream>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "profile.hpp"
#include "regie_client.hpp"
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

BOOST_AUTO_TEST_CASE(areas_at_their_own_addresses_round_trip_and_bad_ones_are_named) {
  testing::TempDir dir;
  const auto path = dir.path() / "config.json";
  Profile profile{"covenants.regie.example:7443", "/c.crt", "/c.key", "/ca.crt"};
  AddAreaAddress(profile, "reports=reports.regie.example:7443", "--area");
  AddAreaAddress(profile, "outcomes=outcomes.regie.example:7443", "--area");
  ConfigFile config;
  config.profiles["national"] = profile;
  SaveConfig(path, config);
  const auto loaded = LoadConfig(path).profiles.at("national");
  BOOST_TEST(loaded.areas.size() == 2u);
  BOOST_TEST(loaded.areas.at("reports") == "reports.regie.example:7443");

  const auto refused = [&](const std::string& assignment, const std::string& says) {
    Profile p;
    try {
      AddAreaAddress(p, assignment, "--area");
    } catch (const ConfigError& e) {
      const std::string what = e.what();
      BOOST_TEST(what.rfind("--area", 0) == 0, what);
      return what.find(says) != std::string::npos;
    }
    return false;
  };
  BOOST_TEST(refused("reports", "not AREA=HOST:PORT"));
  BOOST_TEST(refused("identity=id.example:7443", "'identity' is not a service area"));
  BOOST_TEST(refused("reports=", "no address for area 'reports'"));

  std::ofstream(path) << R"({"profiles": {"p": {"address": "a:1", "areas": {"report": "b:2"}}}})";
  BOOST_CHECK_EXCEPTION(LoadConfig(path), ConfigError, [](const ConfigError& e) {
    return std::string(e.what()).find("profile p: areas: 'report' is not a service area") !=
           std::string::npos;
  });
}

BOOST_AUTO_TEST_CASE(each_area_has_its_channel_and_everything_else_the_main_one) {
  const auto channel = [] {
    return grpc::CreateChannel("127.0.0.1:1", grpc::InsecureChannelCredentials());
  };
  const Channels channels{channel(), {{"reports", channel()}}};
  BOOST_TEST(channels.For("regie.reports.v1") == channels.areas.at("reports"));
  BOOST_TEST(channels.For("regie.reports.v1.QueryService") == channels.areas.at("reports"));
  BOOST_TEST(channels.For("regie.outcomes.v1.SettlementService") == channels.main);
  BOOST_TEST(channels.For("regie.identity.v1") == channels.main);
  BOOST_TEST(channels.For("") == channels.main);  // health of the whole server
}

BOOST_AUTO_TEST_CASE(a_malformed_config_file_is_a_config_error) {
  testing::TempDir dir;
  const auto path = dir.path() / "config.json";
  std::ofstream(path) << "{ not json";
  BOOST_CHECK_THROW(LoadConfig(path), ConfigError);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::client
