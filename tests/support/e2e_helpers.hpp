#pragma once

// Small helpers shared by the in-process end-to-end suites.

#include <chrono>
#include <string>
#include <vector>

#include "regie/providers/v1/providers.pb.h"
#include "regie_client.hpp"
#include "test_server.hpp"

namespace regie::testing {

// Whether `e` has `code` and, when `reason` is not empty, that reason.
bool Refused(const client::RpcError& e, grpc::StatusCode code, const std::string& reason = "");

// Whether `e` is INVALID_ARGUMENT whose first violation names `field`.
bool NamesField(const client::RpcError& e, const std::string& field);

// The calendar year of `day`.
inline int YearOf(std::chrono::sys_days day) {
  return static_cast<int>(std::chrono::year_month_day(day).year());
}

// Today in the Netherlands by the database's clock, as the server counts days.
std::chrono::sys_days DatabaseToday(const TestServer& server);

// Registers provider `kvk` (the caller's organisation) with one address in 9901 and a contact.
providers::v1::Provider RegisterProvider(client::RegieClient& provider, const std::string& kvk,
                                         const std::string& display_name);

// A published Duinstreek covenant (tests/fixtures) whose term began on 1 January of `start_year`
// and runs until 2099, so that past periods can be reported and settled. Returns its name.
std::string PublishCovenantSince(client::RegieClient& procurement, int start_year);

}  // namespace regie::testing
