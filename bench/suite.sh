#!/usr/bin/env bash
# The three measurements, each against the echo server and the system under test in one invocation, then a summary.
#   bench/suite.sh idle|rate|storm|all
# idle:  BENCH_STATIONS idle 1.6 stations ramped in and left to heartbeat: memory per station
# rate:  charging (meter values every second, 30 s sessions) at BENCH_RATE_STEPS station counts: the highest
#        message rate whose p99 stays under BENCH_P99_LIMIT_MS with no errors
# storm: BENCH_STATIONS stations that all drop at half time and reconnect: recovery time and errors
# Writes bench/results/<stamp>-<target>-<label>.json per run and bench/results/<stamp>-summary.md.
# Environment (defaults in brackets): BENCH_SUT system under test, standalone or cluster [standalone];
# BENCH_STATIONS [10000]; BENCH_RAMP stations per second [500]; BENCH_VERSION [1.6]; BENCH_HEARTBEAT seconds [60];
# BENCH_IDLE_DURATION [ramp time + 40 s]; BENCH_RATE_STEPS ["100 200 400 800 1600 3200 6400"];
# BENCH_RATE_DURATION [45]; BENCH_RATE_RAMP [a tenth of the step, at least 10]; BENCH_P99_LIMIT_MS [100]; BENCH_RATE_STOP=0 keeps sweeping a target past its first
# unsustained step [1]; BENCH_STORM_STATIONS [BENCH_STATIONS]; BENCH_STORM_DURATION [120]; BENCH_PAUSE seconds
# between runs, for the previous run's sockets to clear [5]; BENCH_NO_BUILD=1 skips the build. Smoke run, ~3 minutes:
#   BENCH_STATIONS=200 bench/suite.sh idle
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

what=${1:-all}
case "$what" in idle | rate | storm | all) ;; *) echo "usage: $0 idle|rate|storm|all" >&2; exit 2 ;; esac

SUT=${BENCH_SUT:-standalone}
case "$SUT" in standalone | cluster) ;; *) echo "error: BENCH_SUT must be standalone or cluster" >&2; exit 2 ;; esac
STATIONS=${BENCH_STATIONS:-10000}
RAMP=${BENCH_RAMP:-500}
VERSION=${BENCH_VERSION:-1.6}
HEARTBEAT=${BENCH_HEARTBEAT:-60}
IDLE_DURATION=${BENCH_IDLE_DURATION:-$(python3 -c "import math; print(math.ceil($STATIONS / $RAMP) + 40)")}
RATE_STEPS=${BENCH_RATE_STEPS:-100 200 400 800 1600 3200 6400}
RATE_DURATION=${BENCH_RATE_DURATION:-45}
P99_LIMIT=${BENCH_P99_LIMIT_MS:-100}
RATE_STOP=${BENCH_RATE_STOP:-1}
STORM_STATIONS=${BENCH_STORM_STATIONS:-$STATIONS}
STORM_DURATION=${BENCH_STORM_DURATION:-120}
PAUSE=${BENCH_PAUSE:-5}

BENCH_STAMP=$(date -u +%Y%m%dT%H%M%SZ)
export BENCH_STAMP
manifest="$root/bench/results/raw/$BENCH_STAMP-suite.txt"
mkdir -p "$(dirname "$manifest")"
: >"$manifest"

if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  echo "building (Release)..."
  projects=(src/LoadTest/LoadTest.csproj bench/EchoServer/EchoServer.csproj src/Gateway/Gateway.csproj)
  [ "$SUT" = cluster ] && projects+=(src/Silo/Silo.csproj)
  for project in "${projects[@]}"; do
    if ! log=$(dotnet build -c Release -v q --nologo "$project" 2>&1); then
      echo "$log" >&2
      echo "error: building $project failed (BENCH_NO_BUILD=1 runs what was built before)" >&2
      exit 1
    fi
  done
fi
export BENCH_NO_BUILD=1

# measure MEASUREMENT TARGET LABEL LOAD-ARGS...: one run.sh; a failed run is noted and the suite goes on
measure() {
  local measurement=$1 target=$2 label=$3
  shift 3
  local result="$root/bench/results/$BENCH_STAMP-$target-$label.json"
  echo
  echo "== $measurement: $target ($label)"
  if bench/run.sh "$target" --label "$label" "$@"; then
    echo "$measurement $target $label $result" >>"$manifest"
  else
    echo "warning: $target $label failed; it is missing from the summary" >&2
    echo "$measurement $target $label -" >>"$manifest"
  fi
  sleep "$PAUSE"
}

