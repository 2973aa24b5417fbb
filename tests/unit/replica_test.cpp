// When a hot standby may serve reads that tolerate staleness.

#include <boost/test/unit_test.hpp>

#include "db/replica.hpp"

namespace regie::testing {

using db::FitForReads;
using db::LagSeconds;
using db::ReplicaState;
using std::chrono::milliseconds;

BOOST_AUTO_TEST_SUITE(replica)

BOOST_AUTO_TEST_CASE(a_standby_serves_reads_while_caught_up_or_at_most_the_lag_behind) {
  const milliseconds max_lag(5000);
  // Caught up: fit however long ago it last replayed (a quiet primary writes nothing new).
  BOOST_TEST(FitForReads(ReplicaState{true, 0, 600}, max_lag));
  BOOST_TEST(LagSeconds(ReplicaState{true, 0, 600}) == 0);
  // Behind: fit while what it replayed last is recent enough.
  BOOST_TEST(FitForReads(ReplicaState{true, 8192, 4.9}, max_lag));
  BOOST_TEST(!FitForReads(ReplicaState{true, 8192, 5.1}, max_lag));
  BOOST_TEST(LagSeconds(ReplicaState{true, 8192, 5.1}) == 5.1);
  // Promoted (no longer in recovery): it is current.
  BOOST_TEST(FitForReads(ReplicaState{false, 8192, 60}, max_lag));
  BOOST_TEST(LagSeconds(ReplicaState{false, 8192, 60}) == 0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace regie::testing
