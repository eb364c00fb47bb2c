"""qmsim calibrate does what docs/calibration.md says:

* the result file's layout: kind, every generation's particles, weights,
  distances and target values, acceptance, ESS and tolerances by
  generation, and the posterior summary (mean, median, 90 % interval,
  correlation), with seed, generator, version and the calibration file;
* 1 and 2 threads give bit-identical results;
* killed at random moments and resumed with --resume: the result is
  identical to an uninterrupted calibration;
* rejection mode over a Latin hypercube accepts by its tolerance;
* qmsim report draws a calibration's page;
* compare --posterior widens a reform's interval;
* --export-scenario writes the scenario at the posterior median (or a
  particle), which `qmsim validate` accepts;
* recovery on qmsim itself: targets simulated at known parameter values are
  recovered inside the posterior 90 % intervals.

Budgets and horizons are tiny so that the suite stays fast.
usage: /usr/bin/python3 test_calibrate.py QMSIM SOURCE_DIR
"""
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

from commands import fail, run_qmsim

QMSIM = os.path.abspath(sys.argv[1])
SRC = os.path.abspath(sys.argv[2])


def run(args, cwd, code=0):
    return run_qmsim(QMSIM, args, cwd, code)


CAL = """base = "%s/scenarios/baseline.cfg";
set = ["months=24"];
seed = 11;
replications = 1;
particles = %d;
%s
budget = { simulations = %d; generations = %d; };
parameters = (
  { path = "decision.beta_tender0"; prior = "uniform"; range = [0.0, 5.0]; },
  { path = "development.start_base"; prior = "log_uniform"; range = [0.004, 0.04]; }
);
targets = (
  { outcome = "tender_share"; band = [0.0, 0.10]; },
  { outcome = "developments"; observed = 8; tolerance = 4; }
);
"""


def write_cal(d, name, particles=20, sims=300, gens=3, extra=""):
    path = os.path.join(d, name)
    with open(path, "w") as f:
        f.write(CAL % (SRC, particles, extra, sims, gens))
    return path


def datasets(path):
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out[name] = obj[()]
        f.visititems(visit)
        attrs = {k: f.attrs[k] for k in f.attrs}
    return out, attrs


def same(a, b, what):
    da, _ = datasets(a)
    db, _ = datasets(b)
    if sorted(da) != sorted(db):
        fail("%s: different datasets" % what)
    for k in da:
        x, y = np.asarray(da[k]), np.asarray(db[k])
        eq = np.array_equal(x, y, equal_nan=True) if x.dtype.kind == "f" else np.array_equal(x, y)
        if not eq:
            fail("%s: %s differs" % (what, k))


def check_layout(path):
    d, a = datasets(path)
    if a["kind"] != "qmsim calibration":
        fail("kind %r" % a["kind"])
    for k in ("version", "seed", "generator", "calibration_text", "base_resolved", "algorithm",
              "stop", "complete"):
        if k not in a:
            fail("attribute %s missing" % k)
    G = len(d["generations/tolerance"])
    if G < 1:
        fail("no generation")
    tol = d["generations/tolerance"]
    if G > 1 and not np.all(np.diff(tol[1:]) <= 0):
        fail("tolerances do not shrink: %s" % tol)
    for g in range(G):
        th, w = d["generations/%d/theta" % g], d["generations/%d/weight" % g]
        dist, val = d["generations/%d/distance" % g], d["generations/%d/values" % g]
        if th.shape != (20, 2) or val.shape != (20, 2) or w.shape != (20,):
            fail("generation %d shapes %s %s %s" % (g, th.shape, val.shape, w.shape))
        if abs(w.sum() - 1) > 1e-9 or np.any(dist > tol[g] + 1e-12):
            fail("generation %d: weights or distances wrong" % g)
        ess = 1 / np.sum(w * w)
        if abs(ess - d["generations/ess"][g]) > 1e-9:
            fail("ESS %g vs %g" % (ess, d["generations/ess"][g]))
    th, w = d["generations/%d/theta" % (G - 1)], d["generations/%d/weight" % (G - 1)]
    mean = (w[:, None] * th).sum(0)
    if not np.allclose(mean, d["posterior/mean"], rtol=1e-12):
        fail("posterior mean %s vs %s" % (mean, d["posterior/mean"]))
    c = d["posterior/correlation"]
    if c.shape != (2, 2) or abs(c[0, 0] - 1) > 1e-12 or abs(c[0, 1] - c[1, 0]) > 1e-12:
        fail("correlation %s" % c)
    if not np.all(d["posterior/lo"] <= d["posterior/median"]) or \
            not np.all(d["posterior/median"] <= d["posterior/hi"]):
        fail("interval out of order")
    print("ok: layout (%d generations, tolerances %s)" % (G, np.round(tol, 3)))


