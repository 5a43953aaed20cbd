#!/usr/bin/env bash
# A local CSMS cluster on loopback: PostgreSQL, the schema, two silos and two gateways.
#   scripts/cluster.sh up      build, start everything, print the gateway URLs
#   scripts/cluster.sh down    stop everything (PostgreSQL's data stays in .cluster/postgres)
#   scripts/cluster.sh status  what is running
# Each process writes .cluster/<name>.pid and .cluster/<name>.log. Ports can be changed with the variables below.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dir="$root/.cluster"

PG_PORT=${CSMS_PG_PORT:-55432}
SILO1_PORT=${CSMS_SILO1_PORT:-11111} SILO1_GATEWAY_PORT=${CSMS_SILO1_GATEWAY_PORT:-30000} SILO1_HTTP=${CSMS_SILO1_HTTP:-8091}
SILO2_PORT=${CSMS_SILO2_PORT:-11112} SILO2_GATEWAY_PORT=${CSMS_SILO2_GATEWAY_PORT:-30001} SILO2_HTTP=${CSMS_SILO2_HTTP:-8092}
GATEWAY1_HTTP=${CSMS_GATEWAY1_HTTP:-8080} GATEWAY2_HTTP=${CSMS_GATEWAY2_HTTP:-8081}
CLUSTER_ID=${CSMS_CLUSTER_ID:-local}

connection="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=csms"
silo_dll="$root/src/Silo/bin/Release/net10.0/Csms.Silo.dll"
gateway_dll="$root/src/Gateway/bin/Release/net10.0/Csms.Gateway.dll"

start() {
  local name=$1
  shift
  if [ -f "$dir/$name.pid" ] && kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null; then
    echo "$name already running (pid $(cat "$dir/$name.pid"))"
    return
  fi
  nohup env "$@" >"$dir/$name.log" 2>&1 &
  echo $! >"$dir/$name.pid"
}

wait_ready() {
  local name=$1 url=$2
  for _ in $(seq 1 120); do
    if curl -fs "$url/readyz" >/dev/null 2>&1; then
      return 0
    fi
    if ! kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null; then
      echo "error: $name exited; see $dir/$name.log" >&2
      tail -n 20 "$dir/$name.log" >&2
      exit 1
    fi
    sleep 1
  done
  echo "error: $name not ready after 120 s; see $dir/$name.log" >&2
  exit 1
}

silo() {
  local name=$1 port=$2 gateway_port=$3 http=$4
  start "$name" ConnectionStrings__Csms="$connection" Orleans__ClusterId="$CLUSTER_ID" \
    Silo__AdvertisedAddress=127.0.0.1 Silo__SiloPort="$port" Silo__GatewayPort="$gateway_port" \
    Urls="http://127.0.0.1:$http" dotnet "$silo_dll"
}

# the operator API's admin key: CSMS_API_KEY, or one generated once and kept in .cluster/admin-key
admin_key() {
  if [[ -n "${CSMS_API_KEY:-}" ]]; then
    echo "$CSMS_API_KEY"
  else
    [[ -s "$dir/admin-key" ]] || (umask 077 && echo "csms_$(head -c 32 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')" >"$dir/admin-key")
    cat "$dir/admin-key"
  fi
}

gateway() {
  local name=$1 http=$2
  start "$name" ConnectionStrings__Csms="$connection" Orleans__ClusterId="$CLUSTER_ID" Gateway__Mode=Cluster \
    Gateway__GatewayId="$name" Api__AdminKey="$(admin_key)" Urls="http://127.0.0.1:$http" dotnet "$gateway_dll"
}

stop() {
  local name=$1
  if [ -f "$dir/$name.pid" ]; then
    local pid
    pid=$(cat "$dir/$name.pid")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/$name.pid"
  fi
}

case "${1:-}" in
  up)
    mkdir -p "$dir"
    echo "building (Release)..."
    dotnet build -c Release -v q --nologo src/Silo/Silo.csproj >/dev/null
    dotnet build -c Release -v q --nologo src/Gateway/Gateway.csproj >/dev/null
    bash scripts/postgres.sh start "$dir/postgres" "$PG_PORT"
    # the pid file the rest of the tooling expects
    head -n 1 "$dir/postgres/postmaster.pid" >"$dir/postgres.pid"
    ConnectionStrings__Csms="$connection" dotnet "$silo_dll" migrate
    silo silo-1 "$SILO1_PORT" "$SILO1_GATEWAY_PORT" "$SILO1_HTTP"
    silo silo-2 "$SILO2_PORT" "$SILO2_GATEWAY_PORT" "$SILO2_HTTP"
    wait_ready silo-1 "http://127.0.0.1:$SILO1_HTTP"
    wait_ready silo-2 "http://127.0.0.1:$SILO2_HTTP"
    gateway gateway-1 "$GATEWAY1_HTTP"
    gateway gateway-2 "$GATEWAY2_HTTP"
    wait_ready gateway-1 "http://127.0.0.1:$GATEWAY1_HTTP"
    wait_ready gateway-2 "http://127.0.0.1:$GATEWAY2_HTTP"
    echo
    echo "CSMS cluster '$CLUSTER_ID' is up:"
    echo "  stations:  ws://127.0.0.1:$GATEWAY1_HTTP/ocpp/<stationId>   ws://127.0.0.1:$GATEWAY2_HTTP/ocpp/<stationId>"
    echo "  API:       http://127.0.0.1:$GATEWAY1_HTTP/api/v1/stations   (header X-Api-Key: $(admin_key))"
    echo "  silos:     http://127.0.0.1:$SILO1_HTTP/readyz   http://127.0.0.1:$SILO2_HTTP/readyz"
    echo "  database:  $connection"
    echo "  logs:      $dir/<name>.log"
    ;;
  down)
    for name in gateway-2 gateway-1 silo-2 silo-1; do stop "$name"; done
    bash scripts/postgres.sh stop "$dir/postgres"
    rm -f "$dir/postgres.pid"
    echo "CSMS cluster stopped"
    ;;
  status)
    for name in postgres silo-1 silo-2 gateway-1 gateway-2; do
      if [ -f "$dir/$name.pid" ] && kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null; then
        echo "$name: running (pid $(cat "$dir/$name.pid"))"
      else
        echo "$name: stopped"
      fi
    done
    ;;
  *)
    echo "usage: $0 up | down | status" >&2
    exit 2
    ;;
esac
