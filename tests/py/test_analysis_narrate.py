"""qmsim run --narrate tells the run's events in plain words, with the
entities' names: every tender, award, switch, reorganisation and merger of
the event table appears in its month; --narrate-filter keeps one
commissioner, provider or service (names compared ignoring case, '_' as
' ') and the changes that concern everyone; a name that is nowhere in the
run stops it (exit 2, no file); and narrating changes nothing in the file.

usage: /usr/bin/python3 test_analysis_narrate.py QMSIM SOURCE_DIR
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_analysis_doc as analysis_doc  # noqa: E402


def fail(msg):
    raise SystemExit("FAIL: " + msg)


def run(cmd, cwd, code=0):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=300)
    if p.returncode != code:
        fail("%s exited %d (expected %d)\n%s" % (" ".join(cmd), p.returncode, code, p.stderr))
    return p.stdout, p.stderr


def events(path):
    with h5py.File(path, "r") as f:
        ev = f["events"][()]
        codes = h5py.check_enum_dtype(f["events"].dtype["type"])
        names = {k: list(f["entities/%s/name" % k].asstr()[()])
                 for k in ("commissioner", "provider", "service")}
    kinds = {v: k for k, v in codes.items()}
    return [dict(month=int(e["month"]), type=kinds[int(e["type"])], c=int(e["commissioner"]),
                 s=int(e["service"]), p=int(e["provider"]), o=int(e["other"])) for e in ev], names


def month_text(story, m):
    return "\n".join(l for l in story.splitlines() if l.startswith("Month %d:" % m))


def same_datasets(a, b):
    with h5py.File(a, "r") as f, h5py.File(b, "r") as g:
        def walk(name, obj):
            if isinstance(obj, h5py.Dataset):
                x, y = obj[()], g[name][()]
                if x.dtype.kind == "f":
                    if not np.array_equal(x, y, equal_nan=True):
                        fail("dataset %s differs with --narrate" % name)
                elif not np.array_equal(x, y):
                    fail("dataset %s differs with --narrate" % name)
        f.visititems(walk)


def check_story(story, path, checked):
    """Checks the story of the run in path; counts what it checked."""
    ev, names = events(path)
    svc = [s.replace("_", " ") for s in names["service"]]
    for e in ev:
        text = month_text(story, e["month"])
        c = names["commissioner"][e["c"]] if e["c"] >= 0 else None
        if e["type"] == "tender_start":
            want = "%s tendered its %s contract (held by %s)" % (
                c, svc[e["s"]], names["provider"][e["p"]])
            # A later clause of the same commissioner drops the subject.
            if want not in text and want.split(" ", 1)[1] not in text:
                fail("month %d: no %r in\n%s" % (e["month"], want, text))
        elif e["type"] == "switch":
            want = "%s lost %s's %s contract to %s" % (
                names["provider"][e["o"]], c, svc[e["s"]], names["provider"][e["p"]])
            if want not in text:
                fail("month %d: no %r in\n%s" % (e["month"], want, text))
        elif e["type"] == "award":
            if not re.search(r"(kept|lost) %s's %s contract" % (re.escape(c), svc[e["s"]]), text):
                fail("month %d: the award of %s's %s is not told:\n%s"
                     % (e["month"], c, svc[e["s"]], text))
        elif e["type"] == "merge":
            want = "absorbed %s and its" % names["commissioner"][e["o"]]
            if want not in text:
                fail("month %d: no %r in\n%s" % (e["month"], want, text))
        elif e["type"] == "reorganisation":
            if not re.search(r"(%s was|; was) reorganised and lost 40%% of its staff"
                             % re.escape(c), text):
                fail("month %d: %s's reorganisation is not told:\n%s" % (e["month"], c, text))
        else:
            continue
        checked[e["type"]] = checked.get(e["type"], 0) + 1
    return checked


def main():
    qmsim, src = analysis_doc.args()
    t0 = time.time()
    d = tempfile.mkdtemp(prefix="qmsim-narrate-test-")
    teach = os.path.join(src, "scenarios", "teaching")
    try:
        # A merger and many tenders: the reorganised area under market policy.
        cfg = os.path.join(teach, "reorganisation.cfg")
        sets = ["--set", "policy.tender_pressure=1", "--set", "policy.tender_mandate=0.6"]
        story, _ = run([qmsim, "run", cfg, "-o", "told.h5", "--narrate"] + sets, d)
        run([qmsim, "run", cfg, "-o", "quiet.h5", "-q"] + sets, d)
        same_datasets(os.path.join(d, "told.h5"), os.path.join(d, "quiet.h5"))
        print("ok: --narrate leaves the output file's datasets unchanged")
        checked = check_story(story, os.path.join(d, "told.h5"), {})
        market, _ = run([qmsim, "run", os.path.join(src, "scenarios", "market_reform.cfg"),
                         "--months", "60", "-o", "market.h5", "--narrate"], d)
        checked = check_story(market, os.path.join(d, "market.h5"), checked)
        for t in ("tender_start", "award", "switch", "reorganisation", "merge"):
            if not checked.get(t):
                fail("the runs had no %s event to check" % t)
        years = len(re.findall(r"^End of year \d+: ", story, re.M))
        if years != 6:
            fail("%d yearly lines for a 72-month run" % years)
        print("ok: every tender, award, switch, reorganisation and merger is told in its month "
              "(%s)" % ", ".join("%d %s" % (n, t) for t, n in sorted(checked.items())))

        # Filters.
        north, _ = run([qmsim, "run", cfg, "-o", "n.h5", "--narrate-filter", "northshire"] + sets, d)
        lines = [l for l in north.splitlines() if l.startswith("Month")]
        if not lines:
            fail("--narrate-filter northshire told nothing")
        for l in lines:
            if "Northshire" not in l and "Policy changed" not in l:
                fail("--narrate-filter northshire let through: %s" % l)
        if not re.search(r"^End of year 1: Northshire's mean trust", north, re.M):
            fail("the yearly line is not about Northshire")
        hip, _ = run([qmsim, "run", cfg, "-o", "h1.h5", "--narrate-filter", "hip replacement"] + sets, d)
        hip2, _ = run([qmsim, "run", cfg, "-o", "h2.h5", "--narrate-filter", "HIP_REPLACEMENT"] + sets, d)
        if hip != hip2 or "hip replacement" not in hip:
            fail("a service filter depends on case or '_'")
        for l in hip.splitlines():
            if l.startswith("Month") and "hip replacement" not in l and "Policy" not in l \
                    and "absorbed" not in l and "reorganised" not in l:
                fail("--narrate-filter 'hip replacement' let through: %s" % l)
        print("ok: --narrate-filter keeps one commissioner or service (%d and %d lines)"
              % (len(lines), hip.count("\n")))

        # Errors.
        _, err = run([qmsim, "run", cfg, "-o", "bad.h5", "--narrate-filter", "Nowhere"], d, 2)
        if "Nowhere" not in err or os.path.exists(os.path.join(d, "bad.h5")) \
                or os.path.exists(os.path.join(d, "bad.h5.partial")):
            fail("an unknown filter: %r, or a file was left" % err)
        _, err = run([qmsim, "run", cfg, "-o", "bad.h5", "--narrate-filter"], d, 2)
        if "needs a name" not in err:
            fail("--narrate-filter without a name: %r" % err)
        print("ok: an unknown or missing filter name is refused (exit 2, no file)")
    finally:
        shutil.rmtree(d, ignore_errors=True)
    print("ok: narration checked (%.1f s)" % (time.time() - t0))


if __name__ == "__main__":
    main()