def test_threads_and_layout(d):
    cal = write_cal(d, "t.cfg")
    run(["calibrate", cal, "-o", "t1.h5", "-q"], d)
    run(["calibrate", cal, "-o", "t2.h5", "-q", "--threads", "2"], d)
    same(os.path.join(d, "t1.h5"), os.path.join(d, "t2.h5"), "1 vs 2 threads")
    print("ok: 1 and 2 threads identical")
    check_layout(os.path.join(d, "t1.h5"))
    if os.path.exists(os.path.join(d, "t1.h5.journal")):
        fail("journal left after a finished calibration")
    run(["calibrate", cal, "-o", "t1.h5", "-q"], d, code=2)


def test_resume(d):
    cal = write_cal(d, "k.cfg", sims=400, gens=4)
    run(["calibrate", cal, "-o", "full.h5", "-q"], d)
    rng = random.Random(5)
    out = os.path.join(d, "k.h5")
    kills, first = 0, True
    while not os.path.exists(out) and kills < 40:
        args = [QMSIM, "calibrate", cal, "-o", out, "-q"] + ([] if first else ["--resume"])
        p = subprocess.Popen(args, cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        first = False
        time.sleep(rng.uniform(0.05, 0.6))
        if p.poll() is None:
            p.send_signal(signal.SIGKILL)
            kills += 1
        p.wait()
    if not os.path.exists(out):
        run(["calibrate", cal, "-o", out, "-q", "--resume"], d)
    same(os.path.join(d, "full.h5"), out, "killed %d times and resumed" % kills)
    print("ok: killed %d times and resumed: identical" % kills)


def test_rejection(d):
    cal = write_cal(d, "rj.cfg", particles=40, extra='algorithm = "rejection";')
    with open(cal) as f:
        text = f.read().replace("generations = 3;", "tolerance = 0.8;")
    with open(cal, "w") as f:
        f.write(text)
    run(["calibrate", cal, "-o", "rj.h5", "-q", "--threads", "2"], d)
    dd, a = datasets(os.path.join(d, "rj.h5"))
    if a["algorithm"] != "rejection" or len(dd["generations/tolerance"]) != 1:
        fail("rejection: %s, %d generations" % (a["algorithm"], len(dd["generations/tolerance"])))
    dist = dd["generations/0/distance"]
    if np.any(dist > 0.8) or dd["generations/simulations"][0] != 40:
        fail("rejection: distances %s, simulations %s" % (dist, dd["generations/simulations"]))
    print("ok: rejection accepted %d of 40 Latin-hypercube samples" % len(dist))


def test_export(d):
    run(["calibrate", "t1.h5", "--export-scenario", "med.cfg"], d)
    run(["calibrate", "t1.h5", "--export-scenario", "p3.cfg", "--particle", "3"], d)
    run(["calibrate", "t1.h5", "--export-scenario", "med.cfg"], d, code=2)
    dd, _ = datasets(os.path.join(d, "t1.h5"))
    G = len(dd["generations/tolerance"])
    want = dd["generations/%d/theta" % (G - 1)][3]
    for name, theta in (("med.cfg", dd["posterior/median"]), ("p3.cfg", want)):
        run(["validate", name], d)
        text = open(os.path.join(d, name)).read()
        b0 = float(re.search(r"beta_tender0 = ([-0-9.e]+);", text).group(1))
        sb = float(re.search(r"start_base = ([-0-9.e]+);", text).group(1))
        if abs(b0 - theta[0]) > 1e-9 * max(1, abs(theta[0])) or abs(sb - theta[1]) > 1e-12:
            fail("%s: %g %g, want %s" % (name, b0, sb, theta))
        if "months = 24;" not in text:
            fail("%s lost the calibration's set" % name)
    print("ok: --export-scenario (median and particle 3)")


WIDE = """base = "baseline";
set = ["months=24"];
seed = 1;
particles = 20;
budget = { simulations = 40; generations = 1; };
parameters = ( { path = "decision.beta_policy"; prior = "uniform"; range = [0.0, 8.0]; } );
targets = ( { outcome = "tender_share"; band = [0.0, 1.0]; } );
"""


def diff_width(d, extra):
    sc = [os.path.join(SRC, "scenarios", n) for n in ("baseline.cfg", "market_reform.cfg")]
    p = run(["compare"] + sc + ["-r", "10", "--months", "24", "--outcomes", "tender_share",
                                "--format", "csv", "--seed", "5"] + extra, d)
    cells = p.stdout.splitlines()[-1].split(",")
    return float(cells[8]) - float(cells[7]), p.stdout


def test_posterior_compare(d):
    """A posterior as wide as its prior over the weight of policy pressure
    (which only the reform feels) widens the interval of the reform's
    difference; the draws do not depend on the threads."""
    with open(os.path.join(d, "wide.cfg"), "w") as f:
        f.write(WIDE)
    run(["calibrate", "wide.cfg", "-o", "wide.h5", "-q"], d)
    w0, _ = diff_width(d, [])
    w1, out1 = diff_width(d, ["--posterior", "wide.h5"])
    _, out2 = diff_width(d, ["--posterior", "wide.h5", "--threads", "2"])
    if out1 != out2:
        fail("--posterior: 1 and 2 threads differ")
    if not w1 > w0:
        fail("--posterior: interval width %g, not above %g without it" % (w1, w0))
    run(["compare", "--from-files", "x.h5", "--posterior", "wide.h5"], d, code=2)
    print("ok: --posterior widens the difference's interval from %.3f to %.3f" % (w0, w1))


def test_report(d):
    """qmsim report renders a calibration result: a table of the posterior,
    one chart per marginal, pair, the generations and each target."""
    if not shutil.which(os.environ.get("QMSIM_GNUPLOT", "gnuplot")):
        print("skip: report (gnuplot not installed)")
        return
    p = run(["report", "t1.h5", "-o", "t1.html"], d)
    if not p.stderr.startswith("qmsim: wrote t1.html (a calibration"):
        fail("report printed %r, not 'qmsim: wrote t1.html (...)'" % p.stderr)
    html = open(os.path.join(d, "t1.html")).read()
    figures = html.count("<figure>")
    # 2 marginals + 1 pair + 1 by generation + 2 targets
    if figures != 6:
        fail("report: %d charts, want 6" % figures)
    for word in ("Posterior", "Generations", "tender_share", "developments"):
        if word not in html:
            fail("report: no %r" % word)
    print("ok: report of a calibration (%d charts)" % figures)


RECOVERY = """base = "%s/scenarios/baseline.cfg";
set = ["months=36"];
seed = 3;
replications = 2;
particles = 30;
budget = { simulations = 400; generations = 4; };
parameters = (
  { path = "decision.beta_tender0"; prior = "uniform"; range = [0.0, 5.0]; },
  { path = "development.start_base"; prior = "log_uniform"; range = [0.003, 0.05]; }
);
targets = (
  { outcome = "tender_share"; observed = %.17g; tolerance = %.17g; },
  { outcome = "developments"; observed = %.17g; tolerance = %.17g; }
);
"""


def test_recovery(d):
    """Targets simulated at the defaults (beta_tender0 2.5, start_base
    0.012) with another seed; the posterior 90 % intervals hold them."""
    p = run(["compare", os.path.join(SRC, "scenarios/baseline.cfg"), "-r", "8", "--months", "36",
             "--seed", "777", "--outcomes", "tender_share,developments", "--format", "csv"], d)
    rows = {}
    for line in p.stdout.splitlines()[1:]:
        cells = line.split(",")
        rows[cells[0].strip('"')] = float(cells[3])
    ts, dv = rows["tender_share"], rows["developments"]
    with open(os.path.join(d, "rec.cfg"), "w") as f:
        f.write(RECOVERY % (SRC, ts, max(0.02, ts / 2), dv, max(2.0, dv / 4)))
    run(["calibrate", "rec.cfg", "-o", "rec.h5", "-q", "--threads", "2"], d)
    dd, _ = datasets(os.path.join(d, "rec.h5"))
    truth = [2.5, 0.012]
    lo, hi = dd["posterior/lo"], dd["posterior/hi"]
    for j, t in enumerate(truth):
        if not lo[j] <= t <= hi[j]:
            fail("recovery: parameter %d truth %g outside [%g, %g]" % (j, t, lo[j], hi[j]))
    print("ok: recovery: beta_tender0 2.5 in [%.3g, %.3g], start_base 0.012 in [%.3g, %.3g]"
          % (lo[0], hi[0], lo[1], hi[1]))


def main():
    d = tempfile.mkdtemp()
    try:
        test_threads_and_layout(d)
        test_resume(d)
        test_rejection(d)
        test_export(d)
        test_posterior_compare(d)
        test_report(d)
        test_recovery(d)
    finally:
        shutil.rmtree(d)


if __name__ == "__main__":
    main()
