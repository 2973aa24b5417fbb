# Shared by up.sh and down.sh: where the local stack lives and how to run PostgreSQL's tools.
# shellcheck shell=bash

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
state=$(realpath -m "${REGIE_STATE_DIR:-$root/.regie}")
build=$(realpath -m "${REGIE_BUILD_DIR:-$root/build/dev}")
port=${REGIE_PORT:-7443}
pg_port=${REGIE_PG_PORT:-54329}
pg_bin=/usr/lib/postgresql/15/bin
pg_dir=$state/pg
pg_data=$pg_dir/data
pg_socket=$pg_dir/run
server_pid=$state/regie-server.pid
server_log=$state/regie-server.log
database_url="host=$pg_socket port=$pg_port dbname=regie user=regie"
ca_dir=$state/ca
certs=$state/certs

# issue_certificate STEM ROLE ORG NAME [regie admin cert issue flags]: once, signed by the
# development CA.
issue_certificate() {
  local stem=$1 role=$2 org=$3 name=$4
  shift 4
  if [ ! -f "$certs/$stem.crt" ]; then
    "$build/client/regie" admin cert issue --ca-dir "$ca_dir" --out "$certs" --file-stem "$stem" \
      --role "$role" --org "$org" --name "$name" "$@" >/dev/null
  fi
}

# set_profile STEM: the regie profile STEM, with the certificate of that stem, for this stack.
set_profile() {
  "$build/client/regie" config set-profile "$1" --server "127.0.0.1:$port" \
    --client-cert "$certs/$1.crt" --client-key "$certs/$1.key" --ca-cert "$ca_dir/ca.crt" >/dev/null
}

# PostgreSQL refuses to run as root; as root the cluster belongs to the postgres system user.
as_pg() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# psql as the cluster's superuser, over its socket (trust authentication, as initdb set it up).
psql_admin() { psql -X -q -v ON_ERROR_STOP=1 -h "$pg_socket" -p "$pg_port" -U postgres "$@"; }

server_running() {
  [ -f "$server_pid" ] && kill -0 "$(cat "$server_pid")" 2>/dev/null
}

pg_running() {
  [ -f "$pg_data/postmaster.pid" ] && as_pg "$pg_bin/pg_ctl" -D "$pg_data" status >/dev/null 2>&1
}
