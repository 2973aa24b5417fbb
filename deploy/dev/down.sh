#!/usr/bin/env bash
# Stops what up.sh started: regie-server (SIGTERM: it drains and seals the audit log) and the
# private PostgreSQL cluster. Data stays in .regie; pass --purge to delete it as well.
set -euo pipefail
source "$(dirname "$0")/common.sh"

if server_running; then
  pid=$(cat "$server_pid")
  kill -TERM "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "regie-server stopped"
fi
rm -f "$server_pid"
if [ -f "$pg_data/PG_VERSION" ] && pg_running; then
  as_pg "$pg_bin/pg_ctl" -D "$pg_data" -m fast -w stop >/dev/null
  echo "PostgreSQL stopped"
fi
if [ "${1:-}" = "--purge" ]; then
  rm -rf "$state"
  echo "removed $state"
fi
