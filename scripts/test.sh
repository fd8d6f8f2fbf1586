#!/usr/bin/env bash
# Runs the whole test suite offscreen (real engine, real Qt widgets, fake cloud servers on loopback).
set -euo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest "$@"
