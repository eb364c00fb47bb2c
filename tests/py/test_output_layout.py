"""Reader test: a qmsim output file opens as documented (docs/output.md)
with h5py and xarray, docs/output.md lists the file's panel variables and
event types, and `qmsim summary --format json` agrees with the file.
Support agencies are optional: their groups are checked when present.

usage: /usr/bin/python3 test_output_layout.py QMSIM SOURCE_DIR
"""
import json
import math
import os
import subprocess
import sys
import tempfile

MONTHS = 24
AGENCY_KINDS = {"csu", "commercial", "not_for_profit", "freelance", "public_health"}
ROOT_ATTRS = ["qmsim_version", "scenario_name", "scenario_source", "scenario_text",
              "scenario_resolved", "seed", "replicate", "generator", "threads",
              "months", "start_month", "created", "complete", "months_written"]


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def say(what):
    print("ok:", what)


def run(cmd):
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           universal_newlines=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Failure("cannot run %s: %s" % (" ".join(cmd), e))
    if p.returncode != 0:
        raise Failure("%s exited %d\nstderr: %s" % (" ".join(cmd), p.returncode, p.stderr))
    return p.stdout


def check_root(f):
    missing = [a for a in ROOT_ATTRS if a not in f.attrs]
    check(not missing, "root attributes missing: %s" % missing)
    check(int(f.attrs["complete"]) == 1, "complete is not 1")
    check(int(f.attrs["months_written"]) == MONTHS, "months_written is not %d" % MONTHS)
    check(int(f.attrs["seed"]) == 7, "seed is not 7")
    for a in ["qmsim_version", "scenario_name", "scenario_text", "scenario_resolved", "created"]:
        check(isinstance(f.attrs[a], str), "attribute %s is not a str" % a)
    say("root attributes %s" % ", ".join(ROOT_ATTRS))


def check_series(f):
    import numpy as np
    g = f["series"]
    check(list(g["time"][:]) == list(range(MONTHS)), "/series/time is not 0..%d" % (MONTHS - 1))
    names = [n for n in g if n != "time"]
    check(names, "/series has no series")
    for n in names:
        d = g[n]
        check(d.shape == (MONTHS,), "/series/%s has shape %s" % (n, d.shape))
        check(d.dtype == np.float64, "/series/%s is %s" % (n, d.dtype))
        for a in ("units", "description"):
            check(a in d.attrs and isinstance(d.attrs[a], str) and d.attrs[a],
                  "/series/%s has no %s" % (n, a))
    say("%d series of length %d with units and description" % (len(names), MONTHS))
    return names


def check_finite(f):
    import h5py
    import numpy as np
    bad, n = [], [0]

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset) and obj.dtype.kind == "f":
            n[0] += 1
            if obj.size and not np.all(np.isfinite(obj[()])):
                bad.append(name)
        elif isinstance(obj, h5py.Dataset) and obj.dtype.names:
            for field in obj.dtype.names:
                if obj.dtype[field].kind == "f" and obj.size:
                    n[0] += 1
                    if not np.all(np.isfinite(obj[field])):
                        bad.append(name + "." + field)
    f.visititems(visit)
    check(not bad, "NaN or infinity in: %s" % ", ".join(bad))
    say("no NaN or infinity in %d floating-point datasets" % n[0])


