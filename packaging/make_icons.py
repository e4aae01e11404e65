"""Render the app icon (drawn in code by desktop/icon.py) into the files a bundle needs.

The icon has one source, the painter code, so the window, the tray and the bundle can never
drift apart. A build renders it into desktop/assets/ (ignored by git, like build/ and dist/):
a 256 px PNG for Linux desktop entries, a multi-size .ico for Windows and an .icns for macOS.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "desktop" / "assets"


def render(out_dir: Path = ASSETS) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from desktop.icon import app_icon
    from desktop.qt import make_application

    make_application()
    icon = app_icon()
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, fmt, size in (
        ("cryptoorchestrator.png", "PNG", 256),
        ("cryptoorchestrator.ico", "ICO", 256),
        ("cryptoorchestrator.icns", "ICNS", 256),
    ):
        path = out_dir / name
        if not icon.pixmap(size, size).save(str(path), fmt):
            raise SystemExit(f"Qt could not write {path} ({fmt}); is its image plugin missing?")
        written.append(path)
    return written


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    for path in render():
        print(f"icon: {path} ({path.stat().st_size} bytes)")
