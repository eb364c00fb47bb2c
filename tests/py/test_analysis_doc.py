"""docs/analysis.md agrees with the program: its table of key outcomes
names exactly the outcomes `qmsim compare` reports by default (besides
those it marks as asked for by name), and every
dataset of its comparison-file layout is in a file `qmsim compare -o`
writes (and the other way round).

The module also holds what the other tests of docs/analysis.md share:
extracting its code blocks and making the files its recipes read, so that
the code on the page is the code the suite runs.

usage: /usr/bin/python3 test_analysis_doc.py QMSIM SOURCE_DIR
"""
import json
import os
import re
import subprocess
import sys
import tempfile

SKIP = 77   # ctest's SKIP_RETURN_CODE for these tests


def blocks(src, lang):
    """The fenced code blocks of docs/analysis.md in language lang, in order,
    each as (line number, text)."""
    path = os.path.join(src, "docs", "analysis.md")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    out = []
    for m in re.finditer(r"^```%s\n(.*?)^```$" % re.escape(lang), text, re.M | re.S):
        out.append((text.count("\n", 0, m.start()) + 1, m.group(1)))
    return out


def setup_block(src):
    """The sh block marked recipe-files."""
    path = os.path.join(src, "docs", "analysis.md")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"<!-- recipe-files[^>]*-->\n```sh\n(.*?)^```$", text, re.M | re.S)
    if not m:
        raise SystemExit("FAIL: docs/analysis.md has no sh block marked recipe-files")
    return m.group(1)


def shell(script, qmsim, src, cwd):
    """Runs a documented shell block with the test's binary and scenarios."""
    script = script.replace("build/qmsim", qmsim).replace("scenarios/", src + "/scenarios/")
    p = subprocess.run(["sh", "-e", "-c", script], cwd=cwd, stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True, timeout=600)
    if p.returncode != 0:
        raise SystemExit("FAIL: the documented commands failed (exit %d):\n%s\n%s"
                         % (p.returncode, script, p.stderr))
    return p.stdout


def make_files(qmsim, src):
    """A scratch directory holding the recipes' files."""
    d = tempfile.mkdtemp(prefix="qmsim-analysis-")
    shell(setup_block(src), qmsim, src, d)
    for name in ("base.h5", "reform.h5", "cmp.h5", "policy.h5"):
        if not os.path.exists(os.path.join(d, name)):
            raise SystemExit("FAIL: the recipe-files block made no %s" % name)
    return d


def args():
    if len(sys.argv) != 3:
        raise SystemExit("usage: %s QMSIM SOURCE_DIR" % sys.argv[0])
    return os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])


def doc_text(src):
    with open(os.path.join(src, "docs", "analysis.md"), encoding="utf-8") as f:
        return f.read()


def main():
    qmsim, src = args()
    text = doc_text(src)
    d = make_files(qmsim, src)
    p = subprocess.run([qmsim, "compare", "--from-files", os.path.join(d, "base.h5"),
                        os.path.join(d, "reform.h5"), "--format", "json"],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
    if p.returncode != 0:
        raise SystemExit("FAIL: compare --from-files exited %d: %s" % (p.returncode, p.stderr))
    default = [o["name"] for o in json.loads(p.stdout)["outcomes"]]
    section = text[text.index("| key outcome |"):]
    section = section[:section.index("\n\n")]
    # Rows marked "not in the default list" are outcomes asked for by name.
    rows = re.findall(r"^\| `(\w+)` \|(.*)$", section, re.M)
    documented = [n for n, rest in rows if "not in the default list" not in rest]
    named = [n for n, rest in rows if "not in the default list" in rest]
    for n in named:
        q = subprocess.run([qmsim, "compare", "--from-files", os.path.join(d, "base.h5"),
                            os.path.join(d, "reform.h5"), "--outcomes", n, "--format", "json"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True)
        if q.returncode != 0 or [o["name"] for o in json.loads(q.stdout)["outcomes"]] != [n]:
            raise SystemExit("FAIL: docs/analysis.md names outcome %s that compare does not "
                             "take: %s" % (n, q.stderr))
    if documented != default:
        raise SystemExit("FAIL: docs/analysis.md's key outcomes %s are not compare's %s"
                         % (documented, default))
    print("ok: the key outcomes table lists compare's %d default outcomes in order, and %d "
          "taken by name" % (len(default), len(named)))

    import h5py
    layout = text[text.index("### The comparison file"):text.index("## Reports")]
    block = layout[layout.index("```\n") + 4:]
    block = block[:block.index("```")]
    paths = set()
    for line in block.splitlines():
        m = re.match(r"^(/[\w/<>]+)((?:, \w+)*)\s", line + " ")
        if not m or m.group(1) == "/":
            continue
        head = m.group(1)
        for extra in [head] + [head.rsplit("/", 1)[0] + "/" + x.strip()
                               for x in m.group(2).split(",") if x.strip()]:
            paths.add(extra)
    found = set()
    with h5py.File(os.path.join(d, "cmp.h5"), "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                found.add("/" + name)
        f.visititems(visit)
        for attr in ["kind", "qmsim_version", "source", "created", "seed", "replications",
                     "n_scenarios", "months", "level", "complete"]:
            if attr not in f.attrs:
                raise SystemExit("FAIL: cmp.h5 lacks the documented root attribute %s" % attr)
        if f.attrs["kind"] != "qmsim comparison":
            raise SystemExit("FAIL: cmp.h5's kind is %r" % f.attrs["kind"])
    def documented_path(p):
        for q in paths:
            if re.fullmatch(re.escape(q).replace("<name>", "[\\w]+"), p):
                return True
        return False
    scales = {"/scenarios/scenario", "/runs/run", "/runs/outcome", "/runs/event_type",
              "/summary/outcome", "/summary/scenario"}
    undocumented = sorted(p for p in found - scales
                          if not documented_path(p) and not p.endswith(("/time", "/scenario")))
    if undocumented:
        raise SystemExit("FAIL: cmp.h5 holds datasets docs/analysis.md does not list: %s"
                         % undocumented)
    missing = sorted(q for q in paths if "<name>" not in q and q not in found)
    if missing:
        raise SystemExit("FAIL: docs/analysis.md lists datasets cmp.h5 lacks: %s" % missing)
    print("ok: the documented comparison-file layout matches cmp.h5 (%d datasets)" % len(found))
    check_examples(qmsim, src, text, d)
    import shutil
    shutil.rmtree(d, ignore_errors=True)


def check_examples(qmsim, src, text, d):
    """The example outputs on the page are what their commands print."""
    for command, what in (("build/qmsim compare scenarios/teaching/relational.cfg "
                           "scenarios/teaching/transactional.cfg \\\n    --replications 20 -o market.h5",
                           "compare"),
                          ("build/qmsim run scenarios/teaching/transactional.cfg -o t.h5 --narrate",
                           "narration")):
        at = text.index("```sh\n" + command + "\n```")
        block = text[at:].split("```")[3]          # the next fenced block: its output
        out = shell(command, qmsim, src, d)
        lines = [l.rstrip() for l in out.splitlines()]
        for line in block.strip("\n").splitlines():
            if line not in ("...", "") and line.rstrip() not in lines:
                raise SystemExit("FAIL: docs/analysis.md's %s example shows a line the command "
                                 "does not print:\n%s" % (what, line))
        print("ok: the %s example of docs/analysis.md is the command's output" % what)


if __name__ == "__main__":
    main()
