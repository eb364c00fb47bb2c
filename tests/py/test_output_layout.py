"""Reader test: a qmsim output file opens as documented (docs/output.md)
with h5py and xarray, and `qmsim summary --format json` agrees with it.

usage: /usr/bin/python3 test_output_layout.py QMSIM SOURCE_DIR
"""
import json
import math
import os
import subprocess
import sys
import tempfile

MONTHS = 24
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
    ent = f["entities"]
    sizes = {}
    for kind in ("commissioner", "provider", "service"):
        d = ent[kind]["name"]
        names = list(d.asstr()[:])
        check(all(isinstance(s, str) for s in names), "/entities/%s/name: not str" % kind)
        # provider slots kept for entrants that never came have no name
        check(all(names) if kind != "provider" else any(names),
              "/entities/%s/name has empty names" % kind)
        check(h5py.check_string_dtype(d.dtype) is not None, "/entities/%s/name not strings" % kind)
        check("description" in d.attrs, "/entities/%s/name has no description" % kind)
        sizes[kind] = len(names)
    for var in ("kind", "entrant", "entry_month"):
        d = ent["provider"][var]
        check(d.shape == (sizes["provider"],), "/entities/provider/%s has shape %s" % (var, d.shape))
        check("description" in d.attrs, "/entities/provider/%s has no description" % var)
    say("entities: %(commissioner)d commissioners, %(provider)d providers, "
        "%(service)d services, names as str" % sizes)
    if "panels" not in f:
        say("no panels in this file")
        return sizes
    for kind in ("commissioner", "provider"):
        g = f["panels"][kind]
        n = sizes[kind]
        check(g[kind].shape == (n,), "/panels/%s/%s has shape %s" % (kind, kind, g[kind].shape))
        vars_ = [v for v in g if v not in ("time", kind)]
        for v in vars_:
            check(g[v].shape == (MONTHS, n), "/panels/%s/%s has shape %s, not %s"
                  % (kind, v, g[v].shape, (MONTHS, n)))
            check("units" in g[v].attrs and "description" in g[v].attrs,
                  "/panels/%s/%s lacks units or description" % (kind, v))
        say("%d %s panels of shape (%d, %d)" % (len(vars_), kind, MONTHS, n))
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
    say("%d events, types named %s" % (len(rows), sorted(enum)))


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
    text = run([qmsim, "summary", path])
    check(series_names[0] in text, "summary text lacks the series")
    say("qmsim summary (text) runs")


def main():
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    qmsim = os.path.abspath(sys.argv[1])
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
