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

# `make install PREFIX=...` after a build configured with another prefix
# (`make run` configures with /usr/local) installs where it says.
SRC=$2
grep -q "^CMAKE_INSTALL_PREFIX:PATH=$T/p2\$" "$BUILD/CMakeCache.txt" && exit 1
# -o deps: the packages are there (the build is); do not look again.
make -s -C "$SRC" -o deps install BUILD="$(cd "$BUILD" && pwd)" PREFIX="$T/p2" >/dev/null
"$T/p2/bin/qmsim" --version >/dev/null
test -f "$T/p2/include/qmsim/outfile.h"
echo "make install PREFIX=$T/p2 installed there, whatever the build was configured with"
