#!/bin/sh
# Installs the Debian packages qmsim needs to build and test, only if missing.
set -e
PKGS="cmake make gcc pkg-config libgsl-dev libconfig-dev libhdf5-dev check \
libmicrohttpd-dev libjs-chart.js \
python3 python3-h5py python3-xarray python3-h5netcdf python3-numpy \
openmpi-bin libopenmpi-dev valgrind \
gnuplot-nox chromium python3-websocket python3-pandas r-base-core r-cran-hdf5r"
# libmicrohttpd-dev is the web server of `qmsim explore` and libjs-chart.js
# the charts of its page (served from /usr/share/javascript/chart.js).
# gnuplot-nox draws the charts of `qmsim report`; chromium renders a report
# and, driven through python3-websocket, the explorer's page in the test
# suite; pandas and R with hdf5r run the recipes of docs/analysis.md.
# `sh scripts/deps.sh fuzz` (make fuzz): clang and its libFuzzer and OpenMP runtimes.
if [ "${1:-}" = fuzz ]; then
    PKGS="$PKGS clang-14 libclang-rt-14-dev libomp-14-dev"
fi
missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
        || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "qmsim: installing missing packages:$missing"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing
