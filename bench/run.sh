#!/usr/bin/env bash
# Runs regie-bench against a private local stack: builds (build/bench, optimised, unless
# REGIE_BUILD_DIR names another build), starts PostgreSQL and regie-server with
# deploy/dev/up.sh --no-demo in a scratch state directory, runs the benchmark, and stops it all.
#   bench/run.sh                       the full run (docs/performance.md)
#   bench/run.sh --smoke               a short run that checks that everything works (CI)
#   bench/run.sh --json results.json   also write the results as JSON
# Other flags go to regie-bench (regie-bench --help).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
export REGIE_BUILD_DIR=${REGIE_BUILD_DIR:-$root/build/bench}
work=$(mktemp -d /tmp/regie-bench-XXXXXX)
chmod 755 "$work"
export REGIE_STATE_DIR=$work/state
export REGIE_CONFIG=$work/config.json
export REGIE_PORT=${REGIE_PORT:-$((20000 + RANDOM % 30000))}
export REGIE_PG_PORT=$((REGIE_PORT + 1))
# The server's calendar puts each new covenant in force within a second (its default tick is a
# minute), before the bench measures anything on it (CovenantInForce).
export REGIE_CALENDAR_INTERVAL_MS=1000
source "$root/deploy/dev/common.sh"
cleanup() {
  "$root/deploy/dev/down.sh" --purge >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ ! -f "$build/build.ninja" ]; then
  "$root/scripts/install-deps.sh"
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DREGIE_BUILD_TESTS=OFF >/dev/null
fi
ninja -C "$build" regie-bench | tail -n 1
"$root/deploy/dev/up.sh" --no-demo >/dev/null

# A database in service writes its WAL into segments that checkpoints recycled; a new cluster has
# none, and creates every 16 MB segment while all commits wait for it (about 20 ms here). The
# stack's cluster is brought to the state of one in service: min_wal_size (up.sh) of used
# segments, made by switching segments and recycled by a checkpoint (docs/adr/0022). The smoke
# run only checks that this works.
segments=$(psql_admin -d postgres -tAc "SELECT pg_size_bytes(current_setting('min_wal_size')) / pg_size_bytes(current_setting('wal_segment_size'))")
[[ " $* " == *" --smoke "* ]] && segments=4
for ((i = 0; i < segments; i++)); do
  echo "SELECT pg_logical_emit_message(false, 'regie-bench', 'recycled WAL'); SELECT pg_switch_wal();"
done | psql_admin -d postgres >/dev/null
psql_admin -d postgres -c CHECKPOINT
recycled=$(psql_admin -d postgres -tAc "SELECT count(*) FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$' AND name > pg_walfile_name(pg_current_wal_lsn())")

echo "==> regie-bench on $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2 / 1048576}' /proc/meminfo), $(uname -r); PostgreSQL with $recycled WAL segments ready for reuse"
"$build/bench/regie-bench" --address "127.0.0.1:$port" --ca-dir "$ca_dir" --certs "$certs" \
  --fixtures "$root/tests/fixtures/duinstreek" --database-url "$database_url" \
  --server-pid "$(cat "$server_pid")" --server-binary "$build/services/regie-server" \
  --server-database-url "$database_url" "$@"
