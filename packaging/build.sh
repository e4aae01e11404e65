#!/usr/bin/env bash
# `make package`: render the icons, build the one-folder app for this OS with PyInstaller, then
# measure it against the size budget. Prints how long each part took.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
PY="$VENV/bin/python"

"$PY" -c 'import PyInstaller' 2>/dev/null || "$PY" -m pip install -q -e ".[build]"
started=$(date +%s)
QT_QPA_PLATFORM=offscreen "$PY" packaging/make_icons.py
"$PY" -m PyInstaller --noconfirm --log-level WARN \
  --workpath build/pyinstaller --distpath dist packaging/cryptoorchestrator.spec
built=$(date +%s)
echo "package: PyInstaller took $((built - started)) s"
case "$(uname -s)" in
  Darwin) bundle=dist/CryptoOrchestrator.app ;;
  *) bundle=dist/cryptoorchestrator ;;
esac
"$PY" packaging/bundle_size.py "$bundle"
