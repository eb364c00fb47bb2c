#!/usr/bin/env python3
"""h5same.py A.h5 B.h5: exit 0 when two sweep results hold the same data.

Every dataset and every attribute (of the root, groups and datasets) must
be equal, bit for bit, except /runs/wall_time, which only has to have the
same shape.  Prints the first differences and exits 1 otherwise."""
import sys

import h5py
import numpy as np

IGNORE_VALUES = {"runs/wall_time"}


def attrs_of(obj):
    out = {}
    for k, v in obj.attrs.items():
        out[k] = v.tobytes() if isinstance(v, np.ndarray) and v.dtype.kind != "O" else repr(v)
    return out


def walk(f):
    items = {"/": f}
    f.visititems(lambda name, obj: items.__setitem__(name, obj))
    return items


def main(a_path, b_path):
    problems = []
    with h5py.File(a_path, "r") as a, h5py.File(b_path, "r") as b:
        ia, ib = walk(a), walk(b)
        for name in sorted(set(ia) | set(ib)):
            if name not in ia or name not in ib:
                problems.append(f"{name}: only in {a_path if name in ia else b_path}")
                continue
            x, y = ia[name], ib[name]
            if attrs_of(x) != attrs_of(y):
                keys = {k for k in set(attrs_of(x)) | set(attrs_of(y))
                        if attrs_of(x).get(k) != attrs_of(y).get(k)}
                problems.append(f"{name}: attributes differ: {sorted(keys)}")
            if isinstance(x, h5py.Dataset):
                if x.shape != y.shape or x.dtype != y.dtype:
                    problems.append(f"{name}: shape or type differ: {x.shape} {x.dtype} vs {y.shape} {y.dtype}")
                elif x.dtype.kind == "O":   # strings: by value, not by pointer
                    if x[()].tolist() != y[()].tolist():
                        problems.append(f"{name}: strings differ")
                elif name not in IGNORE_VALUES and x[()].tobytes() != y[()].tobytes():
                    bad = np.argwhere(~((x[()] == y[()]) | (np.isnan(x[()]) & np.isnan(y[()])))
                                      if x.dtype.kind == "f" else (x[()] != y[()]))
                    problems.append(f"{name}: values differ at {bad[:5].tolist()}")
    for p in problems[:20]:
        print(f"DIFF {a_path} {b_path}: {p}")
    return 1 if problems else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2]))
