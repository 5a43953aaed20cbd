#!/usr/bin/env bash
# One benchmark run: start a target on 127.0.0.1, drive it with the load tester, measure it, stop it.
#   bench/run.sh <echo|standalone|cluster> [--label L] <load tester options other than --url and --report>
#   e.g. bench/run.sh standalone --stations 1000 --ramp 200 --duration 60 --version 1.6 --scenario idle --heartbeat 60
# Targets: echo (bench/EchoServer, the machine's ceiling), standalone (the gateway with its co-hosted silo),
# cluster (PostgreSQL + 1 silo + 1 gateway). Writes bench/results/<UTC stamp>-<target>-<label>.json; the load
# tester's own report, the process logs and the RSS samples stay in bench/results/raw/ (not committed).
# Environment: BENCH_NO_BUILD=1 skips the Release build; BENCH_LABEL (or --label) names the run (default: the
# scenario); BENCH_STAMP fixes the stamp (bench/suite.sh uses it to group runs); BENCH_WARMUP seconds of a small
# charging load (30 stations, all versions) before measuring, 0 for none (default 10); BENCH_SETTLE seconds between
# the warm-up and the "before" measurement (default 3); BENCH_SUT_ARGS extra arguments for the gateway and the silo
# (e.g. --Logging:LogLevel:Default=Warning); ports BENCH_HTTP_PORT (stations connect here, 8190),
# BENCH_SILO_HTTP_PORT (8191), BENCH_SILO_PORT (11311), BENCH_SILO_GATEWAY_PORT (30311), BENCH_PG_PORT (55434).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

usage() {
  echo "usage: $0 <echo|standalone|cluster> [--label L] <load tester options, without --url and --report>" >&2
  exit 2
}

target=${1:-}
case "$target" in echo | standalone | cluster) shift ;; *) usage ;; esac

label=${BENCH_LABEL:-}
scenario=idle
stations=100
load_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --label) label=${2:?--label needs a value}; shift 2; continue ;;
    --url | --report) echo "error: run.sh sets $1 itself" >&2; exit 2 ;;
    --scenario) scenario=${2:-} ;;
    --stations) stations=${2:-} ;;
  esac
  load_args+=("$1")
  shift
done
label=${label:-$scenario}

command -v python3 >/dev/null || { echo "error: python3 is needed to assemble the result JSON" >&2; exit 1; }
command -v curl >/dev/null || { echo "error: curl is needed to wait for /readyz" >&2; exit 1; }

HTTP_PORT=${BENCH_HTTP_PORT:-8190}
SILO_HTTP_PORT=${BENCH_SILO_HTTP_PORT:-8191}
SILO_PORT=${BENCH_SILO_PORT:-11311}
SILO_GATEWAY_PORT=${BENCH_SILO_GATEWAY_PORT:-30311}
PG_PORT=${BENCH_PG_PORT:-55434}
stamp=${BENCH_STAMP:-$(date -u +%Y%m%dT%H%M%SZ)}
name="$stamp-$target-$label"
results="$root/bench/results"
raw="$results/raw/$name"
mkdir -p "$raw"

loadtest_dll="$root/src/LoadTest/bin/Release/net10.0/Csms.LoadTest.dll"
echo_dll="$root/bench/EchoServer/bin/Release/net10.0/Csms.EchoServer.dll"
gateway_dll="$root/src/Gateway/bin/Release/net10.0/Csms.Gateway.dll"
silo_dll="$root/src/Silo/bin/Release/net10.0/Csms.Silo.dll"

# every socket is a file: the servers need as many as there are stations, and they inherit this shell's limit
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((stations + 1024)) ]; then
  echo "warning: the open-file limit is $(ulimit -n) (hard $(ulimit -Hn)); $stations stations need about $((stations + 1024))" >&2
fi
read -r port_low port_high </proc/sys/net/ipv4/ip_local_port_range
if [ $((port_high - port_low)) -lt 20000 ]; then
  echo "warning: only $((port_high - port_low)) ephemeral ports ($port_low-$port_high); 10,000 stations and their reconnects" \
    "need more: sysctl -w net.ipv4.ip_local_port_range='15000 64000'" >&2
fi

if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  echo "building (Release)..."
  projects=(src/LoadTest/LoadTest.csproj)
  case "$target" in
    echo) projects+=(bench/EchoServer/EchoServer.csproj) ;;
    standalone) projects+=(src/Gateway/Gateway.csproj) ;;
    cluster) projects+=(src/Gateway/Gateway.csproj src/Silo/Silo.csproj) ;;
  esac
  for project in "${projects[@]}"; do
    dotnet build -c Release -v q --nologo "$project" >"$raw/build.log" 2>&1 || { cat "$raw/build.log" >&2; exit 1; }
  done
fi

