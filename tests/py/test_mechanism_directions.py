#!/usr/bin/env python3
"""test_mechanism_directions.py: the directions MODEL.md 1 asks of the
mechanisms hold in every part of each knob's range (MODEL.md 1: a scenario
that changes a cause must move the outcomes in the direction the mechanism
implies).  Each knob is set to a grid of values in copies of a bundled
scenario; each pair of neighbouring grid points is compared with
`qmsim compare` over 20 paired replications (common random numbers), and
the 95 % interval of the paired difference must lie wholly on the side the
mechanism implies, so the outcome is monotone over the grid within paired
intervals.

Directions:

  TURNOVER  outsourced_commissioning, the commercial agencies' staff
            turnover 0.02 .. 0.2 a month: more consultant turnover, less
            analytic knowledge at the end (MODEL.md 4.4 v2: consultant
            turnover lowers the context an engagement has built, hence
            what it transfers; deskilling depends on the share outsourced,
            not on how good the outsiders are).
  CLAUSE    outsourced_commissioning, the share of engagements with a
            knowledge-transfer clause 0 .. 1: more clauses, a lower mean
            dependency index (MODEL.md 4.4, P6).

And the merger of MODEL.md 6 (v2) keeps contracts: in ics_2022_psr, whose
ten bodies merge in pairs, against the same file with `merge = 1`, the
mean HHI over services in the merger's month differs by at most 0.005 in
every replication whose awards that month moved the same number of
contracts in both runs, and the contracts in force that month are at least
95 % of the counterfactual's (v1 halved them; what falls is what decisions
at expiry that month consolidate).  A tender that completes in the
merger's month is a decision: the merged body, having lost staff,
knowledge and part of its relationships, may score the bids differently
and award elsewhere (MODEL.md 6 v2: consolidation and change happen by
decisions, never by bookkeeping), so a replication where the month's
switches differ says nothing about the bookkeeping; at least 15 of the 20
must have the same switches.

usage: python3 test_mechanism_directions.py QMSIM SRCDIR
"""
import json
import os
import subprocess
import sys
import tempfile
import time

REPS = 20


def grid_files(tmp, src, name, old, make, values):
    """Copies of scenario `name` with the text `old` replaced by make(v)
    for each v of values, in a folder of their own; returns their paths."""
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


def paired(qmsim, a, b, outcome):
    """Mean of b - a and its 95 % interval over REPS paired runs."""
    r = subprocess.run([qmsim, "compare", a, b, "-r", str(REPS), "--outcomes", outcome,
                        "--format", "json", "--threads", "2"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    if r.returncode != 0:
        raise RuntimeError("qmsim compare %s %s: %s" % (a, b, r.stderr))
    res = json.loads(r.stdout)["outcomes"][0]["results"][1]
    return res["diff"], res["diff_ci"]


def merger_month(qmsim, src, tmp):
    """Per replication: (HHI with the merger - without, contracts with,
    contracts without) in the merger's month of ics_2022_psr."""
    import h5py
    path = os.path.join(src, "scenarios", "reforms", "ics_2022_psr.cfg")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if text.count("merge = 2;") != 1:
        raise ValueError("ics_2022_psr.cfg: expected one 'merge = 2;'")
    month = 15
    alt = os.path.join(tmp, "ics_no_merger.cfg")
    with open(alt, "w", encoding="utf-8") as f:
        f.write(text.replace("merge = 2;", "merge = 1;"))
    out = []
    for r in range(REPS):
        got = []
        for i, cfg in enumerate((path, alt)):
            h5 = os.path.join(tmp, "m%d_%d.h5" % (i, r))
            subprocess.run([qmsim, "run", cfg, "--replicate", str(r), "-o", h5, "--force", "-q",
                            "--months", "34"], check=True)
            with h5py.File(h5, "r") as f:
                got.append((float(f["series/hhi_mean"][month]),
                            float(f["series/contracts_active"][month]),
                            float(f["series/switches"][month])))
        out.append((got[0][0] - got[1][0], got[0][1], got[1][1], got[0][2] == got[1][2]))
    return out


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    qmsim, src = sys.argv[1], sys.argv[2]
    t0 = time.time()
    failed = 0
    with tempfile.TemporaryDirectory(prefix="qmsim-dir-") as tmp:
        knobs = [
            ("TURNOVER", "turnover", [0.02, 0.05, 0.1, 0.2],
             grid_files(tmp, src, "outsourced_commissioning", "turnover = 0.035;",
                        lambda v: "turnover = %g;" % v, [0.02, 0.05, 0.1, 0.2]),
             "final:knowledge_analytic_mean", -1),
            ("CLAUSE", "clause_share", [0.0, 0.25, 0.5, 1.0],
             grid_files(tmp, src, "outsourced_commissioning", "engagement = { fte = 2.0; };",
                        lambda v: "engagement = { fte = 2.0; clause_share = %g; };" % v,
                        [0.0, 0.25, 0.5, 1.0]),
             "mean:dependency_index", -1),
        ]
        for tag, knob, values, files, outcome, sign in knobs:
            for i in range(len(values) - 1):
                d, (lo, hi) = paired(qmsim, files[i], files[i + 1], outcome)
                ok = (hi < 0) if sign < 0 else (lo > 0)
                failed += not ok
                print("%s %-8s %s %g -> %g: %s paired difference %+.4g, 95%% CI [%+.4g, %+.4g] "
                      "(claimed %s)" % ("ok  " if ok else "FAIL", tag, knob, values[i],
                                        values[i + 1], outcome, d, lo, hi,
                                        "lower" if sign < 0 else "higher"))
        rows = merger_month(qmsim, src, tmp)
        same = [d for d, _, _, alike in rows if alike]
        worst = max(abs(d) for d in same) if same else float("inf")
        kept = min(a / b for _, a, b, _ in rows)
        ok = worst <= 0.005 and kept >= 0.95 and len(same) >= 15
        failed += not ok
        print("%s MERGER   ics_2022_psr month 15: largest |HHI difference| %.4g (at most 0.005) "
              "over the %d replications (at least 15) whose awards that month switched alike "
              "(all: %.4g), contracts %.2f vs %.2f without the merger (least ratio %.3f, "
              "at least 0.95)"
              % ("ok  " if ok else "FAIL", worst, len(same), max(abs(r[0]) for r in rows),
                 sum(r[1] for r in rows) / REPS, sum(r[2] for r in rows) / REPS, kept))
    print("%d replications a point in %.1f s" % (REPS, time.time() - t0))
    if failed:
        print("%d step(s) of a grid went the wrong way or not clearly" % failed)
        return 1
    print("every direction holds over its grid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
