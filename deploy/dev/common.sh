# Shared by up.sh and down.sh: where the local stack lives and how to run PostgreSQL's tools.
# shellcheck shell=bash

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
state=${REGIE_STATE_DIR:-$root/.regie}
build=${REGIE_BUILD_DIR:-$root/build/dev}
port=${REGIE_PORT:-7443}
pg_port=${REGIE_PG_PORT:-54329}
pg_bin=/usr/lib/postgresql/15/bin
pg_dir=$state/pg
pg_data=$pg_dir/data
pg_socket=$pg_dir/run
server_pid=$state/regie-server.pid
server_log=$state/regie-server.log
database_url="host=$pg_socket port=$pg_port dbname=regie user=regie"

# PostgreSQL refuses to run as root; as root the cluster belongs to the postgres system user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

server_running() {
  [ -f "$server_pid" ] && kill -0 "$(cat "$server_pid")" 2>/dev/null
}

pg_running() {
  [ -f "$pg_data/postmaster.pid" ] && as_pg "$pg_bin/pg_ctl" -D "$pg_data" status >/dev/null 2>&1
}
