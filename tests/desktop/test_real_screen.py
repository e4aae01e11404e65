"""The real app on a real (virtual) screen: `make run`'s window, a screenshot, the tray."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.harness.display import Display, trayer, xvfb
from tests.harness.parts import REPO, missing_part

pytestmark = pytest.mark.xvfb


def artifacts() -> Path:
    path = Path(os.environ.get("ARTIFACTS", Path(REPO) / "artifacts"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def wait_for_window(display: Display, title: str, timeout: float = 30) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for line in display.windows().splitlines():
            if f'"{title}"' in line and "1100x720" in line:
                return line
        time.sleep(0.2)
    raise AssertionError(f"no window titled {title!r} appeared within {timeout} s")


def distinct_colours(png: Path) -> int:
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    assert not image.isNull(), f"{png} is not an image"
    colours = set()
    for y in range(0, image.height(), 7):
        for x in range(0, image.width(), 7):
            colours.add(image.pixel(x, y))
    return len(colours)


def test_the_app_opens_its_window_on_a_real_screen(data_dir: Path) -> None:
    if subprocess.run(["which", "import"], capture_output=True, check=False).returncode:
        missing_part("ImageMagick `import` for the screenshot (apt-get install imagemagick)")
    with xvfb() as display:
        app = subprocess.Popen(
            [sys.executable, "-m", "desktop", "--data-dir", str(data_dir)],
            cwd=REPO,
            env=display.env(CRYPTOORCHESTRATOR_QUIT_AFTER_MS="12000"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            wait_for_window(display, "CryptoOrchestrator")
            time.sleep(1.0)  # let the first paint land
            shot = artifacts() / "main-window.png"
            subprocess.run(
                ["import", "-window", "root", str(shot)], env=display.env(), check=True, timeout=30
            )
            assert shot.stat().st_size > 10_000
            assert distinct_colours(shot) > 8, "the screenshot is blank"
            _, err = app.communicate(timeout=60)
        finally:
            if app.poll() is None:
                app.kill()
        assert app.returncode == 0, err.decode()[-2000:]


def test_tray_icon_docks_in_a_real_tray_host(data_dir: Path) -> None:
    with xvfb() as display, trayer(display):
        result = subprocess.run(
            [sys.executable, "-m", "tests.desktop.tray_probe", str(data_dir)],
            cwd=REPO,
            env=display.env(),
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["available"] is True
    assert report["visible"] is True
    width, height = report["geometry"][2:]
    assert width > 0 and height > 0, "the tray host did not embed the icon"
    assert report["hidden_to_tray"] is True
    assert report["shown_again"] is True
    assert report["quit_requested"] is True
    assert report["closed_on_close"] is False


def test_without_a_tray_host_there_is_no_tray(data_dir: Path) -> None:
    with xvfb() as display:
        result = subprocess.run(
            [sys.executable, "-m", "tests.desktop.tray_probe", str(data_dir)],
            cwd=REPO,
            env=display.env(),
            capture_output=True,
            text=True,
            timeout=90,
            check=False,
        )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["available"] is False
    assert report["hidden_to_tray"] is False
    assert report["closed_on_close"] is True  # closing quits when there is nowhere to hide
