#!/usr/bin/env bash
# Runs every benchmark (benchmarks/bench_*.py), one after the other, with the arguments given.
#
#   bash scripts/bench.sh --quick     each in its smoke mode: a few seconds to a minute each, figures
#                                     printed, no thresholds (CI runs this after the tests, so a
#                                     benchmark that no longer runs fails CI)
#   bash scripts/bench.sh             the full runs (minutes to an hour; figures for the README)
#
# bench_startup.py needs the bundle in dist/desktop-ocr (the full test run builds it).
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
status=0
for bench in benchmarks/bench_*.py; do
    echo "=== $bench $* ==="
    start=$(date +%s)
    if .venv/bin/python "$bench" "$@"; then
        echo "=== $bench: ok in $(( $(date +%s) - start )) s ==="
    else
        echo "=== $bench: FAILED (exit $?) ===" >&2
        status=1
    fi
done
exit $status
