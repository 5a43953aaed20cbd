#!/usr/bin/env bash
# A private PostgreSQL for development, tests and CI, on 127.0.0.1 only.
#   scripts/postgres.sh start DATADIR PORT    creates DATADIR with initdb if absent, starts the server, creates database "csms"
#   scripts/postgres.sh stop DATADIR
# Installs the Debian postgresql package if no server binaries are found (needs root).
set -euo pipefail

find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

bin=$(find_bin || true)
if [ -z "$bin" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: PostgreSQL server binaries not found under /usr/lib/postgresql; install the 'postgresql' package" >&2
    exit 1
  fi
  echo "installing PostgreSQL (Debian package 'postgresql')..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  bin=$(find_bin)
fi

# initdb and postgres refuse to run as root: use the postgres system user then
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    # from a directory the postgres user may enter (the caller's may be a private temp directory); paths are absolute
    (cd / && runuser -u postgres -- "$@")
  else
    "$@"
  fi
}

cmd=${1:-}
data=${2:-}
[ -n "$cmd" ] && [ -n "$data" ] || { echo "usage: $0 start DATADIR PORT | stop DATADIR" >&2; exit 2; }

case "$cmd" in
  start)
    port=${3:?usage: $0 start DATADIR PORT}
    mkdir -p "$data"
    data=$(cd "$data" && pwd)
    [ "$(id -u)" -eq 0 ] && chown postgres "$data" && chmod 700 "$data"
    if [ ! -f "$data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$data" -A trust -U postgres --no-sync -E UTF8 >/dev/null
    fi
    as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
      -o "-p $port -k $data -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
    if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'csms'" | grep -q 1; then
      "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE csms"
    fi
    echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, data in $data"
    ;;
  stop)
    [ -d "$data" ] && data=$(cd "$data" && pwd)
    if [ -f "$data/postmaster.pid" ]; then
      as_owner "$bin/pg_ctl" -D "$data" -m fast -w stop >/dev/null || true
    fi
    ;;
  *)
    echo "usage: $0 start DATADIR PORT | stop DATADIR" >&2
    exit 2
    ;;
esac
