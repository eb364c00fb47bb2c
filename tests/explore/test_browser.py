"""The explorer in a real browser (headless Chromium over the DevTools
protocol): open the page, choose a teaching scenario, move a control, run
24 months; the plots have 24 points, the market view has as many contract
edges as the run has contracts, the story is the one `qmsim run --narrate`
tells (and tells every tender, award and switch of the event table in its
month), a filtered story is `--narrate-filter`'s, and the downloaded file
is identical to `qmsim run` with the command line the page shows.  Then A
against B with common random numbers: the page's differences are those of
two `qmsim run` files, a setting compared with itself differs by exactly
0, and a reorganisation written into B's scenario file reproduces B's
download.  Screenshots go to ARTEFACTS.

usage: /usr/bin/python3 test_browser.py QMSIM SOURCE_DIR [ARTEFACTS]
Exit 77 (skipped) when Chromium or python3-websocket is missing.
"""
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "py"))
import cdp  # noqa: E402

MONTHS = 24


def fail(msg):
    raise SystemExit("FAIL: " + msg)


def setv(b, elem_id, value, event="input"):
    b.evaluate("{const e = document.getElementById(%r); e.value = %r; "
               "e.dispatchEvent(new Event(%r));}" % (elem_id, str(value), event))


def click(b, elem_id):
    b.evaluate("document.getElementById(%r).click()" % elem_id)


def contents(path):
    """Every dataset's bytes and every attribute but the creation time."""
    items = {}

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            arr = np.asarray(obj[()])
            raw = repr(arr.tolist()) if arr.dtype == object else arr.tobytes()
            items[name] = (arr.dtype.str, arr.shape, raw)
        for k, v in obj.attrs.items():
            if k not in ("DIMENSION_LIST", "REFERENCE_LIST"):
                items["%s@%s" % (name, k)] = repr(v)

    with h5py.File(path, "r") as f:
        for k, v in f.attrs.items():
            if k != "created":
                items["@" + k] = repr(v)
        f.visititems(visit)
    return items


def same_file(a, b, what):
    x, y = contents(a), contents(b)
    diff = [k for k in sorted(set(x) | set(y)) if x.get(k) != y.get(k)]
    if diff:
        fail("%s: the download differs from qmsim run in %s" % (what, diff[:8]))
    return len(x)


def run_command(qmsim, command, cwd, extra=()):
    """Runs a command line the page shows (qmsim run ... -o FILE); the file."""
    args = shlex.split(command)
    if args[:2] != ["qmsim", "run"]:
        fail("the page's command is not a qmsim run: %r" % command)
    out = args[args.index("-o") + 1]
    p = subprocess.run([qmsim] + args[1:] + ["-q", "--force"] + list(extra), cwd=cwd,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True,
                       timeout=300)
    if p.returncode != 0:
        fail("%s failed: %s" % (command, p.stderr))
    return os.path.join(cwd, out), p.stdout


def wait_download(folder, name, timeout=60):
    path = os.path.join(folder, name)
    t0 = time.time()
    while time.time() - t0 < timeout:
        if os.path.exists(path) and not os.path.exists(path + ".crdownload"):
            time.sleep(0.3)
            return path
        time.sleep(0.2)
    fail("the browser did not download %s (folder holds %s)" % (name, os.listdir(folder)))


def run_page(b):
    setv(b, "speed", 6)
    click(b, "run")
    b.until("explorer.run && explorer.run.done && !explorer.running && !explorer.busy",
            timeout=240, what="the run to end")


def story(b):
    return b.evaluate("[...document.querySelectorAll('#story p:not(.empty)')]"
                      ".map(p => p.textContent)")


