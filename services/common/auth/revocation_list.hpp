#pragma once

// The set of revoked certificate serials, shared by every RPC of a process. The server reloads it
// from auth.revoked_certificates periodically (other processes may revoke) and adds to it at once
// when it revokes a certificate itself.

#include <mutex>
#include <set>
#include <string>

namespace regie::auth {

class RevocationList {
 public:
  bool Contains(const std::string& serial_hex) const;
  void Add(const std::string& serial_hex);
  // Revocation is permanent, so a reload only ever adds serials.
  void AddAll(const std::set<std::string>& serials);

 private:
  mutable std::mutex mutex_;
  std::set<std::string> serials_;
};

}  // namespace regie::auth
