"""A locked keychain gives a clear error and nothing is written anywhere."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.harness.parts import REPO, missing_part

SESSION = """
export XDG_DATA_HOME="$1"
eval "$(printf 'probe' | gnome-keyring-daemon --unlock --components=secrets 2>/dev/null)"
eval "$(gnome-keyring-daemon --start --components=secrets 2>/dev/null)"
exec "$2" -m tests.core.wallet.locked_keychain_probe "$3"
"""


def test_import_into_a_locked_keychain_is_refused_and_writes_nothing(
    tmp_path: Path, data_dir: Path
) -> None:
    for tool in ("dbus-run-session", "gnome-keyring-daemon"):
        if shutil.which(tool) is None:
            missing_part(tool)
    # A keyring of its own: locking it must not lock the one the rest of the suite uses.
    keyring_home = tmp_path / "keyring"
    keyring_home.mkdir()
    result = subprocess.run(
        [
            "dbus-run-session",
            "--",
            "bash",
            "-c",
            SESSION,
            "session",
            str(keyring_home),
            sys.executable,
            str(data_dir),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["locked"] is True
    assert report["error"]["type"] == "KeychainLockedError"
    assert (
        "locked" in report["error"]["message"]
        and "nothing was changed" in (report["error"]["message"])
    )
    assert report["phrase_error"]["type"] in ("KeychainLockedError", "KeychainUnavailableError")
    assert report["wallets"] == []
