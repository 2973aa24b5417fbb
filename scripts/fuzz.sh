#!/usr/bin/env bash
# Hostile input for Regie's parsers (docs/security.md): builds the libFuzzer targets of fuzz/ with
# clang, AddressSanitizer (with leak detection) and UndefinedBehaviorSanitizer in build/fuzz, and
# runs each from seeds. A crash, a leak, a timeout or a broken property stops the run and keeps the
# input in build/fuzz/findings/.
#
#   scripts/fuzz.sh            1,000,000 executions per target (the documented long run)
#   scripts/fuzz.sh --smoke    20,000 executions per target (what CI runs)
#   scripts/fuzz.sh --runs N   N executions per target
#   ... --only TARGET          one target, e.g. --only fuzz_input_file
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
runs=1000000
seed=0  # 0: libFuzzer picks one; the smoke uses a fixed seed so that CI runs the same inputs
targets=(fuzz_report_content fuzz_certificate fuzz_input_file)
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke)
      runs=20000
      seed=1
      ;;
    --runs)
      runs=${2:?--runs needs a number}
      shift
      ;;
    --only)
      targets=("${2:?--only needs a target}")
      shift
      ;;
    *)
      echo "usage: scripts/fuzz.sh [--smoke | --runs N] [--only TARGET]" >&2
      exit 2
      ;;
  esac
  shift
done

build="$root/build/fuzz"
findings="$build/findings"
if [ ! -f "$build/build.ninja" ]; then
  CXX=clang++-14 cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Debug \
    -DREGIE_BUILD_TESTS=OFF -DREGIE_FUZZ=ON >/dev/null
fi
ninja -C "$build" fuzz_targets >/dev/null
mkdir -p "$findings"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Seeds: a report, a certificate, and the request files of the Duinstreek fixture, each behind the
# byte that makes fuzz_input_file read it as its request ('0' covenant, '1' agreement, '2' report).
mkdir -p "$work/fuzz_report_content" "$work/fuzz_certificate" "$work/fuzz_input_file"
grep -v '^#' "$root/fuzz/seeds/report_content.textproto" |
  protoc -I "$root/proto" -I /usr/include --encode=regie.reports.v1.ReportContent \
    regie/reports/v1/reports.proto >"$work/fuzz_report_content/report"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 \
  -subj "/O=12345678/OU=provider/CN=Seed" -keyout /dev/null -out "$work/fuzz_certificate/seed.pem" \
  2>/dev/null
fixtures="$root/tests/fixtures/duinstreek"
{ printf 0; cat "$fixtures/covenant.json"; } >"$work/fuzz_input_file/covenant"
{ printf 1; cat "$fixtures/agreement.yaml"; } >"$work/fuzz_input_file/agreement"
{ printf 2; cat "$fixtures/report-q1.yaml"; } >"$work/fuzz_input_file/report"

status=0
for target in "${targets[@]}"; do
  log="$work/$target.log"
  if "$build/fuzz/$target" -runs="$runs" -seed="$seed" -max_len=16384 -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$findings/$target-" "$work/$target" >"$log" 2>&1; then
    echo "$target: $(grep -a -m1 -o 'Done [0-9]* runs in [0-9]* second(s)' "$log"), no crash, no leak"
  else
    echo "$target: FAILED; the input is in $findings/" >&2
    grep -a -v '^#[0-9]' "$log" | tail -40 >&2
    status=1
  fi
done
exit $status