def check_entities_and_panels(f):
    import h5py
    import numpy as np
    ent = f["entities"]
    kinds = ["commissioner", "provider", "service"]
    if "agency" in ent:
        kinds.append("agency")
    sizes = {"agency": 0}
    names = {}
    for kind in kinds:
        d = ent[kind]["name"]
        names[kind] = list(d.asstr()[:])
        check(all(isinstance(s, str) for s in names[kind]), "/entities/%s/name: not str" % kind)
        # commissioner slots kept for splits and provider slots kept for
        # entrants may never be filled: those have no name
        check(all(names[kind]) if kind in ("service", "agency") else any(names[kind]),
              "/entities/%s/name has empty names" % kind)
        check(h5py.check_string_dtype(d.dtype) is not None, "/entities/%s/name not strings" % kind)
        check("description" in d.attrs, "/entities/%s/name has no description" % kind)
        check(list(ent[kind][kind][:]) == list(range(len(names[kind]))),
              "/entities/%s/%s is not 0..n-1" % (kind, kind))
        sizes[kind] = len(names[kind])
    for var in ("kind", "entrant", "entry_month"):
        d = ent["provider"][var]
        check(d.shape == (sizes["provider"],), "/entities/provider/%s has shape %s" % (var, d.shape))
        check("description" in d.attrs, "/entities/provider/%s has no description" % var)
    if "agency" in ent:
        check(sizes["agency"] > 0, "/entities/agency is written but empty")
        d = ent["agency"]["kind"]
        check(d.shape == (sizes["agency"],), "/entities/agency/kind has shape %s" % (d.shape,))
        check("description" in d.attrs, "/entities/agency/kind has no description")
        bad = set(d.asstr()[:]) - AGENCY_KINDS
        check(not bad, "/entities/agency/kind has unknown kinds %s" % sorted(bad))
    say("entities: %(commissioner)d commissioner slots, %(provider)d provider slots, "
        "%(service)d services, %(agency)d agencies, names as str" % sizes)
    if "panels" not in f:
        say("no panels in this file")
        return sizes
    # /panels/agency exactly when there are agencies
    check(("agency" in f["panels"]) == (sizes["agency"] > 0),
          "/panels/agency %s but the file has %d agencies"
          % ("present" if "agency" in f["panels"] else "missing", sizes["agency"]))
    for kind in kinds:
        if kind == "service":
            continue
        g = f["panels"][kind]
        n = sizes[kind]
        check(g[kind].shape == (n,), "/panels/%s/%s has shape %s" % (kind, kind, g[kind].shape))
        check(list(g["time"][:]) == list(range(MONTHS)), "/panels/%s/time is not 0..%d"
              % (kind, MONTHS - 1))
        vars_ = [v for v in g if v not in ("time", kind)]
        check(vars_, "/panels/%s has no variables" % kind)
        for v in vars_:
            check(g[v].shape == (MONTHS, n), "/panels/%s/%s has shape %s, not %s"
                  % (kind, v, g[v].shape, (MONTHS, n)))
            check("units" in g[v].attrs and "description" in g[v].attrs,
                  "/panels/%s/%s lacks units or description" % (kind, v))
        say("%d %s panels of shape (%d, %d)" % (len(vars_), kind, MONTHS, n))
    # a commissioner slot that ever held a body has a name; one that never
    # did reads 0 throughout
    active = f["panels/commissioner/active"][()]
    used = np.any(active > 0, axis=0)
    check(all(bool(names["commissioner"][c]) == bool(used[c]) for c in range(sizes["commissioner"])),
          "commissioner names do not match the slots used (active: %s, names: %s)"
          % (used.tolist(), names["commissioner"]))
    say("%d of %d commissioner slots used, each named" % (used.sum(), sizes["commissioner"]))
    return sizes


def check_events(f, sizes):
    import h5py
    if "events" not in f:
        say("no event table in this file")
        return
    ev = f["events"]
    fields = ["month", "type", "commissioner", "service", "provider", "other", "value"]
    check(list(ev.dtype.names) == fields, "/events fields are %s" % (ev.dtype.names,))
    enum = h5py.check_enum_dtype(ev.dtype["type"])
    check(enum, "/events type is not an enum")
    check("description" in ev.attrs and "units" in ev.attrs, "/events lacks description or units")
    rows = ev[()]
    names = {v: k for k, v in enum.items()}
    for r in rows:
        check(int(r["type"]) in names, "event type %d has no name" % r["type"])
        check(0 <= r["month"] < MONTHS, "event month %d out of range" % r["month"])
        check(-1 <= r["commissioner"] < sizes["commissioner"], "bad commissioner in %s" % (r,))
        check(-1 <= r["provider"] < sizes["provider"], "bad provider in %s" % (r,))
        check(-1 <= r["service"] < sizes["service"], "bad service in %s" % (r,))
    check(list(f["event"][:]) == list(range(len(rows))), "/event is not the row numbers")
    # other: an id of the kind each type documents (docs/output.md)
    other_kind = {"switch": "provider", "merge": "commissioner", "split": "commissioner",
                  "engagement_start": "agency", "engagement_renew": "agency",
                  "engagement_end": "agency", "engagement_docked": "agency",
                  "externalise_analytics": "agency"}
    seen = set()
    for r in rows:
        t = names[int(r["type"])]
        kind = other_kind.get(t)
        if kind is None:
            continue
        lo = -1 if t == "externalise_analytics" else 0
        check(lo <= r["other"] < sizes[kind], "%s event with other = %d: not a %s id (%d)"
              % (t, r["other"], kind, sizes[kind]))
        seen.add(t)
    for t in ("engagement_start", "engagement_renew"):
        fees = rows["value"][rows["type"] == enum[t]]
        check((fees > 0).all(), "%s event without a positive monthly fee" % t)
    say("%d events, types named %s; other is a valid id in %s"
        % (len(rows), sorted(enum), sorted(seen) or "none of the id-carrying types"))


