#!/usr/bin/env bash
# Runs the tests offscreen (real engine, real Qt widgets, fake cloud servers on loopback).
#
#   bash scripts/test.sh [PYTEST ARGS...]          the FULL suite, bundle build included (what CI runs)
#   bash scripts/test.sh --quick [PYTEST ARGS...]  the quick tier: everything but the `slow` tests
#                                                  (the same set a plain `pytest` runs)
#
# pyproject.toml's addopts deselect `slow`; the -m given here comes later on the command line, and
# pytest keeps the last -m, so an -m among PYTEST ARGS overrides both (e.g. `-m gui`).
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
select=""  # an empty -m selects every test
if [[ "${1:-}" == "--quick" ]]; then
    shift
    select="not slow"
fi
exec .venv/bin/python -m pytest -m "$select" "$@"
