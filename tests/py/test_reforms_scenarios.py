#!/usr/bin/env python3
"""test_reforms_scenarios.py: the reform library (scenarios/reforms/,
docs/reforms.md) is complete and honest about what it changes.

* Every reform scenario validates, and runs its whole horizon with the
  invariants checked every month (qmsim run --check).
* Each differs from the reference, internal_market_1991, in exactly the
  keys its section of docs/reforms.md lists on its machine-readable line
  <!-- reform-keys NAME: KEY KEY ... --> (name and description aside), as
  the resolved scenarios (qmsim validate --resolved) show.  A key that
  differs but is not listed, or is listed but does not differ, fails.
* The area is the same in every file: no key of the services,
  commissioners, providers, entrant, agencies, seed or calendar may differ,
  whatever the documentation says.
* docs/reforms.md carries the generated comparison table.

usage: python3 test_reforms_scenarios.py QMSIM SRCDIR
"""
import os
import re
import subprocess
import sys
import tempfile

SCENARIOS = ["internal_market_1991", "pct_2002", "market_2006_2010", "act_2012",
             "ics_2022_psr", "alliance"]
REFERENCE = "internal_market_1991"
ALWAYS = {"name", "description"}
AREA = re.compile(r"^(services|commissioners|providers|agencies)\[|^entrant\.|^(seed|start_month|neighbours)$")

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def _open_brackets(s):
    """Brackets [ and { opened and not closed in s, outside strings."""
    depth, quoted, esc = 0, False, False
    for ch in s:
        if quoted:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                quoted = False
        elif ch == '"':
            quoted = True
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
    return depth


def statements(text):
    """(line number, text) of each non-blank, non-comment line, with an
    assignment whose array wraps over several lines joined into one."""
    buf, start = None, 0
    for n, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if buf is not None:
            buf += " " + s
            if _open_brackets(buf) <= 0:
                yield start, buf
                buf = None
            continue
        if not s or s.startswith("#"):
            continue
        if " = " in s and s.endswith(",") and _open_brackets(s) > 0:
            buf, start = s, n
            continue
        yield n, s
    if buf is not None:
        yield start, buf


def parse_resolved(text):
    """Flattens a resolved scenario into {key path: value text}: top-level
    keys as 'seed', group keys as 'policy.tender_pressure', list entries as
    'services[2].tariff', and the whole timeline as one key 'timeline'."""
    out, group, lst, idx, timeline = {}, None, None, -1, None
    assign = re.compile(r"^(\w+) = (.*);$")
    for n, line in statements(text):
        s = line.strip()
        if timeline is not None:
            if s == ");":
                out["timeline"] = "\n".join(timeline)
                timeline = None
            else:
                timeline.append(s.rstrip(","))
            continue
        m = re.match(r"^(\w+) = \($", s)
        if m:
            if m.group(1) == "timeline":
                timeline = []
            else:
                lst, idx = m.group(1), -1
            continue
        if lst is not None:
            if s == "{":
                idx += 1
            elif s in ("}", "},"):
                pass
            elif s == ");":
                lst = None
            else:
                m = assign.match(s)
                if not m or idx < 0:
                    raise ValueError("resolved text line %d not understood: %r" % (n, line))
                out["%s[%d].%s" % (lst, idx, m.group(1))] = m.group(2)
            continue
        m = re.match(r"^(\w+) = \{$", s)
        if m:
            group = m.group(1)
            continue
        if s == "};":
            group = None
            continue
        m = assign.match(s)
        if not m:
            raise ValueError("resolved text line %d not understood: %r" % (n, line))
        out[(group + "." if group else "") + m.group(1)] = m.group(2)
    if timeline is not None or lst is not None or group is not None:
        raise ValueError("resolved text ends inside a group or list")
    return out


def documented_keys(doc):
    """{scenario: set of keys} from the <!-- reform-keys NAME: ... --> lines."""
    keys = {}
    for m in re.finditer(r"<!--\s*reform-keys\s+(\w+):([^>]*)-->", doc):
        keys.setdefault(m.group(1), set()).update(m.group(2).split())
    return keys


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    qmsim, src = sys.argv[1], sys.argv[2]
    cfg = {n: os.path.join(src, "scenarios", "reforms", n + ".cfg") for n in SCENARIOS}
    with open(os.path.join(src, "docs", "reforms.md"), encoding="utf-8") as f:
        doc = f.read()
    documented = documented_keys(doc)

    resolved = {}
    with tempfile.TemporaryDirectory(prefix="qmsim-reforms-") as tmp:
        for n in SCENARIOS:
            if not os.path.exists(cfg[n]):
                fail("%s is missing" % cfg[n])
                continue
            r = subprocess.run([qmsim, "validate", cfg[n]], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, universal_newlines=True)
            if r.returncode != 0:
                fail("%s does not validate:\n%s" % (n, r.stderr))
                continue
            r = subprocess.run([qmsim, "validate", "--resolved", cfg[n]], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, universal_newlines=True)
            if r.returncode != 0:
                fail("qmsim validate --resolved %s exited %d: %s" % (n, r.returncode, r.stderr))
                continue
            resolved[n] = parse_resolved(r.stdout)
            if resolved[n].get("name") != '"%s"' % n:
                fail("%s.cfg is named %s, not \"%s\"" % (n, resolved[n].get("name"), n))
            # The whole horizon, every invariant checked every month.
            out = os.path.join(tmp, n + ".h5")
            r = subprocess.run([qmsim, "run", cfg[n], "-o", out, "--force", "-q", "--check",
                                "--threads", "2"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, universal_newlines=True)
            if r.returncode != 0 or not os.path.exists(out):
                fail("qmsim run --check %s exited %d: %s" % (n, r.returncode, r.stderr))
            else:
                print("%s: validates, runs %s months with invariants checked"
                      % (n, resolved[n].get("months")))

    if REFERENCE in resolved:
        ref = resolved[REFERENCE]
        for n in SCENARIOS:
            if n not in resolved:
                continue
            if n not in documented:
                fail("docs/reforms.md has no <!-- reform-keys %s: ... --> line" % n)
                continue
            mine = resolved[n]
            differ = {k for k in set(ref) | set(mine) if ref.get(k) != mine.get(k)} - ALWAYS
            listed = documented[n] - ALWAYS
            area = sorted(k for k in differ if AREA.search(k))
            if area:
                fail("%s changes the area, which must be the same in every reform: %s"
                     % (n, ", ".join(area)))
            extra = sorted(differ - listed)
            if extra:
                fail("%s differs from %s in keys its documentation does not list: %s"
                     % (n, REFERENCE, ", ".join(extra)))
            stale = sorted(listed - differ)
            if stale:
                fail("docs/reforms.md lists keys for %s that do not differ from %s: %s"
                     % (n, REFERENCE, ", ".join(stale)))
            if not extra and not stale and not area:
                print("%s: differs from %s in %s" % (n, REFERENCE,
                                                     ", ".join(sorted(differ)) or "nothing"))

    if "<!-- reforms-table:begin" not in doc or "<!-- reforms-table:end -->" not in doc:
        fail("docs/reforms.md lacks the generated comparison table markers")
    for n in SCENARIOS:
        if "`%s`" % n not in doc.split("<!-- reforms-table:begin", 1)[-1]:
            fail("the comparison table in docs/reforms.md has no column for %s" % n)

    if failures:
        print("%d failure(s)" % len(failures))
        return 1
    print("reform library: all %d scenarios valid, runnable and documented" % len(SCENARIOS))
    return 0


if __name__ == "__main__":
    sys.exit(main())
