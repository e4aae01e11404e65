"""Where the app keeps its files, and how a person moves them.

Order of precedence for the data directory: an explicit ``--data-dir``, then the
``CRYPTOORCHESTRATOR_DATA_DIR`` environment variable, then a location chosen in Settings (a small
pointer file in the per-user config dir, because the data dir cannot hold its own address), then
the platform default from platformdirs.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from core.atomic import atomic_write_text
from core.errors import ConfigError

__all__ = ["APP_NAME", "ENV_DATA_DIR", "choose_data_dir", "chosen_data_dir", "resolve_data_dir"]

APP_NAME = "CryptoOrchestrator"
ENV_DATA_DIR = "CRYPTOORCHESTRATOR_DATA_DIR"
_POINTER = "data-dir.txt"


def _config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def chosen_data_dir() -> Path | None:
    """The data dir picked in Settings, if any."""
    pointer = _config_dir() / _POINTER
    try:
        text = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    return Path(text) if text else None


def choose_data_dir(path: Path | None) -> None:
    """Remember a data dir for the next start (``None`` returns to the default)."""
    pointer = _config_dir() / _POINTER
    if path is None:
        pointer.unlink(missing_ok=True)
        return
    path = path.expanduser()
    if not path.is_absolute():
        raise ConfigError(f"The data folder must be an absolute path, not {str(path)!r}.")
    if path.exists() and not path.is_dir():
        raise ConfigError(f"{path} exists and is not a folder.")
    atomic_write_text(pointer, str(path) + "\n")


def resolve_data_dir(explicit: Path | str | None = None) -> Path:
    """Pick the data dir by precedence and make sure it exists and is writable."""
    if explicit:
        path = Path(explicit)
    elif os.environ.get(ENV_DATA_DIR):
        path = Path(os.environ[ENV_DATA_DIR])
    else:
        path = chosen_data_dir() or Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    path = path.expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"Cannot use {path} as the data folder: {exc.strerror or exc}.",
            hint=f"choose another with --data-dir or {ENV_DATA_DIR}",
        ) from exc
    if not os.access(path, os.W_OK):
        raise ConfigError(
            f"The data folder {path} is not writable.",
            hint=f"choose another with --data-dir or {ENV_DATA_DIR}",
        )
    return path
