#!/bin/sh
# sweep_ishigami.sh: `qmsim sensitivity` of the bundled Ishigami sweep
# (scenarios/sweeps/ishigami.cfg, builtin:ishigami, a = 7, b = 0.1) finds
# the analytic Sobol indices within its bootstrap intervals:
#   S1 = 0.3139, 0.4424, 0    ST = 0.5576, 0.4424, 0.2437.
# At N = 4096 every interval is under 0.1 wide and there is no warning; at
# N = 32 the command warns and names the samples that would make them 0.1
# wide, from the widths' 1/sqrt(N) scaling, which N = 256 bears out.
# usage: sh sweep_ishigami.sh QMSIM SOURCE_DIR
Q=$1
SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$Q" sweep "$SRC/scenarios/sweeps/ishigami.cfg" -o "$T/ish.h5" -q --threads 2 || exit 1
"$Q" sensitivity "$T/ish.h5" >"$T/ish.txt" || exit 1
cat "$T/ish.txt"
if grep -q "warning" "$T/ish.txt"; then
    echo "FAIL: a warning at N = 4096"; exit 1
fi
"$Q" sensitivity "$T/ish.h5" --format json >"$T/ish.json" || exit 1
/usr/bin/python3 - "$T/ish.json" <<'PY'
import json, math, sys
d = json.load(open(sys.argv[1]))
a, b = 7.0, 0.1
V1 = 0.5 * (1 + b * math.pi ** 4 / 5) ** 2
V2 = a * a / 8
V13 = 8 * b * b * math.pi ** 8 / 225
V = V1 + V2 + V13
want = {"x1": (V1 / V, (V1 + V13) / V), "x2": (V2 / V, V2 / V), "x3": (0.0, V13 / V)}
assert d["design"] == "sobol" and d["samples"] == 4096 and d["level"] == 0.95, d
out = d["outcomes"][0]
assert out["name"] == "y" and out["used"] == 4096, out
bad = 0
for f in out["factors"]:
    s1, st = want[f["name"]]
    for key, true in (("S1", s1), ("ST", st)):
        lo, hi = f[key + "_low"], f[key + "_high"]
        ok = lo <= true <= hi and abs(f[key] - true) < 0.03
        print(f"{'ok' if ok else 'FAIL'}: {key}({f['name']}) = {f[key]:.4f} in [{lo:.4f}, {hi:.4f}], analytic {true:.4f}")
        bad += not ok
sys.exit(1 if bad else 0)
PY
[ $? -eq 0 ] || exit 1

# Small samples: a warning that says how many would do.
for n in 32 256; do
    sed "s/samples = 4096/samples = $n/" "$SRC/scenarios/sweeps/ishigami.cfg" >"$T/ish$n.cfg"
    "$Q" sweep "$T/ish$n.cfg" -o "$T/ish$n.h5" -q || exit 1
    "$Q" sensitivity "$T/ish$n.h5" >"$T/ish$n.txt" || exit 1
    "$Q" sensitivity "$T/ish$n.h5" --format json >"$T/ish$n.json" 2>"$T/ish$n.err" || exit 1
done
cat "$T/ish32.txt"
grep -q "^warning: with N = 32 samples the Sobol indices are not known" "$T/ish32.txt" || {
    echo "FAIL: no warning at N = 32"; exit 1; }
grep -q "^qmsim sensitivity: warning: with N = 32 samples" "$T/ish32.err" || {
    echo "FAIL: no warning on stderr beside JSON at N = 32"; exit 1; }
/usr/bin/python3 - "$T/ish32.json" "$T/ish256.json" "$T/ish.json" <<'PY'
import json, sys
d32, d256, d4096 = (json.load(open(p)) for p in sys.argv[1:])
assert d32["target_width"] == 0.1, d32
o32, o256, o4096 = (d["outcomes"][0] for d in (d32, d256, d4096))
w = max(max(f["S1_high"] - f["S1_low"], f["ST_high"] - f["ST_low"]) for f in o32["factors"])
assert abs(o32["widest_interval"] - w) < 1e-12, (o32["widest_interval"], w)
need = 32 * (w / 0.1) ** 2
n = o32["samples_for_target_width"]
assert n & (n - 1) == 0 and need <= n < 2 * need, (n, need)
print("ok: N = 32: widest interval %.3f; N = %d suggested (%.0f by 1/sqrt(N))" % (w, n, need))
# The scaling the suggestion rests on: 8 times the samples, intervals about sqrt(8) narrower.
ratio = w / o256["widest_interval"]
assert 1.8 < ratio < 4.5, ratio
assert o4096["widest_interval"] <= 0.1 and o4096["samples_for_target_width"] == 4096, o4096
print("ok: widest interval %.3f at N = 32, %.3f at N = 256 (ratio %.2f, sqrt(8) = 2.83), "
      "%.3f at N = 4096" % (w, o256["widest_interval"], ratio, o4096["widest_interval"]))
PY
