// regie-reportsd: the reports area alone (accountability reports and their review), to deploy
// and scale it separately against the same database.

#include "reports_bundle.hpp"
#include "server_main.hpp"

int main(int argc, char** argv) {
  return regie::server::RunServerMain(argc, argv, "regie-reportsd",
                                      "the Regie reports service (verantwoording)",
                                      {regie::reports::MakeReportsBundle});
}
