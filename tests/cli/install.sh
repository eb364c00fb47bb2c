#!/bin/sh
# install.sh: `make install` gives a binary, the library, the headers and a
# pkg-config file with which a program can embed the engine.
# usage: sh install.sh QMSIM SOURCE_DIR
set -e
Q=$1
BUILD=$(dirname "$Q")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cmake --install "$BUILD" --prefix "$T/prefix" >/dev/null
"$T/prefix/bin/qmsim" --version
test -f "$T/prefix/include/qmsim/qmsim.h"
PC=$(find "$T/prefix" -name qmsim.pc)
test -n "$PC"
cat >"$T/embed.c" <<'C'
#include <stdio.h>
#include <qmsim/qmsim.h>
int main(void)
{
    qm_scenario sc;
    static qm_errors err;
    char msg[256];
    if (qm_scenario_load(NULL, NULL, 0, &sc, &err) != 0)
        return 1;
    qm_sim *sim = qm_sim_create(&sc, sc.seed, 0, 1, msg, sizeof msg);
    if (!sim)
        return 1;
    for (int m = 0; m < 12; m++)
        qm_sim_step(sim);
    printf("embedded run: %d months of '%s'\n", sim->month, sc.name);
    qm_sim_free(sim);
    qm_scenario_free(&sc);
    return 0;
}
C
export PKG_CONFIG_PATH="$(dirname "$PC")"
cc -std=c11 "$T/embed.c" -o "$T/embed" $(pkg-config --cflags qmsim) $(pkg-config --libs qmsim) -Wl,-rpath,"$(pkg-config --variable=libdir qmsim)"
"$T/embed"
echo "install: binary, library, headers and pkg-config file work"

# `make install PREFIX=...` after `make run` (which configures with the
# default prefix, /usr/local, kept in the CMake cache) installs under PREFIX
# and nowhere else.  In a copy of the source tree in $T, so that the run's
# file and the build stay there.
SRC=$(cd "$2" && pwd)
mkdir "$T/src"
if git -C "$SRC" rev-parse --git-dir >/dev/null 2>&1; then
    (cd "$SRC" && git ls-files -z --cached --others --exclude-standard \
        | xargs -0 cp --parents -t "$T/src" 2>/dev/null) || true
else
    (cd "$SRC" && tar cf - --exclude='./build*' --exclude=./.git .) | (cd "$T/src" && tar xf -)
fi
test -f "$T/src/Makefile"
before=$(ls -l --time-style=+%s /usr/local/bin/qmsim 2>/dev/null || echo none)
# -o deps: the packages are there (the build is); do not look again.
make -s -C "$T/src" -o deps run BUILD=b >"$T/run.log" 2>&1 || { cat "$T/run.log"; exit 1; }
test -s "$T/src/qmsim-out.h5"
grep -q '^CMAKE_INSTALL_PREFIX:PATH=/usr/local$' "$T/src/b/CMakeCache.txt"
make -s -C "$T/src" -o deps install BUILD=b PREFIX="$T/p2" >"$T/install.log" 2>&1 \
    || { cat "$T/install.log"; exit 1; }
"$T/p2/bin/qmsim" --version >/dev/null
test -f "$T/p2/include/qmsim/outfile.h"
test -f "$T/p2/share/qmsim/scenarios/baseline.cfg"
after=$(ls -l --time-style=+%s /usr/local/bin/qmsim 2>/dev/null || echo none)
[ "$before" = "$after" ] || { echo "FAIL: /usr/local/bin/qmsim changed"; exit 1; }
echo "make install PREFIX=$T/p2 after make run installed there, not in /usr/local"
