#include "auth/revocation_list.hpp"

namespace regie::auth {

bool RevocationList::Contains(const std::string& serial_hex) const {
  std::lock_guard lock(mutex_);
  return serials_.count(serial_hex) > 0;
}

void RevocationList::Add(const std::string& serial_hex) {
  std::lock_guard lock(mutex_);
  serials_.insert(serial_hex);
}

void RevocationList::AddAll(const std::set<std::string>& serials) {
  std::lock_guard lock(mutex_);
  serials_.insert(serials.begin(), serials.end());
}

}  // namespace regie::auth