# sustained RESULT: p99 under the limit, no errors, every station connected at the end
sustained() {
  python3 - "$1" "$P99_LIMIT" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["report"]
ok = r["latencyMs"]["p99"] < float(sys.argv[2]) and not r["errorsByCode"] and r["stationsConnected"] == r["stationsTarget"]
sys.exit(0 if ok else 1)
PY
}

if [ "$what" = idle ] || [ "$what" = all ]; then
  for target in echo "$SUT"; do
    measure idle "$target" idle --stations "$STATIONS" --ramp "$RAMP" --duration "$IDLE_DURATION" --version "$VERSION" \
      --scenario idle --heartbeat "$HEARTBEAT"
  done
fi

if [ "$what" = rate ] || [ "$what" = all ]; then
  for target in echo "$SUT"; do
    for n in $RATE_STEPS; do
      # the boots are spread over about 10 s, so that the window measures charging rather than a boot burst
      ramp=${BENCH_RATE_RAMP:-$(( n / 10 > 10 ? n / 10 : 10 ))}
      measure rate "$target" "rate-$n" --stations "$n" --ramp "$ramp" --duration "$RATE_DURATION" --version "$VERSION" \
        --scenario charging --meter-interval 1 --transaction 30 --heartbeat "$HEARTBEAT"
      result="$root/bench/results/$BENCH_STAMP-$target-rate-$n.json"
      if [ "$RATE_STOP" = 1 ] && { [ ! -f "$result" ] || ! sustained "$result"; }; then
        echo "$target: $n stations are past the limit (p99 < $P99_LIMIT ms, no errors); the sweep stops here"
        break
      fi
    done
  done
fi

if [ "$what" = storm ] || [ "$what" = all ]; then
  for target in echo "$SUT"; do
    measure storm "$target" storm --stations "$STORM_STATIONS" --ramp "$RAMP" --duration "$STORM_DURATION" \
      --version "$VERSION" --scenario storm --heartbeat "$HEARTBEAT"
  done
fi

summary="$root/bench/results/$BENCH_STAMP-summary.md"
BENCH_SUT="$SUT" BENCH_P99_LIMIT_MS="$P99_LIMIT" python3 - "$manifest" "$summary" <<'PY'
import json, os, sys

manifest, summary = sys.argv[1], sys.argv[2]
sut, limit = os.environ["BENCH_SUT"], float(os.environ["BENCH_P99_LIMIT_MS"])
runs = {}  # (measurement, target) -> [(label, result or None)]
for line in open(manifest):
    measurement, target, label, path = line.split()
    runs.setdefault((measurement, target), []).append((label, None if path == "-" else json.load(open(path))))
known = [r for rs in runs.values() for _, r in rs if r]
if not known:
    sys.exit("no run produced a result; nothing to summarise")

def num(x, digits=1):
    return "n/a" if x is None else f"{float(x):,.{digits}f}" if digits else f"{round(x):,}"

def ratio(s, e):
    return "n/a" if s is None or e in (None, 0) else f"{s / e:.2f}×"

def errors(r):
    return sum(r["report"]["errorsByCode"].values())

def sut_mb(r, key):
    return round(sum(p[key] for p in r["processes"] if p["role"] == "sut"), 1)

def table(rows, e, s):
    out = [f"| | echo | {sut} | {sut} ÷ echo |", "|---|---:|---:|---:|"]
    for name, get, digits in rows:
        ev, sv = (get(e) if e else None), (get(s) if s else None)
        out.append(f"| {name} | {num(ev, digits)} | {num(sv, digits)} | {ratio(sv, ev)} |")
    return out

def single(measurement, target):
    return next((r for _, r in runs.get((measurement, target), [])), None)

first = known[0]
m = first["machine"]
md = [f"# Benchmark {os.path.basename(summary).removesuffix('-summary.md')}", "",
      f"- date (UTC): {first['dateUtc']}; commit: `{first['commit']}`",
      f"- machine: {m['nproc']} cores ({m['cpuModel']}), {m['memoryTotalMB']:,} MB, kernel {m['kernel']}, .NET SDK {m['dotnet']}",
      f"- system under test: `{sut}`; ratios are {sut} ÷ echo; the load tester runs on the same machine (its CPU is shown)",
      ""]

