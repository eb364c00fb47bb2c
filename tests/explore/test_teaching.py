"""The explorer's side of scenarios/teaching/README.md: the settings the
class gives setting B on the page make the runs of the teaching files it
names.  Each download is compared, dataset by dataset, with `qmsim run` of
that file: relational with the reorganisation of month 36 is
reorganisation.cfg, kt_none with the transfer clause is kt_clause.cfg,
relational with the market policy is transactional.cfg.

usage: /usr/bin/python3 test_teaching.py QMSIM SOURCE_DIR [ARTEFACTS]
"""
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cdp  # noqa: E402

CASES = [
    ("teaching/relational", {"reorganisation": {"month": 36, "staff_loss": 0.4,
                                                "knowledge_loss": 0.4, "merge": 3}},
     "reorganisation.cfg"),
    ("teaching/kt_none", {"set": {"policy.transfer_clause": True}}, "kt_clause.cfg"),
    ("teaching/relational", {"set": {"policy.tender_pressure": 0.8, "policy.tender_mandate": 0.5,
                                     "policy.open_market": True,
                                     "policy.payment_type": "activity"}}, "transactional.cfg"),
]


def fail(msg):
    raise SystemExit("FAIL: " + msg)


def differing(a, b):
    bad = []
    with h5py.File(a, "r") as f, h5py.File(b, "r") as g:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and (name not in g or not np.array_equal(
                    np.asarray(obj[()]), np.asarray(g[name][()]))):
                bad.append(name)
        f.visititems(visit)
        n = len(f["series"])
    return bad, n


def main():
    qmsim, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    srv = cdp.Server(qmsim)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for scen, arm, cfg in CASES:
                _, r = srv.json("/api/session", {})
                sid = r["session"]
                status, r = srv.json("/api/setup", {"session": sid, "scenario": scen, "arms": [arm]})
                if status != 200:
                    fail("setup of %s: %s" % (scen, r))
                status, _, data = srv.request("/api/download?session=" + sid)
                if status != 200:
                    fail("download: %d %r" % (status, data[:200]))
                got, ref = os.path.join(tmp, "page.h5"), os.path.join(tmp, "ref.h5")
                with open(got, "wb") as f:
                    f.write(data)
                subprocess.run([qmsim, "run", os.path.join(src, "scenarios", "teaching", cfg),
                                "-o", ref, "-q", "--force"], check=True)
                bad, n = differing(got, ref)
                if bad:
                    fail("%s with %s is not %s: %s differ" % (scen, arm, cfg, bad[:5]))
                print("ok: %s with %s gives the datasets of %s" % (scen, arm, cfg))
    finally:
        rc, err = srv.stop()
    if rc != 0:
        fail("qmsim explore exited %d: %s" % (rc, err))


if __name__ == "__main__":
    main()
