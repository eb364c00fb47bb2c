"""Dataset digests: a few short runs, a sweep and a comparison must give the
HDF5 datasets recorded in tests/digests/expected.json, bit for bit, at one
and at two threads.

A refactoring must leave every digest as it is.  A change that is meant to
change the model's output regenerates them, in the same commit, with

    /usr/bin/python3 tests/py/test_digests.py build/qmsim . --update

and says in its commit message why the numbers moved
(tests/digests/README.md).

usage: /usr/bin/python3 test_digests.py QMSIM SOURCE_DIR [--update] [--only CASE]
"""
import hashlib
import json
import os
import subprocess
import sys
import tempfile

import h5py
import numpy as np

QMSIM, SRC = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
UPDATE = "--update" in sys.argv[3:]
ONLY = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else None
EXPECTED = os.path.join(SRC, "tests", "digests", "expected.json")
# Values that measure the machine, not the model: their shape still counts.
VOLATILE = {"runs/wall_time"}

# Each case: the qmsim arguments before "-o OUT" (paths relative to the
# source tree, so that the file names recorded in the output are the same
# on every machine) and how the thread count is passed.
CASES = {
    "baseline": ["run", "scenarios/baseline.cfg", "--months", "60", "--seed", "3"],
    "csu_2013": ["run", "scenarios/csu_2013.cfg", "--months", "60"],
    "market_reform": ["run", "scenarios/market_reform.cfg", "--months", "48"],
    "ics_2022_psr": ["run", "scenarios/reforms/ics_2022_psr.cfg", "--months", "48"],
    "teaching_small": ["run", "scenarios/teaching_small.cfg"],
    "sweep": ["sweep", "tests/digests/sweep.cfg"],
    "compare": ["compare", "scenarios/baseline.cfg", "scenarios/market_reform.cfg",
                "-r", "2", "--months", "24", "--series", "all"],
}


def digest_datasets(path):
    """Every dataset's type, shape and sha256 of its values, by name."""
    out = {}

    def visit(name, obj):
        if not isinstance(obj, h5py.Dataset):
            return
        data = np.asarray(obj[()])
        if name in VOLATILE:
            raw = b""
        elif data.dtype == object:
            raw = repr(data.tolist()).encode()
        else:
            raw = data.tobytes()
        out[name] = f"{data.dtype.str} {list(data.shape)} {hashlib.sha256(raw).hexdigest()}"

    with h5py.File(path, "r") as f:
        f.visititems(visit)
    return out


def run_case(args, threads, tmp):
    out = os.path.join(tmp, f"{args[0]}-{threads}.h5")
    cmd = [QMSIM, *args, "-o", out, "--force", "-q", "--threads", str(threads)]
    proc = subprocess.run(cmd, cwd=SRC, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"FAIL: {' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr}")
    return digest_datasets(out)


def compare(name, threads, got, want):
    bad = sorted(k for k in set(got) | set(want) if got.get(k) != want.get(k))
    print(f"{name}, {threads} thread{'s' if threads > 1 else ''}: "
          f"{len(got)} datasets, {len(bad)} differ from tests/digests/expected.json")
    for k in bad[:12]:
        print(f"  {k}: got {got.get(k, 'nothing')}, expected {want.get(k, 'nothing')}")
    return len(bad)


def main():
    expected = {}
    if os.path.exists(EXPECTED):
        with open(EXPECTED) as f:
            expected = json.load(f)
    cases = {k: v for k, v in CASES.items() if ONLY in (None, k)}
    failures, fresh = 0, dict(expected)
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in cases.items():
            one = run_case(args, 1, tmp)
            two = run_case(args, 2, tmp)
            if UPDATE:
                if one != two:
                    sys.exit(f"FAIL: {name} differs between 1 and 2 threads; not updating")
                fresh[name] = one
                print(f"{name}: {len(one)} datasets recorded")
                continue
            if name not in expected:
                print(f"{name}: no recorded digests (run with --update)")
                failures += 1
                continue
            failures += compare(name, 1, one, expected[name]) > 0
            failures += compare(name, 2, two, expected[name]) > 0
    if UPDATE:
        with open(EXPECTED, "w") as f:
            json.dump(fresh, f, indent=1, sort_keys=True)
            f.write("\n")
        print(f"wrote {os.path.relpath(EXPECTED, SRC)}")
        return 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
