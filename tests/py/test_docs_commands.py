"""Every command shown in README.md and docs/*.md runs as written.

Each fenced sh block of those pages is run with `sh -e`, in page order,
in one scratch directory per page that looks like the top of the source
tree: `build` is the test's build directory (so `build/qmsim` is the
binary under test), `scenarios`, `scripts`, `Makefile` and the sources
are links to the source tree, and `docs` is a copy (a command that
rewrites a page rewrites the copy).  A command that fails, or names a
file no earlier command made, fails the test: the pages show commands a
reader can paste.

A block is skipped only when the line before it is a marker

    <!-- docs-commands: skip: REASON -->

whose REASON says it needs a cluster or MPI (it names a cluster, Slurm
or MPI), or that it runs this test suite itself (`make test`).  Any other
marker fails.  A block that starts `qmsim explore` is run until the
server prints its address and answers it, then stopped with Ctrl-C.
`make run` is run only when scripts/deps.sh has nothing to install (the
test never installs packages; it says so and goes on).

usage: /usr/bin/python3 test_docs_commands.py QMSIM SOURCE_DIR
"""
import glob
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

SKIP_MARK = re.compile(r"<!--\s*docs-commands:\s*skip:\s*(.+?)\s*-->\s*$")
ALLOWED = re.compile(r"\b(cluster|Slurm|MPI|mpirun)\b|runs this test suite", re.I)
TIMEOUT = 1800   # seconds a block may take


def fail(msg):
    raise SystemExit("FAIL: " + msg)


def pages(src):
    return [os.path.join(src, "README.md")] + sorted(glob.glob(os.path.join(src, "docs", "*.md")))


def blocks(path):
    """The sh blocks of a page: (line, text, skip reason or None)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    out = []
    for m in re.finditer(r"^```(?:sh|bash|shell)\n(.*?)^```[ \t]*$", text, re.M | re.S):
        line = text.count("\n", 0, m.start()) + 1
        before = text[:m.start()].rstrip("\n").rsplit("\n", 1)[-1]
        reason = None
        if "docs-commands" in before:
            s = SKIP_MARK.search(before)
            if not s:
                fail("%s:%d: a docs-commands marker that is not 'skip: REASON'" % (path, line))
            reason = s.group(1)
            if not ALLOWED.search(reason):
                fail("%s:%d: skipped for %r; only blocks that need a cluster or MPI (or run "
                     "the test suite itself) may be skipped" % (path, line, reason))
        out.append((line, m.group(1), reason))
    # A fence left open or closed on a line with text swallows what follows.
    if len(re.findall(r"^```", text, re.M)) % 2:
        fail("%s: an odd number of ``` fences" % path)
    return out


def scratch(qmsim, src):
    """A directory that looks like the top of the source tree."""
    d = tempfile.mkdtemp(prefix="qmsim-docs-")
    os.symlink(os.path.dirname(qmsim), os.path.join(d, "build"))
    for name in os.listdir(src):
        if name in ("build", "docs", ".git") or name.startswith("build-"):
            continue
        os.symlink(os.path.join(src, name), os.path.join(d, name))
    shutil.copytree(os.path.join(src, "docs"), os.path.join(d, "docs"))
    # No package is ever installed by a test: deps.sh's apt-get is this one.
    fake = os.path.join(d, ".fakebin")
    os.mkdir(fake)
    for tool in ("apt-get", "sudo"):
        with open(os.path.join(fake, tool), "w") as f:
            f.write("#!/bin/sh\necho 'docs-commands: would install packages' >&2\nexit 99\n")
        os.chmod(os.path.join(fake, tool), 0o755)
    return d


def env_for(d):
    env = dict(os.environ)
    env["PATH"] = os.path.join(d, ".fakebin") + os.pathsep + env.get("PATH", "")
    env["OMP_WAIT_POLICY"] = "passive"
    return env


def run_server(block, d, where):
    """A block that starts `qmsim explore`: run until it prints its address and
    the address answers, then Ctrl-C."""
    cmd = block.split("#", 1)[0].strip()
    for attempt in (cmd, cmd + " --port 0"):
        p = subprocess.Popen(["sh", "-c", "exec " + attempt], cwd=d, env=env_for(d),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             universal_newlines=True)
        url, seen, t0 = None, [], time.time()
        while time.time() - t0 < 60:
            line = p.stdout.readline()
            if not line:
                break
            seen.append(line)
            m = re.search(r"http://[\w.:\[\]]+/", line)
            if m:
                url = m.group(0)
                break
        if url:
            try:
                with urllib.request.urlopen(url, timeout=30) as r:
                    body = r.read()
            finally:
                p.send_signal(signal.SIGINT)
                try:
                    p.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
                    fail("%s: qmsim explore did not stop on Ctrl-C" % where)
            if b"<html" not in body.lower():
                fail("%s: %s did not answer with the page" % (where, url))
            note = "" if attempt == cmd else " (port 8080 was busy: --port 0)"
            print("ok: %s: qmsim explore served %s%s" % (where, url, note))
            return
        p.kill()
        p.wait()
        if attempt == cmd and any("in use" in s.lower() for s in seen):
            continue
        fail("%s: qmsim explore printed no address:\n%s" % (where, "".join(seen)))


def run_block(block, d, where):
    if re.search(r"^\s*build/qmsim explore\b", block, re.M):
        run_server(block, d, where)
        return
    t0 = time.time()
    p = subprocess.run(["sh", "-e", "-c", block], cwd=d, env=env_for(d), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, universal_newlines=True, timeout=TIMEOUT)
    if p.returncode != 0 and "docs-commands: would install packages" in p.stderr:
        print("skip: %s: installs missing packages first (not done by a test)" % where)
        return
    if p.returncode != 0:
        fail("%s exited %d:\n%s\n--- stdout (end)\n%s\n--- stderr (end)\n%s"
             % (where, p.returncode, block, p.stdout[-1500:], p.stderr[-3000:]))
    print("ok: %s (%.1f s)" % (where, time.time() - t0))


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: %s QMSIM SOURCE_DIR" % sys.argv[0])
    qmsim, src = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    t0 = time.time()
    ran = skipped = 0
    for page in pages(src):
        rel = os.path.relpath(page, src)
        todo = blocks(page)
        if not todo:
            continue
        d = scratch(qmsim, src)
        try:
            for line, block, reason in todo:
                where = "%s:%d" % (rel, line)
                if reason:
                    print("skip: %s: %s" % (where, reason))
                    skipped += 1
                    continue
                run_block(block, d, where)
                ran += 1
        finally:
            shutil.rmtree(d, ignore_errors=True)
    print("ok: %d command blocks of README.md and docs/*.md ran as written, %d skipped "
          "(%.0f s)" % (ran, skipped, time.time() - t0))


if __name__ == "__main__":
    main()
