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

  REORG     csu_2013, the share of staff its reorganisation loses
            0 .. 0.5: developments under way at the reorganisation launch
            later than the same developments (same commissioner, service
            and start month) in the same replicate with a reorganisation
            that changes nothing, at every grid point (the 95 % interval of
            the mean delay over 20 replications above zero), and later the
            more staff are lost (MODEL.md 6 v2: the staff who leave take
            their share of provider leads and of developments' owners with
            them, and fewer development staff remain; data flows are
            rebuilt over data_months whatever the loss).
  DATA      csu_2013, the months its data flows take to rebuild 0 .. 12
            (data_months): likewise, developments under way launch later
            the longer analytic work is held up.

And the merger of MODEL.md 6 (v2) keeps contracts: in ics_2022_psr, whose
ten bodies merge in pairs, against the same file with `merge = 1`, the
mean HHI over services in the merger's month differs by at most 0.005 in
every replication whose month's awards, switches and decommissionings are
the same in both runs (a tender completing that month is awarded by the
merged body on its merged relationships, a decision that may go another
way; at least half the replications must be free of such a difference),
and the contracts in force that month are at least 95 %
of the counterfactual's (v1 halved them; what falls is what decisions at
expiry that month consolidate).

usage: python3 test_mechanism_directions.py QMSIM SRCDIR
"""
import json
import os
import subprocess
import sys
import tempfile
import time

from directions import grid_files, mean_ci

REPS = 20


def paired(qmsim, a, b, outcome):
    """Mean of b - a and its 95 % interval over REPS paired runs."""
    r = subprocess.run([qmsim, "compare", a, b, "-r", str(REPS), "--outcomes", outcome,
                        "--format", "json", "--threads", "2"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    if r.returncode != 0:
        raise RuntimeError("qmsim compare %s %s: %s" % (a, b, r.stderr))
    res = json.loads(r.stdout)["outcomes"][0]["results"][1]
    return res["diff"], res["diff_ci"]


T95 = 2.093  # Student's t, 19 degrees of freedom, two-sided 95 %

CSU_REORG = ('staff_loss = 0.33; knowledge_loss = 0.3;\n'
             '    rupture = 0.7; setback = 0.5; split_share = 0.5;')


def launches_under_way(qmsim, cfg, rep, month, h5):
    """{(commissioner, service, start): launch month} of the developments
    started before `month` that launch in it or later, in replicate rep."""
    import h5py
    subprocess.run([qmsim, "run", cfg, "--replicate", str(rep), "-o", h5, "--force", "-q",
                    "--set", "output.panels=false"], check=True)
    with h5py.File(h5, "r") as f:
        ev = f["events"][:]
        launch = h5py.check_enum_dtype(f["events"].dtype["type"])["development_launch"]
    out = {}
    for e in ev:
        if e["type"] == launch and e["month"] >= month and e["month"] - e["value"] < month:
            out[(int(e["commissioner"]), int(e["service"]), int(round(e["month"] - e["value"])))] = \
                int(e["month"])
    return out


def reorg_delays(qmsim, src, tmp, old, make, values):
    """Per grid value, per replication: the mean months by which the
    developments under way at csu_2013's reorganisation launch later than
    in the same replicate with a reorganisation that changes nothing (over
    those that launch in both)."""
    files = grid_files(tmp, src, "csu_2013", old, make, values)
    calm = grid_files(tmp, src, "csu_2013", CSU_REORG,
                      lambda v: ('staff_loss = 0.0; knowledge_loss = 0.0;\n'
                                 '    rupture = 0.0; setback = 0.0; split_share = 0.0; data_months = 0;'),
                      [0])[0]
    month = 36
    delays = [[] for _ in values]
    h5 = os.path.join(tmp, "reorg.h5")
    for r in range(REPS):
        base = launches_under_way(qmsim, calm, r, month, h5)
        for i, cfg in enumerate(files):
            got = launches_under_way(qmsim, cfg, r, month, h5)
            d = [got[k] - base[k] for k in base if k in got]
            delays[i].append(sum(d) / len(d) if d else 0.0)
    return delays


def check_reorg(tag, knob, values, delays):
    """Every grid point delays (interval above zero) and each step delays
    more (paired interval above zero); prints a line each; returns the
    number of failures."""
    failed = 0
    for i, v in enumerate(values):
        m, (lo, hi) = mean_ci(delays[i], T95)
        ok = lo > 0
        failed += not ok
        print("%s %-8s %s %g: developments under way launch %+.2f months later than without "
              "the reorganisation, 95%% CI [%+.2f, %+.2f] (claimed later)"
              % ("ok  " if ok else "FAIL", tag, knob, v, m, lo, hi))
    for i in range(len(values) - 1):
        m, (lo, hi) = mean_ci([b - a for a, b in zip(delays[i], delays[i + 1])], T95)
        ok = lo > 0
        failed += not ok
        print("%s %-8s %s %g -> %g: delay paired difference %+.3g months, 95%% CI [%+.3g, %+.3g] "
              "(claimed longer)" % ("ok  " if ok else "FAIL", tag, knob, values[i], values[i + 1],
                                    m, lo, hi))
    return failed


def merger_month(qmsim, src, tmp):
    """Per replication: (HHI with the merger - without, contracts with,
    contracts without, whether the month's tenders and decommissionings
    moved the same services to the same providers in both runs) in the
    merger's month of ics_2022_psr."""
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
                kinds = h5py.check_enum_dtype(f["events"].dtype["type"])
                moving = {kinds[k] for k in ("award", "switch", "decommission")}
                moves = sorted((int(e["type"]), int(e["service"]), int(e["provider"]))
                               for e in f["events"][:]
                               if e["month"] == month and e["type"] in moving)
                got.append((float(f["series/hhi_mean"][month]),
                            float(f["series/contracts_active"][month]), moves))
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
        values = [0.0, 0.1, 0.2, 0.33, 0.5]
        failed += check_reorg("REORG", "staff_loss", values, reorg_delays(
            qmsim, src, tmp, "staff_loss = 0.33;", lambda v: "staff_loss = %g;" % v, values))
        values = [0, 3, 6, 9, 12]
        failed += check_reorg("DATA", "data_months", values, reorg_delays(
            qmsim, src, tmp, "split_share = 0.5; },",
            lambda v: "split_share = 0.5; data_months = %d; }," % v, values))
        rows = merger_month(qmsim, src, tmp)
        # A tender that completes in the merger's month is awarded by the
        # merged body on its merged relationships (MODEL.md 6): a decision,
        # which may differ from the one the absorbed body would have taken.
        # The bookkeeping is judged where the month's awards, switches and
        # decommissionings are the same in both runs, at least half of them.
        same = [r for r in rows if r[3]]
        worst = max([abs(r[0]) for r in same] or [0.0])
        kept = min(a / b for _, a, b, _ in rows)
        ok = worst <= 0.005 and kept >= 0.95 and 2 * len(same) >= REPS
        failed += not ok
        print("%s MERGER   ics_2022_psr month 15: largest |HHI difference| %.4g (at most 0.005) in the "
              "%d of %d replications whose month's awards, switches and decommissionings are the same "
              "with and without the merger (at least half; in the others it is %s), "
              "contracts %.2f vs %.2f without the merger (least ratio %.3f, at least 0.95)"
              % ("ok  " if ok else "FAIL", worst, len(same), REPS,
                 ", ".join("%+.4g" % r[0] for r in rows if not r[3]) or "-",
                 sum(r[1] for r in rows) / REPS, sum(r[2] for r in rows) / REPS, kept))
    print("%d replications a point in %.1f s" % (REPS, time.time() - t0))
    if failed:
        print("%d step(s) of a grid went the wrong way or not clearly" % failed)
        return 1
    print("every direction holds over its grid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
