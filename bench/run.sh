#!/bin/sh
# run.sh: the benchmarks of bench/README.md.  Prints a table and writes
# bench/results.json with the machine's description.  Ratios are measured
# in this one invocation, so they compare like with like.
# usage: sh bench/run.sh BUILD_DIR
set -e
BUILD=${1:-build}
cd "$(dirname "$0")/.."
B="$BUILD/qmsim-bench"
[ -x "$B" ] || { echo "bench: $B not built (make bench builds it)"; exit 2; }
NAT=scenarios/national.cfg
BASE=scenarios/baseline.cfg
OUT=bench/results.json
TMP=$(mktemp)
H120=$(mktemp --suffix=.cfg)
H480=$(mktemp --suffix=.cfg)
CLI=$(mktemp)
OUTH5=$(mktemp --suffix=.h5)
trap 'rm -f "$TMP" "$H120" "$H480" "$CLI" "$OUTH5" "$OUTH5.partial"; [ -z "$BUSY" ] || kill "$BUSY" 2>/dev/null' EXIT
BUSY=
# The national scenario over 120 and 480 months: memory against horizon.
sed 's/^months = .*/months = 120;/' $NAT >"$H120"
sed 's/^months = .*/months = 480;/' $NAT >"$H480"

# measure LABEL ARGS...: runs the bench binary once, keeps its JSON line
# under LABEL.  A label measured several times is reported as the median.
measure() {
    l=$1; shift
    line=$("$B" "$@")
    printf '%s\t%s\n' "$l" "$line" >>"$TMP"
    printf '%-22s %s\n' "$l" "$line" | sed 's/[{}"]//g; s/command: [a-z]*, scenario: //; s/, runs_per_minute.*//'
}

# cli LABEL ARGS...: times `qmsim run ARGS` as users call it, with the
# scenario's default output (series, panels, events) to a real file, and
# keeps wall, user, system seconds, minor page faults and peak memory
# (/usr/bin/time).  With strace present, the first round also counts the
# madvise calls of the run (the allocator trimming its arenas).
cli() {
    l=$1; shift
    /usr/bin/time -f '%e %U %S %R %M' -o "$CLI.t" "$BUILD/qmsim" run "$@" -o "$OUTH5" --force -q
    read -r wall user sys minflt peak <"$CLI.t"
    madv=null
    if [ "$round" = 1 ] && command -v strace >/dev/null 2>&1; then
        madv=$(strace -f -c -e trace=madvise -o "$CLI.s" "$BUILD/qmsim" run "$@" -o "$OUTH5" \
               --force -q >/dev/null 2>&1 && awk '$NF == "madvise" {print $4}' "$CLI.s")
        [ -n "$madv" ] || madv=0
    fi
    printf '%s\t{"seconds": %s, "user": %s, "system": %s, "minor_faults": %s, "peak_kib": %s, "madvise": %s}\n' \
        "$l" "$wall" "$user" "$sys" "$minflt" "$peak" "$madv" >>"$CLI"
    printf '%-22s wall %6.2f s  cpu %6.2f s  minor faults %7d  madvise %s\n' \
        "$l" "$wall" "$(awk "BEGIN{print $user + $sys}")" "$minflt" "$madv"
}

# The two sides of each ratio are measured in alternation, round after
# round, so that a slow spell of the machine falls on both sides.
echo "qmsim benchmarks ($(nproc) cores)"
# What a cache line costs between two cores: the price of every datum one
# thread writes and the other reads (bench/README.md).
CORES=$("$BUILD/qmsim-bench-cores" 2>/dev/null || echo '{"one_way_ns": null}')
echo "cache line between two cores: $CORES"
echo "qmsim run, default output to a file:"
for round in 1 2 3; do
    cli cli_x1_threads1 $NAT --threads 1
    cli cli_x1_threads2 $NAT --threads 2
    cli cli_x1_none_threads1 $NAT --threads 1 --set output.panels=false --set output.events=false
    cli cli_x8_threads1 $NAT --scale 8 --threads 1
    cli cli_x8_threads2 $NAT --scale 8 --threads 2
    cli cli_x8_series_threads1 $NAT --scale 8 --threads 1 --set output.panels=false --set output.events=false
    cli cli_x8_series_threads2 $NAT --scale 8 --threads 2 --set output.panels=false --set output.events=false
done
# The same beside a second busy process: --threads 2 must not be slower
# than --threads 1 when one core is taken.
sh -c 'while :; do :; done' &
BUSY=$!
for round in 2 3 4; do
    cli cli_busy_x1_threads1 $NAT --threads 1
    cli cli_busy_x1_threads2 $NAT --threads 2
done
kill "$BUSY"; BUSY=
echo "harness (qmsim-bench):"
for r in 1 2 3 4 5; do
    measure national_none    run $NAT --output none
    measure national_series  run $NAT --output series
    measure national_panels  run $NAT --output panels
