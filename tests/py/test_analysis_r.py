"""The R recipes of docs/analysis.md run as written: the documented
commands make the files, then every r block runs, in order, as one
Rscript session in that directory.  Exits 77 (skipped) when Rscript or
the hdf5r package is missing (Debian: r-base-core, r-cran-hdf5r).

usage: /usr/bin/python3 test_analysis_r.py QMSIM SOURCE_DIR
"""
import os
import shutil
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_analysis_doc as analysis_doc  # noqa: E402


def main():
    qmsim, src = analysis_doc.args()
    rscript = shutil.which("Rscript")
    if not rscript:
        print("skip: Rscript not found (Debian: r-base-core, r-cran-hdf5r)")
        sys.exit(analysis_doc.SKIP)
    p = subprocess.run([rscript, "-e", "library(hdf5r)"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True)
    if p.returncode != 0:
        print("skip: the R package hdf5r is not installed (Debian: r-cran-hdf5r)")
        sys.exit(analysis_doc.SKIP)
    t0 = time.time()
    recipes = analysis_doc.blocks(src, "r")
    if len(recipes) < 4:
        raise SystemExit("FAIL: expected at least 4 r recipes in docs/analysis.md, found %d"
                         % len(recipes))
    d = analysis_doc.make_files(qmsim, src)
    try:
        script = ["options(warn = 1)"]
        for line, code in recipes:
            script.append('cat("--- recipe at docs/analysis.md:%d\\n")' % line)
            script.append(code)
        with open(os.path.join(d, "recipes.R"), "w") as f:
            f.write("\n".join(script))
        p = subprocess.run([rscript, "recipes.R"], cwd=d, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, universal_newlines=True, timeout=600)
        print(p.stdout)
        if p.returncode != 0:
            raise SystemExit("FAIL: the R recipes exited %d" % p.returncode)
        for line, _ in recipes:
            if "--- recipe at docs/analysis.md:%d" % line not in p.stdout:
                raise SystemExit("FAIL: the R recipe at docs/analysis.md:%d did not run" % line)
        out = p.stdout
        # What the recipes print must agree with the files.
        for want in ["relational seed 2024", "tender_share", "tenders", "switches",
                     "tender_pressure", "payment"]:
            if want not in out:
                raise SystemExit("FAIL: the R recipes' output lacks %r" % want)
        if "Warning" in out or "Error" in out:
            raise SystemExit("FAIL: the R recipes warned or failed")
        if not os.path.getsize(os.path.join(d, "trust_r.png")) > 1000:
            raise SystemExit("FAIL: the R plotting recipe wrote no trust_r.png")
        # The panel arrives reversed and is transposed back: check its shape.
        import h5py
        with h5py.File(os.path.join(d, "base.h5"), "r") as f:
            T, NC = f["panels/commissioner/trust_mean"].shape
        check = subprocess.run(
            [rscript, "-e",
             'library(hdf5r); f <- H5File$new("base.h5", mode = "r"); '
             'cat(dim(f[["panels/commissioner/trust_mean"]][, ]), "\\n"); f$close_all()'],
            cwd=d, stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
        if check.stdout.split() != [str(NC), str(T)]:
            raise SystemExit("FAIL: hdf5r read a [%d, %d] panel as %s, not %d x %d as documented"
                             % (T, NC, check.stdout.strip(), NC, T))
        print("ok: hdf5r reads a [time=%d, commissioner=%d] panel as %d x %d, as documented"
              % (T, NC, NC, T))
    finally:
        shutil.rmtree(d, ignore_errors=True)
    print("ok: %d R recipes ran (%.1f s)" % (len(recipes), time.time() - t0))


if __name__ == "__main__":
    main()
