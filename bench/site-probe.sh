#!/usr/bin/env bash
# Site load balancing, timed: the standalone CSMS on 127.0.0.1 and the load tester's site probe against it.
#   bench/site-probe.sh [stations] [site amps] [rounds]     (defaults: 50 EVSEs, 400 A, 10 timed starts)
# All but <rounds> stations charge; then the rest start one by one (remote start through the operator API), and each
# start is timed from the session's start at the station until the last station accepted its new limit.
# Writes bench/results/<UTC stamp>-site-probe.txt. BENCH_NO_BUILD=1 skips the Release build; BENCH_HTTP_PORT (8190).
set -euo pipefail
cd "$(dirname "$0")/.."
stations=${1:-50}
amps=${2:-400}
rounds=${3:-10}
port=${BENCH_HTTP_PORT:-8190}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
out="bench/results/${stamp}-site-probe.txt"
key="bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"

if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  dotnet build -c Release src/Gateway -v q >/dev/null
  dotnet build -c Release src/LoadTest -v q >/dev/null
fi
mkdir -p bench/results/raw
Api__AdminKey="$key" dotnet src/Gateway/bin/Release/net10.0/Csms.Gateway.dll --urls "http://127.0.0.1:${port}" \
  --Logging:LogLevel:Default=Warning >"bench/results/raw/${stamp}-site-probe-gateway.log" 2>&1 &
gateway=$!
trap 'kill "$gateway" 2>/dev/null || true; wait "$gateway" 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:${port}/healthz" >/dev/null && break
  sleep 1
done

{
  echo "# site probe, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo), .NET $(dotnet --version)"
  echo "# standalone CSMS (Release), ${stations} virtual stations (1.6 / 2.0.1 / 2.1 in turn), one EVSE each, site of ${amps} A, equal share"
  dotnet src/LoadTest/bin/Release/net10.0/Csms.LoadTest.dll --url "ws://127.0.0.1:${port}/ocpp" --stations "$stations" --version mixed \
    --site-amps "$amps" --site-rounds "$rounds" --api-key "$key" --id-prefix "sp${stamp: -7:6}"
} | tee "$out"
echo "written to $out"
