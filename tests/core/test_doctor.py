"""`cryptoorchestrator doctor` reports the real keychain, the schema and each chain's RPC."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

from core.settings import ChainSettings, default_settings, save_settings
from core.storage.db import head_revision
from tests.harness.anvil import AnvilNode
from tests.harness.parts import REPO


def doctor(data_dir: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "desktop", "--data-dir", str(data_dir), "doctor", "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        check=False,
    )


def test_doctor_reports_real_secret_service_and_anvil(
    secret_service: str, anvil: AnvilNode, data_dir: Path
) -> None:
    anvil_only = (ChainSettings(anvil.chain_id, "Anvil", (anvil.url,)),)
    save_settings(data_dir, replace(default_settings(), chains=anvil_only))
    result = doctor(data_dir)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["keychain"]["usable"] is True
    assert report["keychain"]["backend"] == "keyring.backends.SecretService.Keyring"
    assert report["schema_revision"] == report["schema_head"] == head_revision()
    assert report["data_dir"] == str(data_dir.resolve())
    [chain] = report["chains"]
    assert chain["online"] is True and chain["chain_id"] == anvil.chain_id


def test_doctor_explains_what_to_do_without_a_keychain(data_dir: Path) -> None:
    env = dict(os.environ)
    env["DBUS_SESSION_BUS_ADDRESS"] = "unix:path=/nonexistent/bus"  # no Secret Service reachable
    env.pop("PYTHON_KEYRING_BACKEND", None)
    result = doctor(data_dir, env)
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["keychain"]["usable"] is False
    assert "No usable OS keychain" in report["keychain"]["message"]
    assert "gnome-keyring" in report["keychain"]["message"]
