#!/usr/bin/env bash
# Create or update the local virtual environment with everything the app and its tests need.
# Idempotent: re-running only installs what changed. Used by `make run` and `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

pick_python() {
  for candidate in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  echo "CryptoOrchestrator needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
  return 1
}

if [ ! -x "$VENV/bin/python" ]; then
  "$(pick_python)" -m venv "$VENV"
fi
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check -q)
"${PIP[@]}" install --upgrade pip setuptools wheel
# torch first and pinned: it is the largest download, and 2.13.0 is the CPU build we test against.
# (pip takes a local wheel of it when the machine has one; see README for CPU-only wheels.)
"$VENV/bin/python" -c 'import torch' 2>/dev/null || "${PIP[@]}" install "torch==2.13.0"
"${PIP[@]}" install -e ".[dev]"
touch "$VENV/.stamp-install"