def check_single(b, qmsim, src, tmp, shots):
    b.evaluate("{const s = document.getElementById('scenario'); s.value = 'teaching/transactional';"
               " s.dispatchEvent(new Event('change'));}")
    setv(b, "control-tender_mandate", 0.8)
    setv(b, "months", MONTHS, "change")
    b.screenshot(os.path.join(shots, "explore-start.png"), full=False)
    click(b, "setup")
    b.until("explorer.run && !explorer.busy", what="Setup")
    # One month by Step, the rest by Run.
    click(b, "step")
    b.until("explorer.run.month === 1 && !explorer.busy", what="one step")
    run_page(b)
    b.screenshot(os.path.join(shots, "explore-run.png"))
    lengths = b.evaluate("QMPlots.charts.map(c => [c.data.labels.length]"
                         ".concat(c.data.datasets.map(d => d.data.length)))")
    if len(lengths) != 6 or any(n != MONTHS for row in lengths for n in row):
        fail("the plots do not have %d points each: %s" % (MONTHS, lengths))
    print("ok: %d plots, every line with %d points" % (len(lengths), MONTHS))

    command = b.evaluate("explorer.run.arms[0].command")
    if "--set policy.tender_mandate=0.8" not in command or "--months 24" not in command:
        fail("the command line does not carry the settings: %s" % command)
    ref, told = run_command(qmsim, command, tmp, ["--narrate"])
    with h5py.File(ref, "r") as f:
        contracts = int(f["series/contracts_active"][-1])
        tenders = f["series/decisions_tender"][()]
    edges = b.evaluate("document.querySelectorAll('#view path.contract').length")
    if edges != contracts:
        fail("the market view has %d contract edges, the run %d contracts" % (edges, contracts))
    page_tenders = b.evaluate("explorer.run.arms[0].months.map(m => m.s[%d])"
                              % b.evaluate("explorer.cat.series.findIndex(s => s.name === "
                                           "'decisions_tender')"))
    if not np.array_equal(np.array(page_tenders, dtype=float), tenders):
        fail("the page's tenders differ from the file's: %s / %s" % (page_tenders, tenders))
    print("ok: the market view has %d contract edges, as the run has contracts" % edges)

    lines = story(b)
    want = [l for l in told.splitlines() if l]
    if lines != want:
        fail("the page's story differs from --narrate:\n%s\n---\n%s" % ("\n".join(lines[:8]),
                                                                          "\n".join(want[:8])))
    import test_analysis_narrate as narrate
    checked = narrate.check_story("\n".join(lines), ref, {})
    if not checked.get("tender_start") or not checked.get("award"):
        fail("the run had no tender and award to check the story with: %s" % checked)
    print("ok: the story is --narrate's, %d lines; every %s told in its month"
          % (len(lines), ", ".join("%d %s" % (n, t) for t, n in sorted(checked.items()))))
    setv(b, "story-filter", "Northshire", "change")
    north = story(b)
    _, told = run_command(qmsim, command, tmp, ["--narrate-filter", "Northshire"])
    if north != [l for l in told.splitlines() if l] or not north:
        fail("the page's story of Northshire differs from --narrate-filter Northshire")
    print("ok: following Northshire gives --narrate-filter's story (%d lines)" % len(north))
    setv(b, "story-filter", "", "change")

    b.call("Page.setDownloadBehavior", behavior="allow", downloadPath=tmp)
    name = os.path.basename(ref)
    os.rename(ref, ref + ".ref")
    click(b, "download-0")
    got = wait_download(tmp, name)
    n = same_file(got, ref + ".ref", "A")
    print("ok: the download equals `%s` (%d datasets and attributes)" % (command, n))


def outcome_values(b):
    return b.evaluate("[...document.querySelectorAll('#compare-table tr[data-outcome]')]"
                      ".map(tr => [...tr.cells].slice(1).map(td => td.dataset.value === '' ? null "
                      ": +td.dataset.value))")


def outcomes(path):
    """The page's A-against-B outcomes, recomputed from a run file."""
    with h5py.File(path, "r") as f:
        s = {k: f["series/" + k][()] for k in f["series"]}
    return [s["tenders_started"].sum(), s["switches"].sum(),
            100 * (s["tc_commissioner"].sum() + s["tc_provider"].sum()) / s["spend"].sum(),
            s["trust_mean_provider"][-1], s["quality_delivered"].mean(), s["unmet_demand"].sum(),
            s["agency_fees"].sum(), s["knowledge_analytic_mean"][-1], s["dependency_index"][-1],
            s["developments_completed"].sum()]


