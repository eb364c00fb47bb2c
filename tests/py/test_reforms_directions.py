#!/usr/bin/env python3
"""test_reforms_directions.py: the directions docs/reforms.md claims for the
reform library hold on the mean over 20 replications (MODEL.md 1: a
pattern holds on the mean over >= 20 replications, and the test says by how
much).  Replicate r of every scenario uses the same seed and random
streams, so each comparison is paired run by run; the 95 % confidence
interval of the paired difference is printed beside each claim.

Claims (docs/reforms.md, "Directions the tests check"):

  PSR   ics_2022_psr against the same file with its two "# PSR" events
        neutralised (the 2012 settings continue), months from January 2024
        on: a smaller tender share of expiry decisions and fewer provider
        switches per contract-year.
  PbR   market_2006_2010 against internal_market_1991: more activity-paid
        contracts, a larger tender share and more switches.
  CSU   act_2012 against internal_market_1991: a higher dependency index,
        lower own analytic knowledge at the end and higher agency fees.
  ALL   alliance against internal_market_1991: more developments launched,
        higher quality delivered and higher transaction costs per pound.

usage: python3 test_reforms_directions.py QMSIM SRCDIR
"""
import os
import re
import subprocess
import sys
import tempfile
import time

REPS = 20


def neutralise_psr(text, policy):
    """The scenario text with each timeline event ending in a '# PSR'
    comment setting its key back to the file's initial policy value
    (policy: the resolved keys), and the month of those events."""
    out, n, month = [], 0, None
    for line in text.splitlines(True):
        if re.match(r"^\s*\{.*\}\s*,?\s*#\s*PSR\s*$", line):
            m = re.search(r'key = "(policy\.\w+)"; value = ([^;]+);', line)
            mm = re.search(r"month = (\d+);", line)
            if not m or not mm:
                raise ValueError("a '# PSR' line is not a one-line policy event: %r" % line)
            line = line.replace("value = %s;" % m.group(2), "value = %s;" % policy[m.group(1)])
            month = int(mm.group(1))
            n += 1
        out.append(line)
    if n == 0:
        raise ValueError("no '# PSR' events found")
    return "".join(out), month


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    qmsim, src = sys.argv[1], sys.argv[2]
    sys.path.insert(0, os.path.join(src, "scripts"))
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import numpy as np
    import reforms_table as rt
    from test_reforms_scenarios import parse_resolved

    t0 = time.time()
    cfg = rt.scenario_files(src)
    with tempfile.TemporaryDirectory(prefix="qmsim-psr-") as tmp:
        psr = cfg["ics_2022_psr"]
        r = subprocess.run([qmsim, "validate", "--resolved", psr], stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, universal_newlines=True)
        if r.returncode != 0:
            print("FAIL: qmsim validate --resolved %s: %s" % (psr, r.stderr))
            return 1
        with open(psr, encoding="utf-8") as f:
            text, psr_month = neutralise_psr(f.read(), parse_resolved(r.stdout))
        cf = os.path.join(tmp, "ics_2022_no_psr.cfg")
        with open(cf, "w", encoding="utf-8") as f:
            f.write(text)
        runs = {"internal_market_1991": cfg["internal_market_1991"],
                "market_2006_2010": cfg["market_2006_2010"],
                "act_2012": cfg["act_2012"],
                "alliance": cfg["alliance"],
                "ics_2022_psr": psr,
                "ics_2022_no_psr": cf}
        raw = rt.run_many(qmsim, runs, REPS, jobs=2)

    whole = {n: [rt.outcomes_of(s) for s in v] for n, v in raw.items()}
    after = {n: [rt.outcomes_of(s, psr_month) for s in raw[n]]
             for n in ("ics_2022_psr", "ics_2022_no_psr")}

    # (claim, outcomes of A, outcomes of B, key, sign): A - B must have sign.
    claims = [
        ("PSR", after["ics_2022_psr"], after["ics_2022_no_psr"], "tender_share", -1),
        ("PSR", after["ics_2022_psr"], after["ics_2022_no_psr"], "switch_rate", -1),
        ("PbR", whole["market_2006_2010"], whole["internal_market_1991"], "activity_share", +1),
        ("PbR", whole["market_2006_2010"], whole["internal_market_1991"], "tender_share", +1),
        ("PbR", whole["market_2006_2010"], whole["internal_market_1991"], "switch_rate", +1),
        ("CSU", whole["act_2012"], whole["internal_market_1991"], "dependency", +1),
        ("CSU", whole["act_2012"], whole["internal_market_1991"], "analytic_final", -1),
        ("CSU", whole["act_2012"], whole["internal_market_1991"], "agency_fees", +1),
        ("ALL", whole["alliance"], whole["internal_market_1991"], "developments", +1),
        ("ALL", whole["alliance"], whole["internal_market_1991"], "quality", +1),
        ("ALL", whole["alliance"], whole["internal_market_1991"], "tc_per_pound", +1),
    ]
    names = {
        "PSR": "ics_2022_psr vs 2012 settings continued, months %d+" % psr_month,
        "PbR": "market_2006_2010 vs internal_market_1991",
        "CSU": "act_2012 vs internal_market_1991",
        "ALL": "alliance vs internal_market_1991",
    }
    failed = 0
    for tag, a, b, key, sign in claims:
        ma = float(np.mean([o[key] for o in a]))
        mb = float(np.mean([o[key] for o in b]))
        d, h = rt.mean_ci([x[key] - y[key] for x, y in zip(a, b)])
        ok = (ma - mb) * sign > 0
        failed += not ok
        print("%s %-3s %-50s %-15s %.5g vs %.5g (paired difference %+.4g, 95%% CI [%+.4g, %+.4g]; "
              "claimed %s)" % ("ok  " if ok else "FAIL", tag, names[tag], key, ma, mb, d, d - h,
                              d + h, "higher" if sign > 0 else "lower"))
    print("%d replications of 6 scenarios in %.1f s" % (REPS, time.time() - t0))
    if failed:
        print("%d claimed direction(s) did not hold" % failed)
        return 1
    print("every claimed direction holds")
    return 0


if __name__ == "__main__":
    sys.exit(main())
