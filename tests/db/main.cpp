// The Boost.Test entry point of the db tests.
#define BOOST_TEST_MODULE regie_db_tests
#include <boost/test/unit_test.hpp>
