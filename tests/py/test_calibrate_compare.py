"""Comparison targets of qmsim calibrate do what docs/calibration.md says:

* a target measured on a scenario against itself is exactly 0 as a
  difference and exactly 1 as a ratio (the same replicates run for both);
* a difference against another scenario, and a cost share of savings, are
  what `qmsim compare` reports for the same seed, replicates and
  parameter value (common random numbers, paired by replicate);
* the result records each target's scenario, reference and relation, and
  the texts of the scenarios other than the base, so that --export-scenario
  reads it; --dry-run and the report page show them;
* 1 and 2 threads give bit-identical results with comparison targets.

Horizons and budgets are tiny so that the suite stays fast.
usage: /usr/bin/python3 test_calibrate_compare.py QMSIM SOURCE_DIR
"""
import json
import os
import shutil
import sys
import tempfile

import h5py
import numpy as np

from commands import fail, run_qmsim

QMSIM = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])
SEED = 17
MONTHS = 120
REPS = 2


def run(args, cwd, code=0):
    return run_qmsim(QMSIM, args, cwd, code)


CAL = """base = "%(src)s/scenarios/baseline.cfg";
set = ["months=%(months)d"];
seed = %(seed)d;
replications = %(reps)d;
algorithm = "%(alg)s";
particles = %(particles)d;
budget = { %(budget)s };
parameters = (
  { path = "decision.beta_tender0"; prior = "uniform"; range = [2.0, 3.0]; }
);
targets = (
  { outcome = "tender_share"; band = [0.0, 0.5]; },
  { outcome = "tc_per_spend"; scenario = "market_reform";
    relative_to = "market_reform"; relation = "difference"; band = [-1.0, 1.0]; },
  { outcome = "tc_per_spend"; scenario = "market_reform";
    relative_to = "market_reform"; relation = "ratio"; band = [0.0, 2.0]; },
  { outcome = "tender_share"; scenario = "market_reform";
    relative_to = "base"; relation = "difference"; band = [-1.0, 1.0]; },
  { outcome = "tc_total"; scenario = "market_reform"; band = [0.0, 1e9]; },
  { scenario = "market_reform"; relative_to = "baseline";
    relation = "cost_share_of_savings"; band = [-1e9, 1e9]; }
);
"""


def write_cal(d, name, alg="rejection", particles=2, budget="tolerance = 1e9;"):
    path = os.path.join(d, name)
    with open(path, "w") as f:
        f.write(CAL % {"src": SRC, "months": MONTHS, "seed": SEED, "reps": REPS, "alg": alg,
                       "particles": particles, "budget": budget})
    return path


def strings(ds):
    return [x.decode() if isinstance(x, bytes) else x for x in ds[()]]


def compare(d, theta):
    """`qmsim compare` of the base and market_reform at theta, as JSON."""
    p = run(["compare", os.path.join(SRC, "scenarios/baseline.cfg"),
             os.path.join(SRC, "scenarios/market_reform.cfg"), "-r", str(REPS),
             "--seed", str(SEED), "--set", "months=%d" % MONTHS,
             "--set", "decision.beta_tender0=%.17g" % theta,
             "--outcomes", "tender_share,tc_total,spend_year", "--format", "json"], d)
    out = {}
    for o in json.loads(p.stdout)["outcomes"]:
        out[o["name"]] = {r["scenario"]: r for r in o["results"]}
    return out


def close(a, b, what):
    if not abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b)):
        fail("%s: calibration %r, compare %r" % (what, a, b))


