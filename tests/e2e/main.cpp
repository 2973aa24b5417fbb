// The Boost.Test entry point of the e2e tests.
#define BOOST_TEST_MODULE regie_e2e_tests
#include <boost/test/unit_test.hpp>
