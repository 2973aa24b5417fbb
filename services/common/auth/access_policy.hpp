#pragma once

// The one authorization table: which roles may call which RPC. Default deny: an RPC that is not
// in the table cannot be called by anyone (docs/adr/0004-access-model.md).

#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.hpp"

namespace regie::auth {

struct PolicyRule {
  std::string method;  // "/package.Service/Method"
  std::vector<Role> roles;
};

class AccessPolicy {
 public:
  explicit AccessPolicy(std::vector<PolicyRule> rules);

  // The table every Regie process enforces.
  static const AccessPolicy& Default();

  // nullptr when the method is not in the table.
  const PolicyRule* Find(std::string_view method) const;

  // Throws Error(PERMISSION_DENIED) with reason RPC_NOT_IN_POLICY when the method is not in the
  // table, or ROLE_NOT_ALLOWED when the caller's role is not among its roles.
  void Authorize(std::string_view method, const Principal& principal) const;

  // Methods the role may call, sorted.
  std::vector<std::string> AllowedMethods(Role role) const;

  const std::vector<PolicyRule>& rules() const { return rules_; }

 private:
  std::vector<PolicyRule> rules_;  // sorted by method
};

}  // namespace regie::auth
