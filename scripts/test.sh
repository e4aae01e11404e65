#!/usr/bin/env bash
# Run the test suite with its real parts: npm-installed anvil and solc, a private D-Bus session
# with a real Secret Service (gnome-keyring-daemon), Qt offscreen. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}

if [ ! -x node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil ] || [ package.json -nt node_modules/.package-lock.json ]; then
  if command -v npm >/dev/null 2>&1; then
    npm install --no-audit --no-fund --loglevel=error
  else
    echo "npm not found: tests that need anvil/solc will skip (and fail under CI=true)" >&2
  fi
fi

export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1
ARTIFACTS=${ARTIFACTS:-$PWD/artifacts}
mkdir -p "$ARTIFACTS"
export ARTIFACTS

run_pytest() {
  set +e
  "$VENV/bin/python" -m pytest "$@"
  local rc=$?
  set -e
  # pytest exits 5 when nothing was collected (e.g. a -k that matches nothing): not a failure.
  [ "$rc" -eq 5 ] && rc=0
  return "$rc"
}

if [ "${1:-}" = "--inside-session" ]; then
  shift
  # A fresh keyring home per run so no secret from an earlier run (or the developer's own
  # keyring) is ever visible to the tests.
  XDG_DATA_HOME=$(mktemp -d)
  export XDG_DATA_HOME
  # A private runtime dir too: gnome-keyring finds its daemon through $XDG_RUNTIME_DIR/keyring,
  # so two runs at once (two terminals, parallel CI jobs) would otherwise talk to each other's.
  XDG_RUNTIME_DIR=$(mktemp -d)
  chmod 700 "$XDG_RUNTIME_DIR"
  export XDG_RUNTIME_DIR
  if command -v gnome-keyring-daemon >/dev/null 2>&1; then
    eval "$(printf 'test-run' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
    eval "$(gnome-keyring-daemon --start --components=secrets 2>/dev/null)"
    export GNOME_KEYRING_CONTROL
  fi
  run_pytest "$@"
  exit $?
fi

if command -v dbus-run-session >/dev/null 2>&1; then
  exec dbus-run-session -- "$0" --inside-session "$@"
fi
echo "dbus-run-session not found: keychain tests will skip (and fail under CI=true)" >&2
run_pytest "$@"
