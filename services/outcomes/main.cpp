// regie-outcomesd: the outcomes area alone (indicators, outcome agreements, settlements), to
// deploy and scale it separately against the same database.

#include "outcomes_bundle.hpp"
#include "server_main.hpp"

int main(int argc, char** argv) {
  return regie::server::RunServerMain(argc, argv, "regie-outcomesd",
                                      "the Regie outcomes service (resultaatafspraken, afrekening)",
                                      {regie::outcomes::MakeOutcomesBundle});
}
