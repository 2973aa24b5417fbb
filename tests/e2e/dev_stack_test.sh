#!/usr/bin/env bash
# The run command of README.md: deploy/dev/up.sh twice (the second run must be a no-op that keeps
# everything running), the profiles it writes answer SERVING, then deploy/dev/down.sh stops it.
# Uses the binaries of the build under test (REGIE_BUILD_DIR) and a private state directory,
# config file and port, so that it touches nothing of the developer's own stack.
set -euo pipefail
root=$REGIE_SOURCE_DIR
work=$(mktemp -d /tmp/regie-devstack-XXXXXX)
chmod 755 "$work"
export REGIE_STATE_DIR=$work/state
export REGIE_CONFIG=$work/config.json
export REGIE_BUILD_DIR=$REGIE_BINARY_DIR
export REGIE_PORT=$((20000 + RANDOM % 30000))
cleanup() {
  "$root/deploy/dev/down.sh" --purge >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
# Output is captured before matching: `cmd | grep -q` would fail under pipefail when grep stops
# reading early and cmd gets SIGPIPE.
expect() {  # expect TEXT MESSAGE: TEXT must occur in $output
  case "$output" in *"$1"*) ;; *) fail "$2 (output: $output)" ;; esac
}

output=$("$root/deploy/dev/up.sh")
expect "Regie is running" "up.sh did not report a running stack"
expect "regie --profile procurement health" "up.sh did not say what to type next"
pid=$(cat "$REGIE_STATE_DIR/regie-server.pid")

output=$("$root/deploy/dev/up.sh")
expect "already running (pid $pid)" "the second up.sh did not keep the server"

regie=$REGIE_BINARY_DIR/client/regie
for profile in procurement provider auditor admin; do
  output=$("$regie" --profile "$profile" health)
  expect SERVING "profile $profile is not SERVING"
done
output=$("$regie" --profile provider whoami)
expect 12345678 "the provider profile is not the provider"
output=$("$regie" --profile auditor audit verify)
expect "audit log verified" "audit verify failed"

output=$("$root/deploy/dev/down.sh")
expect "regie-server stopped" "down.sh did not stop the server"
if kill -0 "$pid" 2>/dev/null; then fail "regie-server still runs after down.sh"; fi
if "$regie" --profile procurement --timeout 2 health >/dev/null 2>&1; then fail "still answering"; fi
echo "dev stack: up twice, four profiles SERVING, down: ok"
