#!/bin/sh
# Installs the Debian packages qmsim needs, only if missing.
#   sh scripts/deps.sh        building and running (make run, make build)
#   sh scripts/deps.sh test   and what the test suite needs (make test)
#   sh scripts/deps.sh fuzz   and clang with libFuzzer (make fuzz)
set -e
# Building and running: the compiler and libraries, Check (the unit tests
# are built with the library), libmicrohttpd for `qmsim explore` and
# libjs-chart.js for its page, gnuplot-nox for the charts of `qmsim report`,
# libdeflate-dev to deflate the run file's panels in half zlib's time,
# python3 with h5py, numpy, xarray and h5netcdf for the examples of the
# README.
PKGS="cmake make gcc pkg-config libgsl-dev libconfig-dev libhdf5-dev check \
libmicrohttpd-dev libdeflate-dev libjs-chart.js gnuplot-nox python3 python3-h5py python3-numpy \
python3-xarray python3-h5netcdf"
# The test suite adds OpenMPI (the MPI sweep runner), valgrind, Chromium driven through
# python3-websocket (the report's page and the explorer), pandas and R with
# hdf5r (the recipes of docs/analysis.md).
TEST_PKGS="openmpi-bin libopenmpi-dev valgrind \
chromium python3-websocket python3-pandas r-base-core r-cran-hdf5r"
case "${1:-}" in
test) PKGS="$PKGS $TEST_PKGS" ;;
fuzz) PKGS="$PKGS $TEST_PKGS clang-14 libclang-rt-14-dev libomp-14-dev" ;;
esac
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
