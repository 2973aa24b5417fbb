// regie-providersd: the providers area alone (registration, admission, participations), to deploy
// and scale it separately against the same database.

#include "providers_bundle.hpp"
#include "server_main.hpp"

int main(int argc, char** argv) {
  return regie::server::RunServerMain(
      argc, argv, "regie-providersd",
      "the Regie providers service (aanbieders, toelating, deelname)",
      {regie::providers::MakeProvidersBundle});
}
