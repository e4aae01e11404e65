"""A real X server (Xvfb) and a system tray host (trayer) for tests that need a real screen."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from tests.harness.parts import missing_part


@dataclass
class Display:
    name: str  # like ":42"

    def env(self, **extra: str) -> dict[str, str]:
        env = dict(os.environ)
        env.update(DISPLAY=self.name, QT_QPA_PLATFORM="xcb", **extra)
        return env

    def windows(self) -> str:
        """The X window tree, as xwininfo prints it (names included)."""
        out = subprocess.run(
            ["xwininfo", "-root", "-tree"],
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        return out.stdout


def _free_display() -> int:
    for number in range(90, 190):
        if not os.path.exists(f"/tmp/.X11-unix/X{number}") and not os.path.exists(
            f"/tmp/.X{number}-lock"
        ):
            return number
    raise RuntimeError("no free X display number")


@contextmanager
def xvfb(width: int = 1280, height: int = 800) -> Iterator[Display]:
    for tool in ("Xvfb", "xwininfo"):
        if shutil.which(tool) is None:
            missing_part(f"{tool} (apt-get install xvfb x11-utils)")
    number = _free_display()
    process = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    display = Display(f":{number}")
    deadline = time.monotonic() + 15
    while not os.path.exists(f"/tmp/.X11-unix/X{number}"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            missing_part("Xvfb did not start")
        time.sleep(0.05)
    try:
        yield display
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def trayer(display: Display) -> Iterator[subprocess.Popen[bytes]]:
    if shutil.which("trayer") is None:
        missing_part("trayer (apt-get install trayer), the tray host for the tray test")
    process = subprocess.Popen(
        [
            "trayer",
            "--edge",
            "top",
            "--align",
            "right",
            "--widthtype",
            "pixel",
            "--width",
            "200",
            "--height",
            "32",
            "--SetDockType",
            "true",
            "--transparent",
            "false",
        ],
        env=display.env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 15
    while "panel" not in display.windows().lower() and time.monotonic() < deadline:
        if process.poll() is not None:
            missing_part("trayer exited at start")
        time.sleep(0.1)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)
