#!/bin/sh
# docs_sync.sh: the generated reference in docs/scenarios.md (everything
# from "# Reference" on) is exactly what `qmsim params --markdown` prints,
# so the documentation of every key cannot drift from the code.
# usage: sh docs_sync.sh QMSIM SOURCE_DIR
Q=$1
SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
sed -n '/^# Reference$/,$p' "$SRC/docs/scenarios.md" | tail -n +3 >"$T/doc"
"$Q" params --markdown >"$T/gen"
if ! cmp -s "$T/doc" "$T/gen"; then
    echo "FAIL: docs/scenarios.md is out of date; regenerate its reference with"
    echo "      qmsim params --markdown"
    diff "$T/doc" "$T/gen" | head -20
    exit 1
fi
echo "docs/scenarios.md reference matches qmsim params --markdown"