done
for r in 1 2 3; do
    measure national_x8_threads1 run $NAT --scale 8 --threads 1
    measure national_x8_threads2 run $NAT --scale 8 --threads 2
done
for r in 1 2 3 4 5; do
    measure scale_x1  run $NAT --scale 1
    measure scale_x4  run $NAT --scale 4
    measure scale_x16 run $NAT --scale 16
done
measure sweep64_threads1 sweep $NAT 64 --threads 1
measure sweep64_threads2 sweep $NAT 64 --threads 2
measure horizon_120_panels run "$H120" --output panels
measure horizon_480_panels run "$H480" --output panels
for r in 1 2 3; do
    measure baseline_sweep_threads2 sweep $BASE 256 --threads 2
done

python3 - "$TMP" "$OUT" "$CLI" "$CORES" <<'PY'
import json, os, platform, subprocess, sys, datetime
runs = {}
for line in open(sys.argv[1]):
    key, _, value = line.rstrip("\n").partition("\t")
    runs.setdefault(key, []).append(json.loads(value))
def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else 0.5 * (xs[n // 2 - 1] + xs[n // 2])
clis = {}
for line in open(sys.argv[3]):
    key, _, value = line.rstrip("\n").partition("\t")
    clis.setdefault(key, []).append(json.loads(value))
cli = {}
for key, ms in clis.items():
    cli[key] = {"seconds": median([m["seconds"] for m in ms]),
                "cpu_seconds": median([m["user"] + m["system"] for m in ms]),
                "system_seconds": median([m["system"] for m in ms]),
                "minor_faults": median([m["minor_faults"] for m in ms]),
                "peak_kib": max(m["peak_kib"] for m in ms),
                "madvise": next((m["madvise"] for m in ms if m["madvise"] is not None), None),
                "seconds_all": [m["seconds"] for m in ms]}
def c(k): return cli[k]["seconds"]
rows = {}
for key, ms in runs.items():
    secs = sorted(m["seconds"] for m in ms)
    n = len(secs)
    med = secs[n // 2] if n % 2 else 0.5 * (secs[n // 2 - 1] + secs[n // 2])
    row = dict(ms[0])
    row.update(seconds=med, seconds_all=[m["seconds"] for m in ms],
               peak_kib=max(m["peak_kib"] for m in ms),
               contract_months_per_second=row["contract_months_per_second"] * row["seconds"] / med,
               runs_per_minute=row["runs"] * 60.0 / med)
    for k in ("repeats", "seconds_min", "seconds_max"):
        row.pop(k, None)
    rows[key] = row
def s(k): return rows[k]["seconds"]
def m(k): return rows[k]["peak_kib"]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
ratios = {
    "cli_output_overhead": c("cli_x1_threads1") / c("cli_x1_none_threads1") - 1,
    "cli_speedup_x1": c("cli_x1_threads1") / c("cli_x1_threads2"),
    "cli_speedup_x8": c("cli_x8_threads1") / c("cli_x8_threads2"),
    "cli_speedup_x8_series": c("cli_x8_series_threads1") / c("cli_x8_series_threads2"),
    "cli_busy_speedup_x1": c("cli_busy_x1_threads1") / c("cli_busy_x1_threads2"),
    "series_output_overhead": s("national_series") / s("national_none") - 1,
    "panels_output_overhead": s("national_panels") / s("national_none") - 1,
    "speedup_one_run_x8": s("national_x8_threads1") / s("national_x8_threads2"),
    "speedup_sweep64": s("sweep64_threads1") / s("sweep64_threads2"),
    "time_x16_over_x1": s("scale_x16") / s("scale_x1"),
    "memory_x16_over_x1": m("scale_x16") / m("scale_x1"),
    "time_x4_over_x1": s("scale_x4") / s("scale_x1"),
    "memory_x4_over_x1": m("scale_x4") / m("scale_x1"),
    "memory_480_over_120_months": m("horizon_480_panels") / m("horizon_120_panels"),
    "time_480_over_120_months": s("horizon_480_panels") / s("horizon_120_panels"),
}
result = {
    "machine": {"cpu": cpu, "cores": os.cpu_count(),
                "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
                "system": platform.platform(),
                "core_to_core": json.loads(sys.argv[4]),
                "compiler": subprocess.run(["cc", "--version"], capture_output=True, text=True).stdout.splitlines()[0]},
    "date": datetime.datetime.utcnow().replace(microsecond=0).isoformat() + "Z",
    "cli": cli,
    "measurements": rows,
    "ratios": ratios,
}
json.dump(result, open(sys.argv[2], "w"), indent=2)
print()
for k, v in ratios.items():
    print(f"{k:28s} {v:8.3f}")
print(f"\nwrote {sys.argv[2]}")
PY
