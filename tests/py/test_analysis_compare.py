"""qmsim compare computes what docs/analysis.md says:

* the key outcomes follow their documented formulas over a run's series
  (recomputed here from run files), and REDUCE:SERIES reduces a series;
* means and t intervals, paired differences and the n.s. mark are right
  (recomputed from the runs' outcomes in CMP.h5);
* common random numbers: compare's runs are exactly `qmsim run --seed S
  --replicate r`, so --from-files on those files gives the same table; a
  scenario compared with itself differs by exactly 0, n.s.;
* results do not depend on --threads;
* --from-files without pairs falls back to Welch's interval;
* --from-sweep reproduces the sweep's own outcomes by design point;
* CMP.h5's bands are the mean and 2.5/97.5 percentiles of the runs.

usage: /usr/bin/python3 test_analysis_compare.py QMSIM SOURCE_DIR
"""
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_analysis_doc as analysis_doc  # noqa: E402

# Student t quantiles t(0.975, df), as GSL's gsl_cdf_tdist_Pinv gives them.
T975 = {2: 4.302652729911275, 3: 3.182446305284263, 4: 2.7764451051977987}
R = 4


def fail(msg):
    raise SystemExit("FAIL: " + msg)


def close(a, b, rel=1e-9, what=""):
    if a is None or b is None:
        if a is not b:
            fail("%s: %r vs %r" % (what, a, b))
        return
    if not math.isclose(a, b, rel_tol=rel, abs_tol=1e-12):
        fail("%s: %r vs %r" % (what, a, b))


def run(cmd, cwd, code=0):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=300)
    if p.returncode != code:
        fail("%s exited %d (expected %d)\n%s" % (" ".join(cmd), p.returncode, code, p.stderr))
    return p.stdout


def key_outcomes(path):
    """The key outcomes of one run file by docs/analysis.md's formulas."""
    with h5py.File(path, "r") as f:
        s = {k: f["series"][k][()] for k in f["series"] if k != "time"}
    T = len(s["spend"])
    years = T / 12.0
    S = {k: float(np.sum(v)) for k, v in s.items()}
    dec = (S["decisions_renew"] + S["decisions_renegotiate"] + S["decisions_tender"]
           + S["decisions_decommission"])

    def ratio(a, b):
        return a / b if b > 0 else None
    return {
        "tender_share": ratio(S["decisions_tender"], dec),
        "switch_rate": ratio(S["switches"] / years, S["contracts_active"] / T),
        "tc_per_spend": ratio(S["tc_ex_ante"] + S["tc_ex_post"], S["spend"]),
        "trust": S["trust_mean_provider"] / T,
        "quality": ratio(float(np.sum(s["quality_delivered"] * s["activity"])), S["activity"]),
        "unmet_share": ratio(S["unmet_demand"], S["unmet_demand"] + S["activity"]),
        "agency_fees": S["agency_fees"] / years,
        "dependency": S["dependency_index"] / T,
        "developments": S["developments_completed"],
        "max:hhi_mean": float(np.max(s["hhi_mean"])),
        "final:knowledge_analytic_mean": float(s["knowledge_analytic_mean"][-1]),
        "sum:switches": S["switches"],
        "min:trust_mean_provider": float(np.min(s["trust_mean_provider"])),
        "mean:spend": S["spend"] / T,
    }


OUTCOMES = ("tender_share,switch_rate,tc_per_spend,trust,quality,unmet_share,agency_fees,"
            "dependency,developments,max:hhi_mean,final:knowledge_analytic_mean,sum:switches,"
            "min:trust_mean_provider,spend")


# The least value each key outcome can take (src/observe/meta.c).
FLOOR = {k: 0.0 for k in ("tender_share", "switch_rate", "tc_per_spend", "trust", "quality",
                          "unmet_share", "agency_fees", "dependency", "developments")}


def table(js):
    """{(outcome, scenario): result} of a JSON comparison."""
    return {(o["name"], r["scenario"]): r for o in js["outcomes"] for r in o["results"]}


