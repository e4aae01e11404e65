"""A real tray (Xvfb + trayer) receives an alert fired by the core's schedule while the window is
hidden, and a click on the message opens the alert's page."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.harness.display import trayer, xvfb
from tests.harness.parts import REPO

pytestmark = pytest.mark.xvfb


def test_alert_reaches_the_real_tray_and_its_click_opens_the_page(data_dir: Path) -> None:
    with xvfb() as display, trayer(display):
        result = subprocess.run(
            [sys.executable, "-m", "tests.desktop.alert_tray_probe", str(data_dir)],
            cwd=REPO,
            env=display.env(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["tray_available"] and report["tray_visible"], report
    assert report["supports_messages"], report
    assert report["armed"] and report["hidden_to_tray"], report
    assert report["fired"], "the scheduled check did not fire while hidden in the tray"
    assert "Alert: ETH@1 above 3000" in report["balloon_text"], report
    assert "ETH@1 is at 3,100 USD, above 3,000 USD" in report["balloon_text"], report
    assert report["balloon_exposed"], "the message window was not exposed by the X server"
    assert report["opened_page"] == "Portfolio" and report["window_visible"], report
    assert report["history"] == ["ETH@1 is at 3,100 USD, above 3,000 USD"]
