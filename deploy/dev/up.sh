#!/usr/bin/env bash
# Runs the Regie stack on this machine, on its embedded defaults:
#   builds if needed, starts a private PostgreSQL 15 cluster in .regie/pg, applies migrations,
#   creates a development CA and certificates for one user of each role, starts regie-server on
#   127.0.0.1 with mutual TLS, and writes the regie profiles procurement, provider, auditor, admin.
#   Then loads the demo region Duinstreek (deploy/dev/demo.sh) unless --no-demo is given.
# Running it again is safe: what exists is kept, what runs keeps running. Stop with down.sh.
# Settings: REGIE_PORT (7443), REGIE_PG_PORT (54329), REGIE_STATE_DIR (.regie), REGIE_CONFIG.
set -euo pipefail
source "$(dirname "$0")/common.sh"

load_demo=1
for arg in "$@"; do
  case "$arg" in
    --no-demo) load_demo=0 ;;
    -h | --help)
      echo "usage: up.sh [--no-demo]   (run the local stack; --no-demo: without the demo region)"
      exit 0
      ;;
    *) echo "up.sh: unknown argument $arg (try --help)" >&2; exit 2 ;;
  esac
done

say() { printf '==> %s\n' "$*"; }

"$root/scripts/install-deps.sh"

say "building (build/dev)"
if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREGIE_BUILD_TESTS=OFF >/dev/null
fi
ninja -C "$build" regie regie-server regie-migrate | tail -n 1
regie="$build/client/regie"

say "PostgreSQL 15 in $pg_dir"
mkdir -p "$pg_dir"
if [ "$(id -u)" -eq 0 ]; then
  chown postgres: "$pg_dir"
  if ! runuser -u postgres -- test -x "$pg_dir"; then
    echo "up.sh: the postgres user cannot reach $pg_dir; set REGIE_STATE_DIR to a directory it can traverse (e.g. /var/tmp/regie)" >&2
    exit 1
  fi
fi
if [ ${#pg_socket} -gt 90 ]; then
  echo "up.sh: the socket path $pg_socket is too long for PostgreSQL; set REGIE_STATE_DIR to a shorter path" >&2
  exit 1
fi
if [ ! -f "$pg_data/PG_VERSION" ]; then
  as_pg "$pg_bin/initdb" -D "$pg_data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
fi
as_pg mkdir -p "$pg_socket"
as_pg chmod 700 "$pg_socket"
if ! pg_running; then
  # Unix socket only (no TCP listener), in a directory only the cluster's owner can enter.
  # min_wal_size: checkpoints keep 1 GB of used WAL segments for reuse, as in production
  # (docs/adr/0022-keep-wal-segments-for-reuse.md).
  as_pg "$pg_bin/pg_ctl" -D "$pg_data" -l "$pg_dir/postgresql.log" -w \
    -o "-c listen_addresses='' -k $pg_socket -p $pg_port -c min_wal_size=1GB" start >/dev/null
fi
if [ "$(psql_admin -d postgres -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'regie'")" != 1 ]; then
  psql_admin -d postgres -c "CREATE ROLE regie LOGIN"
fi
if [ "$(psql_admin -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'regie'")" != 1 ]; then
  psql_admin -d postgres -c "CREATE DATABASE regie OWNER regie"
fi

say "migrations"
"$build/services/regie-migrate" --database-url "$database_url" | tail -n 1

say "development CA and certificates in $state"
if [ ! -f "$ca_dir/ca.crt" ]; then
  "$regie" admin ca init --dir "$ca_dir" --name "Regie development CA" >/dev/null
fi
issue_certificate server server regie regie-server --dns localhost --ip 127.0.0.1 --ip ::1
issue_certificate procurement procurement 9901 "Inkoper Duinhaven"
issue_certificate provider provider 12345678 "Aanbieder Zorg Voorbeeld"
issue_certificate auditor auditor 9901,9902,9903 "Accountant Duinstreek"
issue_certificate admin admin regie "Beheerder Regie"

say "regie-server on 127.0.0.1:$port"
if server_running; then
  echo "already running (pid $(cat "$server_pid"))"
else
  REGIE_LISTEN="127.0.0.1:$port" REGIE_DATABASE_URL="$database_url" \
  REGIE_TLS_CA="$ca_dir/ca.crt" REGIE_TLS_CERT="$certs/server.crt" REGIE_TLS_KEY="$certs/server.key" \
    nohup "$build/services/regie-server" >>"$server_log" 2>&1 &
  echo $! >"$server_pid"
fi

for role in procurement provider auditor admin; do
  set_profile "$role"
done
config_file=$("$regie" -o json config show | sed -n 's/.*"config": "\(.*\)".*/\1/p')

for _ in $(seq 1 50); do
  if "$regie" --profile admin --timeout 2 health >/dev/null 2>&1; then
    break
  fi
  if ! server_running; then
    echo "up.sh: regie-server stopped; the end of $server_log says:" >&2
    tail -n 5 "$server_log" >&2
    rm -f "$server_pid"
    exit 1
  fi
  sleep 0.2
done
"$regie" --profile procurement health >/dev/null

if [ "$load_demo" = 1 ]; then
  "$root/deploy/dev/demo.sh"
fi

cat <<MSG

Regie is running.
  server    127.0.0.1:$port (mutual TLS); log $server_log
  database  PostgreSQL 15 in $pg_data (socket $pg_socket, port $pg_port)
  regie     $regie
  profiles  procurement, provider, auditor, admin in $config_file

Next:
  export PATH="$build/client:\$PATH"
  regie --profile procurement health
  regie --profile provider whoami
  regie --profile auditor audit verify
  regie --help
Stop with: $root/deploy/dev/down.sh
MSG
