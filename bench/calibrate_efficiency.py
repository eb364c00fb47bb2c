"""calibrate_efficiency.py QMSIM SOURCE_DIR: simulations that ABC-SMC and
rejection ABC need to reach one tolerance on the same problem.

The problem is the recovery problem of tests/py/test_calibrate.py:
decision.beta_tender0 and development.start_base of the baseline (24
months, one replication a particle) against a tender share and a count of
developments, 50 particles, tolerance EPS.  ABC-SMC runs until a
generation's tolerance reaches EPS (budget.tolerance) and counts every
simulation of every generation.  Rejection simulates a Latin hypercube of
N samples once; to hold 50 particles within EPS it needs 50 / (its
acceptance rate at EPS) simulations.  Prints both and their ratio, and
writes them as JSON to stdout's last line.  Not a test: nothing is asserted.
"""
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

QMSIM, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
EPS = 0.3
PARTICLES = 50
REJECTION_SAMPLES = 2000

PROBLEM = """base = "%s/scenarios/baseline.cfg";
set = ["months=24"];
seed = 9;
particles = %d;
%s
parameters = (
  { path = "decision.beta_tender0"; prior = "uniform"; range = [0.0, 5.0]; },
  { path = "development.start_base"; prior = "log_uniform"; range = [0.004, 0.04]; }
);
targets = (
  { outcome = "tender_share"; observed = 0.06; tolerance = 0.03; },
  { outcome = "developments"; observed = 8; tolerance = 3; }
);
"""


def calibrate(d, name, particles, extra):
    cfg = os.path.join(d, name + ".cfg")
    with open(cfg, "w") as f:
        f.write(PROBLEM % (SRC, particles, extra))
    out = os.path.join(d, name + ".h5")
    subprocess.run([QMSIM, "calibrate", cfg, "-o", out, "-q", "--threads", "2"], check=True)
    return h5py.File(out, "r")


def main():
    d = tempfile.mkdtemp()
    smc = calibrate(d, "smc", PARTICLES,
                    'budget = { simulations = 100000; generations = 50; tolerance = %g; '
                    'min_acceptance = 0.0; };' % EPS)
    tol = smc["generations/tolerance"][()]
    smc_sims = int(smc["generations/simulations"][()].sum())
    reached = tol[-1] <= EPS
    rej = calibrate(d, "rej", REJECTION_SAMPLES,
                    'algorithm = "rejection";\nbudget = { tolerance = %g; };' % EPS)
    accepted = len(rej["generations/0/distance"][()])
    rate = accepted / REJECTION_SAMPLES
    rej_sims = PARTICLES / rate if rate > 0 else float("inf")
    print("tolerance %g, %d particles" % (EPS, PARTICLES))
    print("ABC-SMC: %d simulations over %d generations (tolerances %s)%s"
          % (smc_sims, len(tol), np.round(tol, 3).tolist(), "" if reached else " NOT REACHED"))
    print("rejection: %d of %d Latin-hypercube samples within the tolerance (%.2f %%): "
          "%.0f simulations for %d particles" % (accepted, REJECTION_SAMPLES, 100 * rate, rej_sims,
                                                  PARTICLES))
    print("rejection / SMC: %.2f" % (rej_sims / smc_sims))
    print(json.dumps({"tolerance": EPS, "particles": PARTICLES, "smc_simulations": smc_sims,
                      "smc_generations": len(tol), "rejection_samples": REJECTION_SAMPLES,
                      "rejection_accepted": accepted, "rejection_simulations": rej_sims,
                      "ratio": rej_sims / smc_sims}))


if __name__ == "__main__":
    main()
