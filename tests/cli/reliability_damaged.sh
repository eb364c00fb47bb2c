#!/bin/sh
# reliability_damaged.sh: a file whose data is damaged is never used as
# good.  50 bytes inside the first compressed chunk of a run file, of a
# sweep result and of a sweep shard are overwritten; every reader (summary,
# report, compare --from-files, sensitivity, compare --from-sweep, merge)
# refuses it with one line naming the file and the dataset, exits non-zero
# and writes nothing (docs/reliability.md).  The chunk is found by a small
# C program against HDF5; exit 77 (skip) without a C compiler.
# usage: sh reliability_damaged.sh QMSIM SOURCE_DIR
Q=$1
SRC=$2
case $Q in /*) ;; *) Q=$(pwd)/$Q ;; esac
case $SRC in /*) ;; *) SRC=$(pwd)/$SRC ;; esac
. "$(dirname "$0")/lib/common.sh"
cd "$T" || exit 1

# chunk FILE: "OFFSET SIZE /DATASET" of the first chunk of the first
# compressed dataset of FILE.
cat >chunk.c <<'EOF'
#include <hdf5.h>
#include <stdio.h>
static int visit(hid_t loc, const char *name, const H5O_info_t *info, void *out)
{
    (void)out;
    if (info->type != H5O_TYPE_DATASET)
        return 0;
    hid_t d = H5Dopen2(loc, name, H5P_DEFAULT), p = H5Dget_create_plist(d);
    hid_t s = H5Dget_space(d);
    hsize_t n = 0, size = 0;
    haddr_t addr = 0;
    unsigned mask;
    int found = H5Pget_layout(p) == H5D_CHUNKED && H5Pget_nfilters(p) > 0
        && H5Dget_num_chunks(d, s, &n) >= 0 && n > 0
        && H5Dget_chunk_info(d, s, 0, NULL, &mask, &addr, &size) >= 0 && size > 100;
    if (found)
        printf("%llu %llu /%s\n", (unsigned long long)addr, (unsigned long long)size, name);
    H5Sclose(s);
    H5Pclose(p);
    H5Dclose(d);
    return found;
}
int main(int argc, char **argv)
{
    hid_t f = argc == 2 ? H5Fopen(argv[1], H5F_ACC_RDONLY, H5P_DEFAULT) : -1;
    return f >= 0 && H5Ovisit(f, H5_INDEX_NAME, H5_ITER_NATIVE, visit, NULL) > 0 ? 0 : 1;
}
EOF
if ! command -v cc >/dev/null 2>&1 || ! pkg-config --exists hdf5 2>/dev/null \
    || ! cc -std=c11 chunk.c -o chunk $(pkg-config --cflags --libs hdf5) 2>cc.err; then
    echo "skip: cannot build the chunk finder (a C compiler and HDF5's headers): $(cat cc.err 2>/dev/null)"
    exit 77
fi

# damage FILE: overwrites 50 bytes a quarter into its first compressed
# chunk; prints the dataset's name.
damage() {
    set -- $(./chunk "$1") "$1"
    [ $# -eq 4 ] || { echo "FAIL: no compressed chunk in $1" >&2; return 1; }
    head -c 50 /dev/zero | tr '\0' '\377' \
        | dd of="$4" bs=1 seek=$(($1 + $2 / 4)) conv=notrunc 2>/dev/null
    echo "$3"
}

cat >sweep.cfg <<'EOF'
base = "baseline";
set = ["months=24"];
design = "sobol";
samples = 8;
seed = 9;
factors = (
  { path = "policy.tender_pressure"; range = [0.0, 1.0]; },
  { path = "decision.beta_tender0"; range = [1.0, 4.0]; }
);
outcomes = ( { name = "tenders"; series = "decisions_tender"; reduce = "sum"; } );
series = ["spend"];
EOF
"$Q" run -q --months 24 -o good.h5 && cp good.h5 run.h5 \
    && "$Q" sweep sweep.cfg -q -o sweep.h5 \
    && "$Q" sweep sweep.cfg -q -o shard0.h5 --shard 0/2 \
    && "$Q" sweep sweep.cfg -q -o shard1.h5 --shard 1/2 \
    || { echo "FAIL: cannot make the inputs"; exit 1; }
# The readers accept the files whole (so what follows tests the damage).
check "sensitivity reads the whole sweep" "$Q" sensitivity sweep.h5
check "summary reads the whole run" "$Q" summary run.h5

ds_run=$(damage run.h5) && ds_sweep=$(damage sweep.h5) && ds_shard=$(damage shard0.h5) \
    || exit 1
echo "damaged: run.h5 $ds_run, sweep.h5 $ds_sweep, shard0.h5 $ds_shard"

# refused CODE FILE DATASET CMD...: CMD exits CODE with one line naming FILE
# as damaged at DATASET.
refused() {
    code=$1 file=$2 ds=$3; shift 3
    expect "$code" "$file is damaged: $ds cannot be read" "$@"
    [ "$(wc -l <"$T/err")" -eq 1 ] || { echo "FAIL: more than one line"; fail=1; }
}
refused 2 run.h5 "$ds_run" "$Q" summary run.h5
refused 2 run.h5 "$ds_run" "$Q" report run.h5 -o report.html
no_output "$T/report.html"
refused 2 run.h5 "$ds_run" "$Q" compare --from-files run.h5 good.h5 -o cmp.h5
no_output "$T/cmp.h5"
refused 2 sweep.h5 "$ds_sweep" "$Q" sensitivity sweep.h5
refused 2 sweep.h5 "$ds_sweep" "$Q" compare --from-sweep sweep.h5
refused 2 shard0.h5 "$ds_shard" "$Q" merge merged.h5 shard0.h5 shard1.h5
no_output "$T/merged.h5"

[ $fail -eq 0 ] && echo "a damaged file is refused by every reader" || exit 1
