#!/usr/bin/env bash
# The whole story, as a newcomer meets it: the run command (deploy/dev/up.sh) on an empty state
# directory starts the stack and loads the demo region through `regie` only (deploy/dev/demo.sh:
# the admin, procurement staff, five providers; one assessment refused without a motivation and
# recorded with one). Then, switching between the procurement, provider and auditor profiles: a
# provider cannot see a competitor's report, the settlement of lot P6 is the domain oracle's,
# the OCDS export validates, the audit log verifies, also on a restore of a pg_dump backup
# (docs/operations.md), and fails after one tampered row. A second up.sh changes nothing;
# down.sh stops it all.
# Uses the binaries of the build under test (REGIE_BUILD_DIR) and a private state directory,
# config file and ports, so that it touches nothing of the developer's own stack.
set -euo pipefail
root=$REGIE_SOURCE_DIR
work=$(mktemp -d /tmp/regie-story-XXXXXX)
chmod 755 "$work"
export REGIE_STATE_DIR=$work/state
export REGIE_CONFIG=$work/config.json
export REGIE_BUILD_DIR=$REGIE_BINARY_DIR
export REGIE_PORT=$((20000 + RANDOM % 30000))
export REGIE_PG_PORT=$((REGIE_PORT + 1))
source "$root/deploy/dev/common.sh"
restored_pid=
cleanup() {
  [ -n "$restored_pid" ] && kill "$restored_pid" 2>/dev/null
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
regie=$REGIE_BINARY_DIR/client/regie
# as PROFILE ARGS...: `regie` as PROFILE, its output (both streams) in $output, its exit code in
# $code.
as() {
  local profile=$1
  shift
  code=0
  output=$("$regie" --profile "$profile" "$@" 2>&1) || code=$?
}

output=$("$root/deploy/dev/up.sh")
expect "Regie is running" "up.sh did not report a running stack"
expect "regie --profile procurement health" "up.sh did not say what to type next"
expect "Duinstreek loaded" "up.sh did not load the demo"
pid=$(cat "$REGIE_STATE_DIR/regie-server.pid")
start=$(($(TZ=Europe/Amsterdam date +%Y) - 1))
covenant=jeugd-wmo-duinstreek-$start

for profile in procurement provider auditor admin; do
  as "$profile" health
  expect SERVING "profile $profile is not SERVING"
done
as provider whoami
expect 12345678 "the provider profile is not the provider"

# The admission round: the rejection was refused without a motivation and recorded with one.
output=$(cat "$REGIE_STATE_DIR/demo.log")
expect "assessment.motivation" "the demo did not show the unmotivated rejection refused"
as procurement application list "$covenant" --provider 34567890
expect "P1:ADMITTED P4:REJECTED" "the application round is not decided"
application=$(printf '%s\n' "$output" | awk '/P4:REJECTED/ {print $1; exit}')
as provider-34567890 application show "$covenant/$application"
expect "REJECTED" "the provider does not see its rejection"
expect "Motivation: R5: no EED-registered psychologist" "the letter does not cite R5"

# A provider sees its own reports and no competitor's.
as provider report list "$covenant"
expect "12345678-$start-q2" "the provider does not see its own report"
case "$output" in *23456789*) fail "the provider sees a competitor's report: $output" ;; esac
as provider report show "$covenant/23456789-$start-q1"
[ "$code" = 4 ] || fail "a competitor's report was shown (exit $code): $output"
expect "NOT_YOUR_ORGANISATION" "the refusal does not say why"
as auditor report versions "$covenant/12345678-$start-q2"
expect "QUESTIONED" "the corrected report lost its questioned version"

# The settlement of P6 is the domain oracle's: S = 0.74, EUR 2,368,800.
as provider settle explain "$covenant/$start-12345678-P6-results"
expect "Score S = 0.740000 (37/50)" "the score is not the oracle's"
expect "EUR 2,368,800.00" "the settlement is not the oracle's"

# The other commands the demo promises have something to show at once.
as procurement covenant deadlines --within 400d
expect "ACCESSION_WINDOW" "no deadlines"
as provider query peers "$covenant" --indicator nji-drop-out --period "$start"
expect "(you)" "the peer comparison does not show the provider's own row"
as procurement evidence list --provider all --expiring 30d
expect "providers/45678901/evidence/hkz" "the expiring quality mark is not listed"
as procurement covenant versions "$covenant"
expect "OVA index 3.25%" "the adopted indexation is not a version"
ocds=$work/ocds.json
as auditor export ocds "$covenant" --output "$ocds"
[ "$code" = 0 ] || fail "export ocds: $output"
output=$(python3 "$root/tests/ocds/validate_ocds.py" "$ocds") || fail "OCDS invalid: $output"

as auditor audit verify
expect "audit log verified" "audit verify failed"

# Backup and restore (docs/operations.md): the restored database still verifies.
backup=$work/regie.dump
as_pg pg_dump -h "$pg_socket" -p "$pg_port" -U postgres -Fc regie >"$backup"
psql_admin -d postgres -c "CREATE DATABASE regie_restored OWNER regie"
as_pg pg_restore -h "$pg_socket" -p "$pg_port" -U postgres -d regie_restored --exit-on-error \
  "$backup"
restored_port=$((REGIE_PORT + 2))
REGIE_LISTEN="127.0.0.1:$restored_port" \
  REGIE_DATABASE_URL="host=$pg_socket port=$pg_port dbname=regie_restored user=regie" \
  REGIE_TLS_CA="$ca_dir/ca.crt" REGIE_TLS_CERT="$certs/server.crt" \
  REGIE_TLS_KEY="$certs/server.key" \
  "$REGIE_BINARY_DIR/services/regie-server" >"$work/restored.log" 2>&1 &
restored_pid=$!
"$regie" config set-profile restored --server "127.0.0.1:$restored_port" \
  --client-cert "$certs/auditor.crt" --client-key "$certs/auditor.key" \
  --ca-cert "$ca_dir/ca.crt" >/dev/null
for _ in $(seq 1 100); do
  as restored --timeout 2 health
  [ "$code" = 0 ] && break
  sleep 0.2
done
as restored audit verify
expect "audit log verified" "the restored database does not verify"
as restored settle show "$covenant/$start-12345678-P6-results"
expect "2,368,800.00" "the restored database lost the settlement"
kill "$restored_pid"
wait "$restored_pid" || true
restored_pid=

# A second up.sh keeps everything as it is.
output=$("$root/deploy/dev/up.sh")
expect "already running (pid $pid)" "the second up.sh did not keep the server"
expect "loaded already" "the second up.sh did not see the demo"

# One row changed behind the server's back: verification fails with exit code 6.
psql_admin -d regie -c "SET session_replication_role = replica;
  UPDATE audit.events SET actor_role = 'x' WHERE id = (SELECT max(id) FROM audit.events)"
as auditor audit verify
[ "$code" = 6 ] || fail "audit verify after tampering exited $code: $output"
expect "FAILED" "audit verify did not say it failed"

output=$("$root/deploy/dev/down.sh")
expect "regie-server stopped" "down.sh did not stop the server"
if kill -0 "$pid" 2>/dev/null; then fail "regie-server still runs after down.sh"; fi
as procurement --timeout 2 health
[ "$code" != 0 ] || fail "still answering after down.sh"
echo "demo story: up with the demo, roles, oracle, OCDS, audit, backup and restore, tamper, down: ok"