def doc_table_rows(text, heading, columns):
    """Rows of the COLUMNS-column tables under a ### heading whose first cell
    is a backquoted name, as {name: other cells}, in order."""
    import re
    part = text.split("### " + heading, 1)
    check(len(part) == 2, "docs/output.md has no section %s" % heading)
    body = part[1].split("\n### ", 1)[0].split("\n## ", 1)[0]
    rows = {}
    lines = body.splitlines()
    for i, line in enumerate(lines):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        header = i + 1 < len(lines) and lines[i + 1].startswith("|---")
        if line.startswith("|") and len(cells) == columns and not header:
            m = re.fullmatch(r"`([a-z_]+)`", cells[0])
            if m:
                rows[m.group(1)] = cells[1:]
    return rows


def check_docs(source_dir, f):
    """docs/output.md lists every panel variable and event type of the file."""
    import h5py
    import re
    with open(os.path.join(source_dir, "docs", "output.md")) as fp:
        text = fp.read()
    if "panels" in f:
        table = doc_table_rows(text, "Panels", 2)
        for kind in f["panels"]:
            check(kind in table, "docs/output.md lists no %s panel variables" % kind)
            doc = re.findall(r"`([a-z_0-9]+)`", table[kind][0])
            got = [v for v in f["panels"][kind] if v not in ("time", kind)]
            check(doc == got, "docs/output.md lists %s panel variables %s; the file has %s"
                  % (kind, doc, got))
        say("docs/output.md lists the variables of panels %s" % sorted(f["panels"]))
    if "events" in f:
        enum = h5py.check_enum_dtype(f["events"].dtype["type"])
        got = [k for k, _ in sorted(enum.items(), key=lambda kv: kv[1])]
        doc = list(doc_table_rows(text, "Events", 4))
        check(doc == got, "docs/output.md documents event types %s; the file has %s" % (doc, got))
        say("docs/output.md documents all %d event types in order" % len(got))
    for group in ["agency"] if "agency" in f["entities"] else []:
        check("/panels/%s/" % group in text and "/entities/%s/" % group in text,
              "docs/output.md does not describe /panels/%s and /entities/%s" % (group, group))


def check_xarray(path, series_names):
    import xarray as xr
    with xr.open_dataset(path, group="series", engine="h5netcdf") as ds:
        check(dict(ds.sizes) == {"time": MONTHS}, "series dims are %s" % dict(ds.sizes))
        check(sorted(ds.data_vars) == sorted(series_names), "xarray sees other series")
    say("xarray (h5netcdf) opens group series with dim time of length %d" % MONTHS)
    with xr.open_dataset(path, group="panels/commissioner", engine="h5netcdf") as ds:
        for v in ds.data_vars:
            check(ds[v].dims == ("time", "commissioner"),
                  "panels/commissioner/%s dims are %s" % (v, ds[v].dims))
    say("xarray (h5netcdf) opens panels/commissioner with dims (time, commissioner)")
    import h5py
    with h5py.File(path, "r") as f:
        has_agencies = "panels" in f and "agency" in f["panels"]
    if has_agencies:
        with xr.open_dataset(path, group="panels/agency", engine="h5netcdf") as ds:
            check(list(ds.data_vars), "panels/agency has no variables in xarray")
            for v in ds.data_vars:
                check(ds[v].dims == ("time", "agency"),
                      "panels/agency/%s dims are %s" % (v, ds[v].dims))
            check(ds.sizes["time"] == MONTHS, "panels/agency time is %d long" % ds.sizes["time"])
            n = ds.sizes["agency"]
        with xr.open_dataset(path, group="entities/agency", engine="h5netcdf") as ds:
            check(ds.sizes["agency"] == n, "entities/agency has %d rows, panels %d"
                  % (ds.sizes["agency"], n))
            check(all(isinstance(s, str) for s in ds["name"].values), "agency names not str")
        say("xarray (h5netcdf) opens panels/agency with dims (time, agency) and entities/agency")
    else:
        say("no agency panels in this file")
    with xr.open_dataset(path, group="entities/provider", engine="h5netcdf") as ds:
        check(all(isinstance(s, str) for s in ds["name"].values), "provider names not str")
    with xr.open_dataset(path, engine="h5netcdf") as ds:
        check("qmsim_version" in ds.attrs, "root attributes not seen by xarray")
    say("xarray (h5netcdf) opens the root group and entities/provider")