common = [
    ("stations connected at the end", lambda r: r["report"]["stationsConnected"], 0),
    ("messages per second", lambda r: r["report"]["messagesPerSecond"], 1),
    ("p99 latency (ms)", lambda r: r["report"]["latencyMs"]["p99"], 2),
    ("errors", errors, 0),
    ("RSS before (MB, SUT)", lambda r: sut_mb(r, "rssBeforeMB"), 1),
    ("RSS at the end of the load (MB, SUT)", lambda r: sut_mb(r, "rssAfterMB"), 1),
    ("RSS peak (MB, SUT)", lambda r: sut_mb(r, "rssPeakMB"), 1),
    ("CPU ms per 1000 messages (SUT)", lambda r: r["derived"]["cpuMsPer1000Messages"], 1),
    ("CPU cores used (SUT, average)", lambda r: r["derived"]["sutCpuCores"], 2),
    ("CPU cores used (load tester, average)", lambda r: r["derived"]["loadTestCpuCores"], 2),
]

if ("idle", "echo") in runs or ("idle", sut) in runs:
    e, s = single("idle", "echo"), single("idle", sut)
    any_run = e or s
    md += ["## Idle: memory per station", "", f"`{any_run['loadTestArgs']}`" if any_run else "", ""]
    md += table([("memory per station (kB)", lambda r: r["derived"]["memoryPerStationKB"], 1)] + common, e, s) + [""]

if ("rate", "echo") in runs or ("rate", sut) in runs:
    md += ["## Charging rate sweep: highest sustained rate", "",
           f"Charging, meter values every second, 30 s sessions. Sustained: p99 < {limit:g} ms, no errors, every station "
           "connected at the end.", "",
           "The meter p99 is that of MeterValues (1.6) or TransactionEvent (2.x) alone: the steady part of the load.", "",
           f"| stations | echo msg/s | echo p99 ms | echo meter p99 ms | echo errors | {sut} msg/s | {sut} p99 ms "
           f"| {sut} meter p99 ms | {sut} errors | {sut} CPU cores | load tester CPU cores |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    steps = {}
    for target in ("echo", sut):
        for label, r in runs.get(("rate", target), []):
            steps.setdefault(int(label.removeprefix("rate-")), {})[target] = r
    best = {}
    for n in sorted(steps):
        cells = [f"{n:,}"]
        for target in ("echo", sut):
            r = steps[n].get(target)
            if r is None:
                cells += ["–"] * 4
                continue
            rep = r["report"]
            meter = [rep["latencyMsByAction"][a]["p99"] for a in ("MeterValues", "TransactionEvent") if a in rep["latencyMsByAction"]]
            cells += [num(rep["messagesPerSecond"]), num(rep["latencyMs"]["p99"], 2), num(max(meter) if meter else None, 2),
                      num(errors(r), 0)]
            if rep["latencyMs"]["p99"] < limit and not rep["errorsByCode"] and rep["stationsConnected"] == rep["stationsTarget"]:
                if rep["messagesPerSecond"] > best.get(target, (0, 0))[0]:
                    best[target] = (rep["messagesPerSecond"], n)
        r = steps[n].get(sut)
        cells += [num(r["derived"]["sutCpuCores"], 2), num(r["derived"]["loadTestCpuCores"], 2)] if r else ["–", "–"]
        md.append("| " + " | ".join(cells) + " |")
    md += ["", f"| highest sustained rate | echo | {sut} | {sut} ÷ echo |", "|---|---:|---:|---:|"]
    e, s = best.get("echo"), best.get(sut)
    describe = lambda b: "none" if b is None else f"{b[0]:,.1f} msg/s ({b[1]:,} stations)"
    md += [f"| messages per second | {describe(e)} | {describe(s)} | {ratio(s and s[0], e and e[0])} |",
           "", "A target that stayed sustained at the largest step was not pushed to its limit: the figure is a floor.", ""]

if ("storm", "echo") in runs or ("storm", sut) in runs:
    e, s = single("storm", "echo"), single("storm", sut)
    any_run = e or s
    md += ["## Reconnect storm", "", f"`{any_run['loadTestArgs']}`" if any_run else "", ""]
    md += table([
        ("recovery: seconds until every station is booted again", lambda r: r["report"].get("stormRecoverySeconds"), 1),
        ("stations booted at the end", lambda r: r["report"]["stationsBooted"], 0),
        ("reconnects", lambda r: r["report"]["reconnects"], 0),
        ("connect failures", lambda r: r["report"]["connectFailures"], 0),
    ] + common, e, s)
    for target, r in (("echo", e), (sut, s)):
        if r and r["report"]["errorsByCode"]:
            md.append(f"\n{target} errors by code: " + ", ".join(f"{k} {v:,}" for k, v in r["report"]["errorsByCode"].items()))
    md.append("")

failed = [f"{t} {label}" for (_, t), rs in runs.items() for label, r in rs if r is None]
if failed:
    md += ["Runs that failed (see bench/results/raw/): " + ", ".join(failed), ""]
with open(summary, "w") as f:
    f.write("\n".join(md))
print(f"summary: {os.path.relpath(summary)}")
PY
