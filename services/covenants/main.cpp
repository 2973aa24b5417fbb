// regie-covenantsd: the covenants area alone, to deploy and scale it separately against the same
// database.

#include "covenants_bundle.hpp"
#include "server_main.hpp"

int main(int argc, char** argv) {
  return regie::server::RunServerMain(argc, argv, "regie-covenantsd",
                                      "the Regie covenants service (convenanten)",
                                      {regie::covenants::MakeCovenantsBundle});
}
