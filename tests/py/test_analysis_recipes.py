"""The Python recipes of docs/analysis.md run as written: the documented
commands make the files, then every python block runs in a fresh
namespace in that directory (a block that imports matplotlib is skipped
when it is missing), and what the blocks leave behind is checked.

usage: /usr/bin/python3 test_analysis_recipes.py QMSIM SOURCE_DIR
"""
import contextlib
import io
import os
import shutil
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_analysis_doc as analysis_doc  # noqa: E402


def main():
    qmsim, src = analysis_doc.args()
    t0 = time.time()
    d = analysis_doc.make_files(qmsim, src)
    print("ok: the recipe-files commands made base.h5, reform.h5, cmp.h5, policy.h5 (%.1f s)"
          % (time.time() - t0))
    recipes = analysis_doc.blocks(src, "python")
    if len(recipes) < 7:
        raise SystemExit("FAIL: expected at least 7 python recipes in docs/analysis.md, found %d"
                         % len(recipes))
    try:
        import matplotlib  # noqa: F401
        have_mpl = True
    except ImportError:
        have_mpl = False
    old = os.getcwd()
    os.chdir(d)
    ran = skipped = 0
    try:
        for line, code in recipes:
            if "import matplotlib" in code and not have_mpl:
                print("skip: recipe at docs/analysis.md:%d (no matplotlib)" % line)
                skipped += 1
                continue
            out = io.StringIO()
            try:
                with contextlib.redirect_stdout(out):
                    exec(compile(code, "docs/analysis.md:%d" % line, "exec"), {"__name__": "recipe"})
            except Exception:
                traceback.print_exc()
                raise SystemExit("FAIL: the recipe at docs/analysis.md:%d raised" % line)
            if not out.getvalue().strip() and "savefig" not in code:
                raise SystemExit("FAIL: the recipe at docs/analysis.md:%d printed nothing" % line)
            print("ok: recipe at docs/analysis.md:%d (%d lines printed)"
                  % (line, out.getvalue().count("\n")))
            ran += 1
        if have_mpl:
            if not os.path.getsize("trust.png") > 1000:
                raise SystemExit("FAIL: the plotting recipe wrote no trust.png")
            print("ok: the plotting recipe wrote trust.png")
    finally:
        os.chdir(old)
        shutil.rmtree(d, ignore_errors=True)
    print("ok: %d python recipes ran, %d skipped (%.1f s)" % (ran, skipped, time.time() - t0))


if __name__ == "__main__":
    main()