def check_compare(b, qmsim, tmp, shots):
    b.evaluate("{const s = document.getElementById('scenario'); s.value = 'teaching/kt_none';"
               " s.dispatchEvent(new Event('change'));}")
    setv(b, "months", MONTHS, "change")
    click(b, "compare")
    # B the same as A: with common random numbers every difference is 0.
    click(b, "setup")
    b.until("explorer.run && explorer.run.compare && !explorer.busy", what="Setup of A and B")
    run_page(b)
    same = outcome_values(b)
    if any(row[2] != 0 for row in same):
        fail("a setting compared with itself differs: %s" % same)
    print("ok: a setting compared with itself differs by exactly 0 in all %d outcomes" % len(same))

    click(b, "edit-b")
    click(b, "control-transfer_clause")
    # Pressure alone moves a 24-month run of nine contracts by about one
    # tender, which one run's luck can cancel; the mandate sends half of
    # the expiring contracts to tender, so B starts more tenders than A in
    # any run (checked over 30 seeds).
    setv(b, "control-tender_pressure", 1)
    setv(b, "control-tender_mandate", 0.5)
    b.evaluate("document.getElementById('reorg-box').open = true")
    click(b, "reorg-on")
    setv(b, "reorg-month", 12, "change")
    click(b, "setup")
    b.until("explorer.run && explorer.run.compare && explorer.run.month === 0 && !explorer.busy",
            what="Setup of A and B")
    run_page(b)
    b.screenshot(os.path.join(shots, "explore-compare.png"))
    page = outcome_values(b)
    files = []
    for a in (0, 1):
        cmd = b.evaluate("explorer.run.arms[%d].command" % a)
        if a == 1:
            click(b, "download-scenario-1")
            wait_download(tmp, b.evaluate("explorer.run.arms[1].file_name"))
        files.append(run_command(qmsim, cmd, tmp)[0])
    want = [outcomes(files[0]), outcomes(files[1])]
    for k, row in enumerate(page):
        for a in (0, 1):
            if not np.isclose(row[a], want[a][k], rtol=1e-9, atol=1e-9):
                fail("outcome %d of %s: page %r, file %r" % (k, "AB"[a], row[a], want[a][k]))
        if not np.isclose(row[2], want[1][k] - want[0][k], rtol=1e-9, atol=1e-9):
            fail("outcome %d: the page's difference %r is not B - A" % (k, row[2]))
    if page[0][2] <= 0:
        fail("pressure to tender 1 and a tender mandate of 0.5 in B started no more tenders "
             "than A: %s" % page[0])
    print("ok: A against B: the page's %d outcomes and differences are those of the two runs' "
          "files (B - A tenders %+g)" % (len(page), page[0][2]))
    name = os.path.basename(files[1])
    os.rename(files[1], files[1] + ".ref")
    click(b, "download-1")
    same_file(wait_download(tmp, name), files[1] + ".ref", "B")
    print("ok: B's download (a reorganisation written into its scenario file) equals `%s`"
          % b.evaluate("explorer.run.arms[1].command"))


def check_error(b, shots):
    setv(b, "months", 100000, "change")
    click(b, "setup")
    b.until("document.getElementById('messages').innerText.includes('months')",
            what="a message about the months")
    text = b.evaluate("document.getElementById('messages').innerText")
    b.screenshot(os.path.join(shots, "explore-error.png"), full=False)
    print("ok: too many months is refused on the page: %s" % " ".join(text.split())[:160])


def main():
    qmsim, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    shots = sys.argv[3] if len(sys.argv) > 3 else os.getcwd()
    binary = cdp.chromium_binary()
    try:
        import websocket  # noqa: F401
    except ImportError:
        binary = None
    if not binary:
        print("skipped: Chromium or python3-websocket is not installed")
        sys.exit(cdp.SKIP)
    os.makedirs(shots, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix="qmsim-explore-browser-")
    srv = cdp.Server(qmsim)
    b = cdp.Browser(binary)
    t0 = time.time()
    try:
        b.open(srv.url("/"))
        b.until("window.explorer && explorer.session && explorer.cat", what="the page to start")
        check_single(b, qmsim, src, tmp, shots)
        check_compare(b, qmsim, tmp, shots)
        check_error(b, shots)
        errors = b.console_errors()
        if errors:
            fail("the page logged errors: %s" % errors)
    finally:
        b.close()
        rc, err = srv.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    if rc != 0:
        fail("qmsim explore exited %d: %s" % (rc, err))
    print("ok: screenshots in %s; browser test %.1f s" % (shots, time.time() - t0))


if __name__ == "__main__":
    main()
