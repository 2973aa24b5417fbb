// regie-server: every Regie service area in one process, the default for one machine.

#include "covenants_bundle.hpp"
#include "outcomes_bundle.hpp"
#include "providers_bundle.hpp"
#include "reports_bundle.hpp"
#include "server_main.hpp"

int main(int argc, char** argv) {
  return regie::server::RunServerMain(
      argc, argv, "regie-server", "the Regie covenant, provider, outcome and reporting services",
      {regie::covenants::MakeCovenantsBundle, regie::providers::MakeProvidersBundle,
       regie::outcomes::MakeOutcomesBundle, regie::reports::MakeReportsBundle});
}