# the processes under test, as "name pid kind": kind "tree" (PostgreSQL: a postmaster and its backends) is measured
# as the PSS of the whole tree, since its processes share memory; "single" as the process's VmRSS
sut=()
started=()
tmp=""
pg_data=""

cleanup() {
  local i pid
  # an interrupted run: the load tester first, then the targets in the reverse order of their start
  if [ -s "$raw/loadtest.pid" ] && [ ! -f "$raw/loadtest.rc" ]; then
    started+=("$(cat "$raw/loadtest.pid")")
  fi
  for ((i = ${#started[@]} - 1; i >= 0; i--)); do
    pid=${started[i]}
    kill -0 "$pid" 2>/dev/null || continue
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  done
  started=()
  if [ -n "$pg_data" ]; then
    bash scripts/postgres.sh stop "$pg_data" || true
    pg_data=""
  fi
  if [ -n "$tmp" ]; then
    rm -rf "$tmp"
    tmp=""
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start NAME DLL ENV... ARGS...: runs `dotnet DLL` in the background, in the DLL's folder so that its appsettings.json
# applies as it does under `dotnet run`, with its output in raw/NAME.log
start() {
  local name=$1 dll=$2
  shift 2
  local vars=()
  while [ $# -gt 0 ] && [[ $1 == *=* ]] && [[ $1 != -* ]]; do vars+=("$1"); shift; done
  (cd "$(dirname "$dll")" && exec env DOTNET_NOLOGO=1 "${vars[@]}" dotnet "$dll" "$@") >"$raw/$name.log" 2>&1 &
  started+=("$!")
  sut+=("$name $! single")
}

wait_ready() {
  local name=$1 url=$2 pid=$3
  for _ in $(seq 1 240); do
    curl -fs "$url/readyz" >/dev/null 2>&1 && return 0
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "error: $name exited; see $raw/$name.log" >&2
      tail -n 20 "$raw/$name.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "error: $name not ready after 120 s; see $raw/$name.log" >&2
  exit 1
}

for port in "$HTTP_PORT" "$SILO_HTTP_PORT"; do
  if curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then
    echo "error: something already listens on 127.0.0.1:$port; stop it or set BENCH_HTTP_PORT / BENCH_SILO_HTTP_PORT" >&2
    exit 1
  fi
done

url="http://127.0.0.1:$HTTP_PORT"
# shellcheck disable=SC2206 # split on purpose: several arguments in one variable
sut_args=(${BENCH_SUT_ARGS:-})
echo "starting $target..."
case "$target" in
  echo)
    start echo-server "$echo_dll" --urls "$url"
    wait_ready echo-server "$url" "${started[-1]}"
    ;;
  standalone)
    start gateway "$gateway_dll" --urls "$url" \
      "--Standalone:SiloPort=$SILO_PORT" "--Standalone:GatewayPort=$SILO_GATEWAY_PORT" "${sut_args[@]}"
    wait_ready gateway "$url" "${started[-1]}"
    ;;
  cluster)
    tmp=$(mktemp -d /tmp/csms-bench.XXXXXX)
    # PostgreSQL runs as the postgres user when we are root: it must be able to reach its data directory
    chmod 755 "$tmp"
    pg_data="$tmp/postgres"
    bash scripts/postgres.sh start "$pg_data" "$PG_PORT"
    sut+=("postgres $(head -n 1 "$pg_data/postmaster.pid") tree")
    connection="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=csms"
    ConnectionStrings__Csms="$connection" dotnet "$silo_dll" migrate >"$raw/migrate.log" 2>&1 ||
      { cat "$raw/migrate.log" >&2; exit 1; }
    cluster_env=("ConnectionStrings__Csms=$connection" "Orleans__ClusterId=bench-$$" "Database__MigrateOnStartup=false")
    start silo "$silo_dll" "${cluster_env[@]}" Silo__AdvertisedAddress=127.0.0.1 "Silo__SiloPort=$SILO_PORT" \
      "Silo__GatewayPort=$SILO_GATEWAY_PORT" "Urls=http://127.0.0.1:$SILO_HTTP_PORT" "${sut_args[@]}"
    wait_ready silo "http://127.0.0.1:$SILO_HTTP_PORT" "${started[-1]}"
    start gateway "$gateway_dll" "${cluster_env[@]}" Gateway__Mode=Cluster Gateway__GatewayId=bench-gateway "Urls=$url" "${sut_args[@]}"
    wait_ready gateway "$url" "${started[-1]}"
    ;;
esac

# the process and, for a tree, its children
members() {
  local children
  children=$(cat /proc/"$1"/task/*/children 2>/dev/null || true)
  echo "$1"
  [ "$2" = tree ] && echo "$children"
  return 0
}

# kB of resident memory of "pid kind"
mem_kb() {
  local pid=$1 kind=$2 total=0 key value p
  for p in $(members "$pid" "$kind"); do
    while read -r key value _; do
      if [ "$kind" = tree ] && [ "$key" = Pss: ]; then total=$((total + value)); break; fi
      if [ "$kind" = single ] && [ "$key" = VmRSS: ]; then total=$value; break; fi
    done 2>/dev/null <"/proc/$p/$([ "$kind" = tree ] && echo smaps_rollup || echo status)" || true
  done
  echo "$total"
}

# CPU clock ticks (user + system) of "pid kind"; for a tree, also what its exited children used
cpu_ticks() {
  local pid=$1 kind=$2 total=0 line p f
  for p in $(members "$pid" "$kind"); do
    { read -r line </proc/"$p"/stat; } 2>/dev/null || continue
    # the fields after "(comm)": utime and stime are the 12th and 13th, cutime and cstime the 14th and 15th
    read -ra f <<<"${line##*) }"
    total=$((total + f[11] + f[12]))
    if [ "$kind" = tree ] && [ "$p" = "$pid" ]; then total=$((total + f[13] + f[14])); fi
  done
  echo "$total"
}

# a short warm-up, so that the run measures steady state and not the JIT compiling the first boots and transactions
warmup=${BENCH_WARMUP:-10}
if [ "$warmup" -gt 0 ]; then
  echo "warm-up: ${warmup} s..."
  dotnet "$loadtest_dll" --url "ws://127.0.0.1:$HTTP_PORT/ocpp" --stations 30 --ramp 30 --duration "$warmup" --version mixed \
    --scenario charging --meter-interval 1 --transaction 3 --id-prefix warmup >"$raw/warmup.log" 2>&1 ||
    { echo "error: the warm-up failed; see $raw/warmup.log" >&2; exit 1; }
fi
sleep "${BENCH_SETTLE:-3}"
# processes.txt: name kind rss_before_kb cpu_before_ticks cpu_after_ticks; samples.txt: ms name kB
: >"$raw/samples.txt"
declare -A before_kb before_ticks
for entry in "${sut[@]}"; do
  read -r pname pid kind <<<"$entry"
  before_kb[$pname]=$(mem_kb "$pid" "$kind")
  before_ticks[$pname]=$(cpu_ticks "$pid" "$kind")
done

echo "load: ${load_args[*]}"
report="$raw/loadtest.json"
load_started_ms=$(date +%s%3N)
# a subshell of its own, so that its children's CPU time (cutime + cstime) is exactly the load tester's
(
  dotnet "$loadtest_dll" --url "ws://127.0.0.1:$HTTP_PORT/ocpp" --report "$report" "${load_args[@]}" >"$raw/loadtest.log" 2>&1 &
  echo $! >"$raw/loadtest.pid"
  rc=0
  wait $! || rc=$?
  echo "$rc" >"$raw/loadtest.rc"
  read -r line </proc/$BASHPID/stat
  read -ra f <<<"${line##*) }"
  echo $((f[13] + f[14])) >"$raw/loadtest.ticks"
) &
runner=$!

tick=0
while kill -0 "$runner" 2>/dev/null; do
  now=$(date +%s%3N)
  for entry in "${sut[@]}"; do
    read -r pname pid kind <<<"$entry"
    echo "$now $pname $(mem_kb "$pid" "$kind")" >>"$raw/samples.txt"
  done
  if [ -s "$raw/loadtest.pid" ]; then
    echo "$now loadtest $(mem_kb "$(cat "$raw/loadtest.pid")" single)" >>"$raw/samples.txt"
  fi
  tick=$((tick + 1))
  if [ $((tick % 10)) = 0 ]; then
    grep -E '^ +[0-9]+s ' "$raw/loadtest.log" | tail -n 1 || true
  fi
  sleep 1
done
wait "$runner" || true

: >"$raw/processes.txt"
for entry in "${sut[@]}"; do
  read -r pname pid kind <<<"$entry"
  echo "$pname $kind ${before_kb[$pname]} ${before_ticks[$pname]} $(cpu_ticks "$pid" "$kind")" >>"$raw/processes.txt"
done
load_rc=$(cat "$raw/loadtest.rc")
if [ "$load_rc" != 0 ] || [ ! -s "$report" ]; then
  echo "error: the load tester failed (exit $load_rc); see $raw/loadtest.log" >&2
  tail -n 20 "$raw/loadtest.log" >&2
  exit 1
fi
echo "stopping $target..."
cleanup

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- . ':(exclude)bench/results' 2>/dev/null)" ]; then commit="$commit-dirty"; fi
out="$results/$name.json"

BENCH_TARGET="$target" BENCH_LABEL="$label" BENCH_RAW="$raw" BENCH_OUT="$out" BENCH_COMMIT="$commit" \
  BENCH_LOAD_STARTED_MS="$load_started_ms" BENCH_CLK_TCK="$(getconf CLK_TCK)" BENCH_DOTNET="$(dotnet --version)" \
  BENCH_LOAD_ARGS="${load_args[*]}" python3 - <<'PY'
import json, os, platform

env = os.environ
raw, tck = env["BENCH_RAW"], int(env["BENCH_CLK_TCK"])
report = json.load(open(f"{raw}/loadtest.json"))

samples = {}
for line in open(f"{raw}/samples.txt"):
    ms, name, kb = line.split()
    samples.setdefault(name, []).append((int(ms), int(kb)))
# "after" is the last sample inside the load window, while the stations are still connected: the load tester takes its
# report at the end of the window and only then closes them
window_end = int(env["BENCH_LOAD_STARTED_MS"]) + report["durationSeconds"] * 1000 - 500

def after_and_peak(name):
    points = samples.get(name, [])
    inside = [kb for ms, kb in points if ms <= window_end] or [kb for _, kb in points] or [0]
    return inside[-1], max([kb for _, kb in points] or [0])

mb = lambda kb: round(kb / 1024, 1)
processes, grown_kb = [], 0
for line in open(f"{raw}/processes.txt"):
    name, kind, before_kb, before_ticks, after_ticks = line.split()
    after_kb, peak_kb = after_and_peak(name)
    grown_kb += after_kb - int(before_kb)
    processes.append({
        "name": name, "role": "sut", "memory": "pss-of-process-tree" if kind == "tree" else "rss",
        "rssBeforeMB": mb(int(before_kb)), "rssAfterMB": mb(after_kb), "rssPeakMB": mb(peak_kb),
        "cpuSeconds": round((int(after_ticks) - int(before_ticks)) / tck, 2),
    })
load_after_kb, load_peak_kb = after_and_peak("loadtest")
load_cpu = round(int(open(f"{raw}/loadtest.ticks").read()) / tck, 2)
processes.append({"name": "loadtest", "role": "load", "memory": "rss", "rssBeforeMB": None,
                  "rssAfterMB": mb(load_after_kb), "rssPeakMB": mb(load_peak_kb), "cpuSeconds": load_cpu})

sut = [p for p in processes if p["role"] == "sut"]
sut_cpu = sum(p["cpuSeconds"] for p in sut)
connected, messages, seconds = report["stationsConnected"], report["messages"], report["durationSeconds"]

def first(path, key):
    try:
        return next(l.split(":", 1)[1].strip() for l in open(path) if l.startswith(key))
    except (OSError, StopIteration):
        return "unknown"

result = {
    "target": env["BENCH_TARGET"],
    "label": env["BENCH_LABEL"],
    "dateUtc": __import__("datetime").datetime.now(__import__("datetime").timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
    "commit": env["BENCH_COMMIT"],
    "loadTestArgs": env["BENCH_LOAD_ARGS"],
    "machine": {
        "nproc": os.cpu_count(),
        "memoryTotalMB": round(int(first("/proc/meminfo", "MemTotal").split()[0]) / 1024),
        "cpuModel": first("/proc/cpuinfo", "model name"),
        "kernel": platform.release(),
        "dotnet": env["BENCH_DOTNET"],
    },
    "derived": {
        "memoryPerStationKB": round(grown_kb / connected, 1) if connected else None,
        "memoryPerStationKBByProcess": {p["name"]: round((p["rssAfterMB"] - p["rssBeforeMB"]) * 1024 / connected, 1)
                                        for p in sut} if connected else None,
        "cpuMsPer1000Messages": round(sut_cpu * 1000 / (messages / 1000), 1) if messages else None,
        "sutCpuSeconds": round(sut_cpu, 2),
        "sutCpuCores": round(sut_cpu / seconds, 2) if seconds else None,
        "loadTestCpuSeconds": load_cpu,
        "loadTestCpuCores": round(load_cpu / seconds, 2) if seconds else None,
    },
    "processes": processes,
    "report": report,
}
with open(env["BENCH_OUT"], "w") as f:
    json.dump(result, f, indent=2)
    f.write("\n")
d, lat = result["derived"], report["latencyMs"]
print(f"{env['BENCH_TARGET']} {env['BENCH_LABEL']}: {connected}/{report['stationsTarget']} connected, "
      f"{report['messagesPerSecond']} msg/s, p99 {lat['p99']} ms, errors {sum(report['errorsByCode'].values())}, "
      f"{d['memoryPerStationKB']} kB/station, {d['cpuMsPer1000Messages']} CPU ms/1000 msgs "
      f"(SUT {d['sutCpuCores']} cores, load tester {d['loadTestCpuCores']} cores)")
PY
echo "result: ${out#"$root"/}"
