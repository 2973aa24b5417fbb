// The Boost.Test entry point of the unit tests.
#define BOOST_TEST_MODULE regie_unit_tests
#include <boost/test/unit_test.hpp>