def main():
    qmsim, src = analysis_doc.args()
    t0 = time.time()
    d = tempfile.mkdtemp(prefix="qmsim-compare-test-")
    a = os.path.join(src, "scenarios", "teaching", "kt_none.cfg")
    b = os.path.join(src, "scenarios", "teaching", "kt_clause.cfg")
    try:
        # Runs made by compare, and the same runs made by qmsim run.
        live = json.loads(run([qmsim, "compare", a, b, "-r", str(R), "--months", "36",
                               "--outcomes", OUTCOMES, "--format", "json", "-o", "cmp.h5",
                               "--series", "all", "-q"], d))
        seed = live["seed"]
        if seed != 2024 or live["replications"] != R:
            fail("compare's seed %r / replications %r" % (seed, live["replications"]))
        files = {"kt_none": [], "kt_clause": []}
        for name, cfg in (("kt_none", a), ("kt_clause", b)):
            for r in range(R):
                out = "%s_%d.h5" % (name, r)
                run([qmsim, "run", cfg, "--months", "36", "--seed", str(seed), "--replicate",
                     str(r), "-o", out, "-q"], d)
                files[name].append(out)
        # 1. Outcomes by their documented formulas.
        with h5py.File(os.path.join(d, "cmp.h5"), "r") as f:
            cols = list(f["runs/outcomes"].attrs["columns"])
            y = f["runs/outcomes"][()]
            scen = f["runs/scenario"][()]
            rep = f["runs/replicate"][()]
            names = list(f["scenarios/name"].asstr()[()])
        if cols != OUTCOMES.split(",")[:-1] + ["mean:spend"]:
            fail("outcome columns %s" % cols)
        for j in range(len(y)):
            want = key_outcomes(os.path.join(d, files[names[scen[j]]][rep[j]]))
            for m, c in enumerate(cols):
                v = None if math.isnan(y[j, m]) else float(y[j, m])
                close(v, want[c], 1e-9, "run %d outcome %s" % (j, c))
        print("ok: %d outcomes of %d runs match docs/analysis.md's formulas over `qmsim run`'s "
              "files (common random numbers: compare's run = run --seed --replicate)"
              % (len(cols), len(y)))
        # 2. Means, intervals, paired differences.
        tab = table(live)
        for m, c in enumerate(cols):
            base = y[scen == 0, m]
            for s, name in enumerate(names):
                x = y[scen == s, m]
                res = tab[(c, name)]
                ok = x[~np.isnan(x)]
                close(res["mean"], float(np.mean(ok)), 1e-9, "%s %s mean" % (c, name))
                half = T975[len(ok) - 1] * float(np.std(ok, ddof=1)) / math.sqrt(len(ok))
                # a t interval is cut to the range the outcome can take
                lo = max(float(np.mean(ok)) - half, FLOOR.get(c, -math.inf))
                close(res["ci"][0], lo, 1e-7, "%s %s ci" % (c, name))
                if res["ci_clipped"] != (lo != float(np.mean(ok)) - half):
                    fail("%s %s: ci_clipped is %s" % (c, name, res["ci_clipped"]))
                if s == 0:
                    if res["diff"] is not None or res["significant"] is not None:
                        fail("the reference has a difference")
                    continue
                dd = x - base          # runs are in replicate order in both
                dd = dd[~np.isnan(dd)]
                close(res["diff"], float(np.mean(dd)), 1e-9, "%s diff" % c)
                half = T975[len(dd) - 1] * float(np.std(dd, ddof=1)) / math.sqrt(len(dd))
                close(res["diff_ci"][1], float(np.mean(dd)) + half, 1e-7, "%s diff ci" % c)
                lo, hi = res["diff_ci"]
                if res["significant"] != (lo > 0 or hi < 0) or res["pairs"] != len(dd):
                    fail("%s: significant %r for [%r, %r]" % (c, res["significant"], lo, hi))
        print("ok: means, t intervals, paired differences and n.s. marks recomputed")
        # 3. The same table from the run files.
        args = ["kt_none=" + ",".join(files["kt_none"]), "kt_clause=" + ",".join(files["kt_clause"])]
        from_files = json.loads(run([qmsim, "compare", "--from-files"] + args
                                    + ["--outcomes", OUTCOMES, "--format", "json"], d))
        ft = table(from_files)
        for key, res in tab.items():
            for field in ("mean", "diff", "pairs", "significant"):
                close(ft[key][field], res[field], 1e-12, "from-files %s %s" % (key, field))
        print("ok: --from-files on the same runs gives the same table")
        # Plain files join their scenario by scenario_name.
        plain = json.loads(run([qmsim, "compare", "--from-files"] + files["kt_none"]
                               + files["kt_clause"] + ["--format", "json"], d))
        if [s["name"] for s in plain["scenarios"]] != ["kt_none", "kt_clause"] or \
                [s["runs"] for s in plain["scenarios"]] != [R, R]:
            fail("plain files were not grouped by scenario_name: %s" % plain["scenarios"])
        print("ok: plain files are grouped by their scenario_name")
        # 4. Threads do not matter.
        for t in ("1", "3"):
            again = run([qmsim, "compare", a, b, "-r", str(R), "--months", "36", "--outcomes",
                         OUTCOMES, "--format", "json", "--threads", t, "-q"], d)
            if json.loads(again) != live:
                fail("--threads %s changes the comparison" % t)
        print("ok: --threads 1 and 3 give the same comparison")
        # 5. A scenario against itself.
        same = json.loads(run([qmsim, "compare", a, a, "-r", "3", "--months", "24", "--format",
                               "json"], d))
        for o in same["outcomes"]:
            r2 = o["results"][1]
            if r2["diff"] is not None and (r2["diff"] != 0 or r2["significant"] is not False):
                fail("a scenario against itself: %s differs by %r" % (o["name"], r2["diff"]))
        print("ok: a scenario compared with itself differs by exactly 0, n.s.")
        # 6. Unpaired files: Welch's interval.
        welch = json.loads(run([qmsim, "compare", "--from-files",
                                "a=" + ",".join(files["kt_none"][:2]),
                                "b=" + ",".join(files["kt_clause"][2:]),
                                "--outcomes", "dependency", "--format", "json"], d))
        r2 = welch["outcomes"][0]["results"][1]
        xa = y[(scen == 0) & (rep < 2), cols.index("dependency")]
        xb = y[(scen == 1) & (rep >= 2), cols.index("dependency")]
        va, vb = np.var(xa, ddof=1) / 2, np.var(xb, ddof=1) / 2
        if r2["pairs"] != 0:
            fail("unpaired files were paired")
        close(r2["diff"], float(np.mean(xb) - np.mean(xa)), 1e-9, "welch diff")
        df = (va + vb) ** 2 / (va ** 2 + vb ** 2)       # both n = 2: n - 1 = 1
        if not (r2["diff_ci"][0] < r2["diff"] < r2["diff_ci"][1]) or df <= 0:
            fail("Welch interval %s" % r2["diff_ci"])
        print("ok: runs that cannot be paired get Welch's interval (pairs 0)")
        # 7. Bands in CMP.h5 from the runs' series.
        with h5py.File(os.path.join(d, "cmp.h5"), "r") as f:
            for series in ("trust_mean_provider", "agency_fees", "decisions_tender"):
                for s, name in enumerate(names):
                    runs = []
                    for p in files[name]:
                        with h5py.File(os.path.join(d, p), "r") as g:
                            runs.append(g["series"][series][()])
                    runs = np.array(runs)
                    for k, want in (("mean", runs.mean(axis=0)),
                                    ("lo", np.percentile(runs, 2.5, axis=0)),
                                    ("hi", np.percentile(runs, 97.5, axis=0))):
                        got = f["series/%s/%s" % (k, series)][s, :]
                        if not np.allclose(got, want, rtol=1e-12, atol=1e-12):
                            fail("band %s of %s for %s" % (k, series, name))
            if f["series/mean/trust_mean_provider"].shape != (2, 36):
                fail("band shape %s" % (f["series/mean/trust_mean_provider"].shape,))
        print("ok: CMP.h5's bands are the runs' mean and 2.5/97.5 percentiles, month by month")
        # 8. A sweep's design points.
        run([qmsim, "sweep", os.path.join(src, "scenarios", "teaching", "tender_sweep.cfg"),
             "-o", "policy.h5", "-q"], d)
        sw = json.loads(run([qmsim, "compare", "--from-sweep", "policy.h5", "--points", "4,0,2",
                             "--format", "json"], d))
        with h5py.File(os.path.join(d, "policy.h5"), "r") as f:
            out = f["outcomes"][()]
            point = f["runs/point"][()]
            ocols = list(f["outcomes"].attrs["columns"])
            reps = int(f.attrs["replications"])
        st = table(sw)
        if [s["name"] for s in sw["scenarios"]] != ["point 4", "point 0", "point 2"]:
            fail("--points order: %s" % sw["scenarios"])
        for m, c in enumerate(ocols):
            for p in (4, 0, 2):
                close(st[(c, "point %d" % p)]["mean"], float(np.mean(out[point == p, m])), 1e-9,
                      "sweep %s point %d" % (c, p))
            if st[(c, "point 0")]["pairs"] != reps:
                fail("sweep points are not paired by replicate")
            close(st[(c, "point 0")]["diff"],
                  float(np.mean(out[point == 0, m] - out[point == 4, m])), 1e-9, "sweep diff")
        print("ok: --from-sweep reproduces the sweep's outcomes by point, paired by replicate")
        # Every factor of the bundled sweep moves at least one of its outcomes: between
        # two points that differ in that factor alone, some outcome's mean differs.
        with h5py.File(os.path.join(d, "policy.h5"), "r") as f:
            design = f["design"][()]
            fcols = list(f["design"].attrs["columns"])
        means = np.array([out[point == p].mean(axis=0) for p in range(len(design))])
        for i, factor in enumerate(fcols):
            moved = set()
            for p in range(len(design)):
                for q in range(len(design)):
                    others = [j for j in range(len(fcols)) if j != i]
                    if design[p, i] != design[q, i] and all(design[p, others] == design[q, others]):
                        moved.update(c for m, c in enumerate(ocols)
                                     if abs(means[p, m] - means[q, m]) > 1e-9 * (1 + abs(means[p, m])))
            if not moved:
                fail("tender_sweep.cfg: factor %s moves none of the outcomes %s" % (factor, ocols))
            print("ok: factor %s moves %s" % (factor, sorted(moved)))
        run([qmsim, "compare", "--from-sweep", "policy.h5", "--points", "5,0", "-o", "sw.h5",
             "-q"], d)
        with h5py.File(os.path.join(d, "sw.h5"), "r") as f:
            resolved = list(f["scenarios/resolved"].asstr()[()])
            settings = list(f["scenarios/settings"].asstr()[()])
        for text, want, sett in ((resolved[0], ("tender_pressure = 1.0;", 'payment_type = "activity";'),
                                  "tender_pressure=1, payment=activity"),
                                 (resolved[1], ("tender_pressure = 0.0;", 'payment_type = "keep";'),
                                  "tender_pressure=0, payment=keep")):
            if not all(w in text for w in want) or sett not in settings:
                fail("a design point's resolved scenario or settings lack its factor values "
                     "(%s; %s)" % (want, settings))
        print("ok: each design point's resolved scenario carries its factor values")
    finally:
        shutil.rmtree(d, ignore_errors=True)
    print("ok: compare checked (%.1f s)" % (time.time() - t0))


if __name__ == "__main__":
    main()
