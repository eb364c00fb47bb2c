#!/bin/sh
# sweep_ishigami.sh: `qmsim sensitivity` of the bundled Ishigami sweep
# (scenarios/sweeps/ishigami.cfg, builtin:ishigami, a = 7, b = 0.1) finds
# the analytic Sobol indices within its bootstrap intervals:
#   S1 = 0.3139, 0.4424, 0    ST = 0.5576, 0.4424, 0.2437.
# usage: sh sweep_ishigami.sh QMSIM SOURCE_DIR
Q=$1
SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$Q" sweep "$SRC/scenarios/sweeps/ishigami.cfg" -o "$T/ish.h5" -q --threads 2 || exit 1
"$Q" sensitivity "$T/ish.h5" || exit 1
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
