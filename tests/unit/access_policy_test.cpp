#include <google/protobuf/compiler/importer.h>

#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>
#include <set>

#include "auth/access_policy.hpp"
#include "error.hpp"
#include "rpc/boundary.hpp"

namespace regie::auth {
namespace {

Principal As(Role role) {
  Principal p;
  p.role = role;
  return p;
}

class SilentErrors : public google::protobuf::compiler::MultiFileErrorCollector {
 public:
  void AddError(const std::string& file, int line, int, const std::string& message) override {
    BOOST_ERROR(file << ":" << line << ": " << message);
  }
};

// Every RPC declared in proto/regie/**, read from the .proto sources themselves, so that a new
// RPC or a new service file is found without anyone having to list it here.
std::set<std::string> DeclaredRpcs() {
  const char* source = std::getenv("REGIE_SOURCE_DIR");
  BOOST_REQUIRE_MESSAGE(source != nullptr, "REGIE_SOURCE_DIR is not set (run through ctest)");
  const std::filesystem::path proto_dir = std::filesystem::path(source) / "proto";
  google::protobuf::compiler::DiskSourceTree tree;
  tree.MapPath("", proto_dir.string());
  tree.MapPath("", "/usr/include");
  SilentErrors errors;
  google::protobuf::compiler::Importer importer(&tree, &errors);
  std::set<std::string> rpcs;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(proto_dir / "regie")) {
    if (entry.path().extension() != ".proto") {
      continue;
    }
    const auto relative = std::filesystem::relative(entry.path(), proto_dir).string();
    const auto* file = importer.Import(relative);
    BOOST_REQUIRE_MESSAGE(file != nullptr, "cannot parse " << relative);
    for (int s = 0; s < file->service_count(); ++s) {
      const auto* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        rpcs.insert("/" + service->full_name() + "/" + service->method(m)->name());
      }
    }
  }
  return rpcs;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(access_policy)

BOOST_AUTO_TEST_CASE(every_declared_rpc_has_a_policy_row_and_every_row_a_declared_rpc) {
  const auto declared = DeclaredRpcs();
  BOOST_TEST(declared.size() >= 7u);
  const auto& policy = AccessPolicy::Default();
  for (const auto& rpc : declared) {
    BOOST_TEST_CONTEXT(rpc) { BOOST_TEST(policy.Find(rpc) != nullptr); }
  }
  for (const auto& rule : policy.rules()) {
    const bool grpc_builtin = rule.method.rfind("/grpc.", 0) == 0;
    BOOST_TEST_CONTEXT(rule.method) {
      BOOST_TEST((grpc_builtin || declared.count(rule.method) == 1));
      BOOST_TEST(!rule.roles.empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(an_rpc_missing_from_the_table_is_refused_to_everyone) {
  const AccessPolicy policy({{"/regie.x.v1.X/Allowed", {Role::kAdmin}}});
  for (Role role : kAllRoles) {
    BOOST_CHECK_EXCEPTION(
        policy.Authorize("/regie.x.v1.X/Missing", As(role)), Error, [](const Error& e) {
          return e.code() == ErrorCode::kPermissionDenied && e.reason() == "RPC_NOT_IN_POLICY";
        });
  }
  BOOST_CHECK_NO_THROW(policy.Authorize("/regie.x.v1.X/Allowed", As(Role::kAdmin)));
  BOOST_CHECK_EXCEPTION(policy.Authorize("/regie.x.v1.X/Allowed", As(Role::kProvider)), Error,
                        [](const Error& e) { return e.reason() == "ROLE_NOT_ALLOWED"; });
}

BOOST_AUTO_TEST_CASE(the_foundation_rows_say_who_may_do_what) {
  const auto& policy = AccessPolicy::Default();
  BOOST_CHECK_NO_THROW(
      policy.Authorize("/regie.identity.v1.IdentityService/WhoAmI", As(Role::kProvider)));
  BOOST_CHECK_THROW(policy.Authorize("/regie.identity.v1.IdentityService/RevokeCertificate",
                                     As(Role::kProcurement)),
                    Error);
  BOOST_CHECK_THROW(
      policy.Authorize("/regie.audit.v1.AuditService/ListEntries", As(Role::kProvider)), Error);
  BOOST_CHECK_NO_THROW(
      policy.Authorize("/regie.audit.v1.AuditService/ListEntries", As(Role::kAuditor)));
  const auto admin = policy.AllowedMethods(Role::kAdmin);
  BOOST_TEST(std::is_sorted(admin.begin(), admin.end()));
}

// Which callers' reads may be served by a standby (db/standby_reads.hpp).
BOOST_AUTO_TEST_CASE(only_auditors_only_read_and_one_write_or_unknown_rpc_makes_a_writer) {
  const auto only_read = [](const AccessPolicy& policy) {
    std::set<Role> roles;
    for (const Role role : rpc::RolesThatOnlyRead(policy)) {
      roles.insert(role);
    }
    return roles;
  };
  BOOST_TEST((only_read(AccessPolicy::Default()) == std::set<Role>{Role::kAuditor}));

  const PolicyRule health{"/grpc.health.v1.Health/Check", {Role::kAuditor, Role::kAdmin}};
  const PolicyRule list{"/regie.audit.v1.AuditService/ListEntries", {Role::kAuditor, Role::kAdmin}};
  const PolicyRule revoke{"/regie.identity.v1.IdentityService/RevokeCertificate", {Role::kAdmin}};
  const PolicyRule unknown{"/regie.nothing.v1.Nowhere/Read", {Role::kAuditor}};
  // Health is gRPC's own; a role without any RPC writes nothing either.
  BOOST_TEST((only_read(AccessPolicy({health, list})) ==
              std::set<Role>{Role::kProcurement, Role::kProvider, Role::kAuditor, Role::kAdmin}));
  BOOST_TEST((only_read(AccessPolicy({health, list, revoke})).count(Role::kAdmin) == 0));
  BOOST_TEST((only_read(AccessPolicy({health, list, unknown})).count(Role::kAuditor) == 0));
}

BOOST_AUTO_TEST_CASE(a_method_listed_twice_is_a_programming_error) {
  BOOST_CHECK_THROW(AccessPolicy({{"/a.B/C", {Role::kAdmin}}, {"/a.B/C", {Role::kAuditor}}}),
                    std::logic_error);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::auth