def check_summary(qmsim, path, f, series_names):
    import numpy as np
    out = run([qmsim, "summary", path, "--format", "json"])
    try:
        s = json.loads(out)
    except ValueError as e:
        raise Failure("summary --format json is not JSON (%s):\n%s" % (e, out[:500]))
    for k in ("scenario", "seed", "replicate", "months", "series"):
        check(k in s, "summary JSON lacks %s" % k)
    check(s["months"] == MONTHS and s["seed"] == 7, "summary months/seed wrong: %s/%s"
          % (s["months"], s["seed"]))
    check(sorted(s["series"]) == sorted(series_names), "summary lists other series")
    for n, st in s["series"].items():
        x = f["series"][n][()]
        for k, want in (("total", x.sum()), ("min", x.min()), ("max", x.max()),
                        ("final", x[-1]), ("mean", x.mean())):
            got = st[k]
            check(got is not None and math.isclose(got, float(want), rel_tol=1e-9, abs_tol=1e-9),
                  "summary %s.%s is %s, file says %s" % (n, k, got, want))
    say("qmsim summary --format json parses and matches the file for %d series"
        % len(s["series"]))
    for n, st in s["series"].items():
        check(st.get("unit") == f["series"][n].attrs["units"].decode()
              if isinstance(f["series"][n].attrs["units"], bytes)
              else st.get("unit") == f["series"][n].attrs["units"],
              "summary %s names unit %s" % (n, st.get("unit")))
    check(set(s["key_outcomes"]) >= {"tender_share", "trust", "agency_fees"},
          "summary JSON lacks key outcomes")
    say("qmsim summary --format json names each series' unit and gives the key outcomes")
    text = run([qmsim, "summary", path])
    check("Key outcomes" in text and "Events over the run" in text,
          "summary text lacks its key outcomes or events")
    check(len(text.splitlines()) <= 50, "summary text is longer than a screen")
    text = run([qmsim, "summary", path, "--all"])
    check(all(n in text for n in series_names), "summary --all lacks a series")
    say("qmsim summary (text, one screen) and --all (every series) run")


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    qmsim = os.path.abspath(sys.argv[1])
    source_dir = os.path.abspath(sys.argv[2])
    try:
        import h5py
    except ImportError as e:
        print("FAIL: h5py is needed: %s" % e, file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="qmsim_py_") as tmp:
        path = os.path.join(tmp, "out.h5")
        try:
            run([qmsim, "run", "-o", path, "--months", str(MONTHS), "--quiet", "--seed", "7"])
            check(os.path.exists(path), "qmsim run wrote no %s" % path)
            check(not os.path.exists(path + ".partial"), "%s.partial left behind" % path)
            say("qmsim run wrote %s and no .partial" % path)
            with h5py.File(path, "r") as f:
                check_root(f)
                names = check_series(f)
                check_finite(f)
                sizes = check_entities_and_panels(f)
                check_events(f, sizes)
                check_docs(source_dir, f)
                check_xarray(path, names)
                check_summary(qmsim, path, f, names)
        except Failure as e:
            print("FAIL: %s" % e, file=sys.stderr)
            return 1
        except Exception:  # a reader raising is a failure of the layout too
            import traceback
            print("FAIL: unexpected error while reading the output:\n%s"
                  % traceback.format_exc(), file=sys.stderr)
            return 1
    print("all output layout checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
