#!/usr/bin/env bash
# The whole test suite, as CI runs it (.ci/run calls exactly this):
#   1. installs missing Debian packages,
#   2. checks formatting (clang-format 14),
#   3. builds everything with AddressSanitizer + UndefinedBehaviorSanitizer and warnings as errors,
#   4. runs a short fuzzing smoke of the parsers (scripts/fuzz.sh --smoke, clang + libFuzzer),
#   5. runs every test (labels unit, db, e2e, bench) and ends with ctest's summary.
# Pass ctest arguments to narrow it down, e.g. scripts/test.sh -L unit, or -R audit (this also
# skips the fuzzing smoke).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${REGIE_TEST_BUILD_DIR:-$root/build/test-asan}

"$root/scripts/install-deps.sh"
"$root/scripts/format.sh" --check

if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DREGIE_SANITIZE=ON -DREGIE_WERROR=ON >/dev/null
fi
ninja -C "$build"

if [ $# -eq 0 ]; then
  "$root/scripts/fuzz.sh" --smoke
fi

cd "$build"
exec ctest --output-on-failure --timeout 600 -j "$(nproc)" "$@"