def test_values(d):
    cal = write_cal(d, "cmp.cfg")
    run(["calibrate", cal, "-o", "cmp.h5", "-q"], d)
    with h5py.File(os.path.join(d, "cmp.h5"), "r") as f:
        vals = f["generations/0/values"][()]
        theta = f["generations/0/theta"][()]
        tg = {k: strings(f["targets/" + k]) for k in
              ("name", "outcome", "scenario", "relative_to", "relation")}
        scen = strings(f["scenarios/name"])
        texts = strings(f["scenarios/text"])
    if vals.shape != (2, 6):
        fail("values of shape %s, want (2, 6)" % (vals.shape,))
    if not np.all(vals[:, 1] == 0.0) or not np.all(vals[:, 2] == 1.0):
        fail("a scenario against itself: differences %s (want 0), ratios %s (want 1)"
             % (vals[:, 1], vals[:, 2]))
    print("ok: against itself, difference exactly 0 and ratio exactly 1 in every particle")
    want = {"scenario": ["base"] + ["market_reform"] * 5,
            "relative_to": ["", "market_reform", "market_reform", "base", "", "baseline"],
            "relation": ["", "difference", "ratio", "difference", "", "cost_share_of_savings"],
            "outcome": ["tender_share", "tc_per_spend", "tc_per_spend", "tender_share",
                        "tc_total", ""]}
    for k, v in want.items():
        if tg[k] != v:
            fail("/targets/%s is %s, want %s" % (k, tg[k], v))
    if tg["name"][3] != "tender_share [market_reform - base]" or \
            tg["name"][5] != "cost_share_of_savings [market_reform vs baseline]":
        fail("target labels %s" % tg["name"])
    if scen != ["market_reform", "baseline"] or "market_reform" not in texts[0]:
        fail("/scenarios/name %s" % scen)
    print("ok: the result records scenario, relative_to, relation and the scenarios' texts")

    # Particle 0 runs replicates 0 and 1, as `qmsim compare -r 2` does.
    c = compare(d, theta[0, 0])
    base, reform = c["tender_share"]["baseline"], c["tender_share"]["market_reform"]
    close(vals[0, 0], base["mean"], "tender_share on the base")
    close(vals[0, 3], reform["diff"], "tender_share, market_reform - base")
    close(vals[0, 4], c["tc_total"]["market_reform"]["mean"], "tc_total on market_reform")
    saved = -c["spend_year"]["market_reform"]["diff"]
    share = c["tc_total"]["market_reform"]["diff"] / saved if saved > 0 else float("nan")
    if np.isnan(share) != np.isnan(vals[0, 5]) or (saved > 0 and
                                                    abs(share - vals[0, 5]) > 1e-9 * abs(share)):
        fail("cost share: calibration %r, compare %r" % (vals[0, 5], share))
    print("ok: paired difference %.4f and cost share %.4g as qmsim compare reports them"
          % (vals[0, 3], vals[0, 5]))

    # The result's calibration reads again from its stored texts.
    p = run(["calibrate", cal, "--dry-run"], d)
    for s in ("tender_share [market_reform - base]", "added tc_total of market_reform over its "
              "saving in spend_year against baseline", "the same scenario as base"):
        if s not in p.stdout:
            fail("--dry-run does not show %r:\n%s" % (s, p.stdout))
    run(["calibrate", "cmp.h5", "--export-scenario", "fitted.cfg", "-q"], d)
    run(["validate", "fitted.cfg"], d)
    print("ok: --dry-run shows the comparisons; --export-scenario reads the result")
    if shutil.which("gnuplot"):
        run(["report", "cmp.h5", "-o", "cmp.html"], d)
        with open(os.path.join(d, "cmp.html")) as f:
            page = f.read()
        if "<h2>Targets</h2>" not in page or \
                "<td>market_reform</td><td>baseline</td><td>cost_share_of_savings</td>" not in page:
            fail("the report page does not list the targets' comparisons")
        print("ok: the report page lists each target's scenario, reference and relation")


def test_threads(d):
    cal = write_cal(d, "smc.cfg", alg="smc", particles=6,
                    budget="simulations = 40; generations = 3; tolerance = 0;")
    run(["calibrate", cal, "-o", "t1.h5", "--threads", "1", "-q"], d)
    run(["calibrate", cal, "-o", "t2.h5", "--threads", "2", "-q"], d)
    with h5py.File(os.path.join(d, "t1.h5"), "r") as a, h5py.File(os.path.join(d, "t2.h5"),
                                                                    "r") as b:
        G = len(a["generations/tolerance"])
        for g in range(G):
            for k in ("theta", "values", "weight", "distance"):
                x, y = a["generations/%d/%s" % (g, k)][()], b["generations/%d/%s" % (g, k)][()]
                if not np.array_equal(x, y, equal_nan=True):
                    fail("threads 1 and 2 differ in generation %d, %s" % (g, k))
    print("ok: 1 and 2 threads bit-identical with comparison targets (%d generations)" % G)


def main():
    d = tempfile.mkdtemp()
    try:
        test_values(d)
        test_threads(d)
    finally:
        shutil.rmtree(d)


if __name__ == "__main__":
    main()
