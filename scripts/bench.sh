#!/usr/bin/env bash
# Run every benchmark in tests/bench; each prints its figures as one JSON line last.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
export QT_QPA_PLATFORM=offscreen
status=0
for bench in tests/bench/bench_*.py; do
  echo "== $bench"
  "$VENV/bin/python" "$bench" || status=1
done
exit $status
