#!/usr/bin/env bash
# Runs every benchmark once with its defaults and prints what it measures.
# Set up first with `bash scripts/setup.sh test` (the rig and the browser peer).
# Results worth keeping go into bench/RESULTS.md by hand, with the date and machine.
set -uo pipefail
cd "$(dirname "$0")/.."
export QT_QPA_PLATFORM=offscreen
status=0
for bench in bench/rig_startup.py bench/bench_*.py; do
    echo "=== $bench"
    .venv/bin/python "$bench" || { echo "=== $bench failed"; status=1; }
done
exit $status
