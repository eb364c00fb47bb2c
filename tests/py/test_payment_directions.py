#!/usr/bin/env python3
"""test_payment_directions.py: providers respond to how they are paid
(MODEL.md 3.2, v2), measured as an analyst would, over 20 paired
replications (common random numbers) of copies of scenarios/baseline.cfg
with a policy payment type set from month 0.  Each claim holds when the
95 % interval of the paired difference lies wholly on its side.

  OUTCOME   outcome payment against block: delivered quality higher.  The
            price is documented and measured: with the defaults
            (contract.outcome_base_share 0.8, contract.outcome_cap 1.2,
            delivery.effort_gain 0.06, delivery.effort_cost 1.0) the
            commissioners pay about 4 % more a year than under block and
            providers' unit costs rise by the quality they add (the test
            prints both and checks that the spend rises by less than 6 %).
  ACTIVITY  activity payment against block: unmet demand lower and spend
            higher, where capacity allows (the baseline's incumbents have
            contract.incumbent_headroom = 1.15 of their volume); where it
            does not (headroom 1.0), activity payment leaves more demand
            unmet than where it does: supply to capacity, not beyond it.
  DRIFT     under activity payment, coding drift (reported over delivered
            activity, minus 1) shrinks as information grows: commissioners'
            data infrastructure 0.2, 0.5, 0.8, 1.0, every neighbouring pair
            paired run by run.

usage: python3 test_payment_directions.py QMSIM SRCDIR
"""
import os
import sys
import tempfile
import time

from directions import compare_runs, mean_ci

REPS = 20
T_975_19 = 2.093   # Student's t(0.975, 19): a 95 % interval over 20 pairs


def variant(tmp, src, name, payment, extra=""):
    """A copy of baseline.cfg named `name`, paid by `payment` from month 0,
    with extra groups (libconfig text) added."""
    with open(os.path.join(src, "scenarios", "baseline.cfg"), encoding="utf-8") as f:
        text = f.read()
    old = 'name = "baseline";'
    if text.count(old) != 1:
        raise ValueError("baseline.cfg: expected %r once" % old)
    text = text.replace(old, 'name = "%s"; policy = { payment_type = "%s"; }; %s'
                        % (name, payment, extra))
    path = os.path.join(tmp, name + ".cfg")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    return path


def paired(xs):
    """Mean of the paired differences xs and its 95 % interval."""
    m, (lo, hi) = mean_ci(xs, T_975_19)
    return m, lo, hi


def diffs(runs, a, b, f):
    """f(run of b) - f(run of a), replicate by replicate."""
    return [f(runs[b][r]) - f(runs[a][r]) for r in sorted(runs[a])]


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    qmsim, src = sys.argv[1], sys.argv[2]
    t0 = time.time()
    failed = 0

    def claim(ok, text):
        nonlocal failed
        failed += not ok
        print("%s %s" % ("ok  " if ok else "FAIL", text))

    with tempfile.TemporaryDirectory(prefix="qmsim-pay-") as tmp:
        tight = "contract = { incumbent_headroom = 1.0; };"
        files = [variant(tmp, src, "pay_block", "block"),
                 variant(tmp, src, "pay_outcome", "outcome"),
                 variant(tmp, src, "pay_activity", "activity"),
                 variant(tmp, src, "pay_activity_tight", "activity", tight)]
        runs = compare_runs(qmsim, tmp, files, ["quality", "unmet_share", "spend_year"], REPS, "pay")
        q = paired(diffs(runs, 0, 1, lambda x: x["quality"]))
        price = paired(diffs(runs, 0, 1, lambda x: x["spend_year"] / 1e6))
        rel = paired(diffs(runs, 0, 1, lambda x: x["spend_year"]))[0] / (
            sum(runs[0][r]["spend_year"] for r in runs[0]) / len(runs[0]))
        claim(q[1] > 0, "OUTCOME  quality, outcome - block: %+.4f [%+.4f, %+.4f]" % q)
        claim(0 < rel < 0.06, "OUTCOME  its price: spend %+.2f m a year [%+.2f, %+.2f], %+.1f %% "
              "of block's (documented: about +4 %%, under +6 %%)" % (price + (100 * rel,)))
        u = paired(diffs(runs, 0, 2, lambda x: 100 * x["unmet_share"]))
        s = paired(diffs(runs, 0, 2, lambda x: x["spend_year"] / 1e6))
        claim(u[2] < 0, "ACTIVITY unmet demand, activity - block: %+.3f pp [%+.3f, %+.3f]" % u)
        claim(s[1] > 0, "ACTIVITY spend, activity - block: %+.2f m a year [%+.2f, %+.2f]" % s)
        t = paired(diffs(runs, 2, 3, lambda x: 100 * x["unmet_share"]))
        claim(t[1] > 0, "ACTIVITY where capacity binds (headroom 1.0 - 1.15) unmet demand under "
              "activity payment: %+.3f pp [%+.3f, %+.3f]" % t)

        levels = [0.2, 0.5, 0.8, 1.0]
        old = 'data_infrastructure = { dist = "uniform"; min = 0.4; max = 0.8; };'
        with open(os.path.join(src, "scenarios", "baseline.cfg"), encoding="utf-8") as f:
            base = f.read()
        if base.count(old) != 1:
            raise ValueError("baseline.cfg: expected %r once" % old)
        grid = []
        for i, d in enumerate(levels):
            p = os.path.join(tmp, "drift_%d.cfg" % i)
            with open(p, "w", encoding="utf-8") as f:
                f.write(base.replace(old, "data_infrastructure = %g;" % d).replace(
                    'name = "baseline";',
                    'name = "drift_%d"; policy = { payment_type = "activity"; };' % i))
            grid.append(p)
        runs = compare_runs(qmsim, tmp, grid, ["sum:activity", "sum:activity_reported"], REPS, "drift")
        drift = lambda x: x["sum:activity_reported"] / x["sum:activity"] - 1.0  # noqa: E731
        for i in range(len(levels) - 1):
            d = paired(diffs(runs, i, i + 1, drift))
            mean = sum(drift(runs[i + 1][r]) for r in runs[i + 1]) / REPS
            claim(d[2] < 0, "DRIFT    data infrastructure %g -> %g: coding drift %+.5f "
                  "[%+.5f, %+.5f] (now %.4f)" % ((levels[i], levels[i + 1]) + d + (mean,)))
    print("%d replications a scenario in %.1f s" % (REPS, time.time() - t0))
    if failed:
        print("%d claim(s) about payment did not hold" % failed)
        return 1
    print("every claim about payment holds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
