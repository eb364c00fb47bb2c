#!/bin/sh
# help_texts.sh: every subcommand's --help and the messages of its option
# parser (unknown options, missing or bad values) are word for word what
# tests/cli/help/expected.txt holds: the texts come from one table
# (src/cli/options.c) and must not drift (the version is left out).  After an intended change of a
# text, regenerate the transcript with
#   sh tests/cli/help_texts.sh build/qmsim . --update
# usage: sh help_texts.sh QMSIM SOURCE_DIR [--update]
Q=$1
SRC=$2
case $Q in /*) ;; *) Q=$(pwd)/$Q ;; esac
case $SRC in /*) ;; *) SRC=$(pwd)/$SRC ;; esac
. "$(dirname "$0")/lib/common.sh"
H=$SRC/tests/cli/help
cd "$T" || exit 1
grep -v '^#' "$H/cases.txt" | while IFS= read -r args; do
    echo "\$ qmsim $args"
    # shellcheck disable=SC2086
    "$Q" $args >out 2>err </dev/null
    echo "[exit $?]"
    echo "[stdout]"
    sed 's/^qmsim [0-9][0-9.]*: /qmsim VERSION: /' out
    echo "[stderr]"
    cat err
done >transcript.txt
if [ "${3:-}" = "--update" ]; then
    cp transcript.txt "$H/expected.txt"
    echo "wrote $H/expected.txt"
    exit 0
fi
if ! diff -u "$H/expected.txt" transcript.txt >diff.txt; then
    echo "FAIL: help texts or messages differ from tests/cli/help/expected.txt:"
    head -60 diff.txt
    exit 1
fi
echo "help texts and option messages: $(grep -c '^\$ qmsim' transcript.txt) commands as recorded"
