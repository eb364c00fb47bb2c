"""What the direction tests share (test_mechanism_directions.py,
test_market_directions.py, test_payment_directions.py): scenario copies
over a grid of one knob, the runs of a `qmsim compare` file replicate by
replicate, and a mean with its t interval."""
import os
import subprocess
import tempfile


def grid_files(tmp, src, name, old, make, values):
    """Copies of scenario `name` with the text `old` replaced by make(v)
    for each v of values, in a folder of their own under tmp; returns
    their paths."""
    tmp = tempfile.mkdtemp(dir=tmp)
    with open(os.path.join(src, "scenarios", name + ".cfg"), encoding="utf-8") as f:
        text = f.read()
    if text.count(old) != 1:
        raise ValueError("%s.cfg: expected %r once" % (name, old))
    paths = []
    for i, v in enumerate(values):
        p = os.path.join(tmp, "%s_%d.cfg" % (name, i))
        with open(p, "w", encoding="utf-8") as f:
            f.write(text.replace(old, make(v)))
        paths.append(p)
    return paths


def compare_runs(qmsim, tmp, files, outcomes, reps, tag):
    """Runs files over reps replicates with common random numbers (qmsim
    compare on two threads) and returns, per scenario and per replicate,
    {outcome: value} read from the comparison file's runs table."""
    import h5py
    out = os.path.join(tmp, tag + ".h5")
    r = subprocess.run([qmsim, "compare"] + files + ["-r", str(reps), "--outcomes",
                                                     ",".join(outcomes), "--threads", "2",
                                                     "-o", out, "--force", "-q"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    if r.returncode != 0:
        raise RuntimeError("qmsim compare: %s" % r.stderr)
    runs = {}
    with h5py.File(out, "r") as f:
        cols = [c.decode() if isinstance(c, bytes) else str(c)
                for c in f["runs/outcomes"].attrs["columns"]]
        vals = f["runs/outcomes"][()]
        scen = f["runs/scenario"][()]
        rep = f["runs/replicate"][()]
    for i in range(len(scen)):
        runs.setdefault(int(scen[i]), {})[int(rep[i])] = dict(zip(cols, map(float, vals[i])))
    return runs


def mean_ci(xs, t):
    """Mean of xs and its 95 % interval, t being Student's two-sided 95 %
    quantile for len(xs) - 1 degrees of freedom (or a larger, more
    cautious one)."""
    n = len(xs)
    m = sum(xs) / n
    sd = (sum((x - m) ** 2 for x in xs) / (n - 1)) ** 0.5
    h = t * sd / n ** 0.5
    return m, (m - h, m + h)
