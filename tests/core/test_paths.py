"""Data dir precedence: --data-dir, then the environment, then the chosen folder, then default."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from core.errors import ConfigError
from core.paths import ENV_DATA_DIR, choose_data_dir, chosen_data_dir, resolve_data_dir


@pytest.fixture
def homes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Private XDG config and data homes, so platformdirs never sees the real ones."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.delenv(ENV_DATA_DIR, raising=False)
    return tmp_path


def test_default_is_the_platform_data_dir(homes: Path) -> None:
    expected = (homes / "xdg-data" / "CryptoOrchestrator").resolve()
    assert resolve_data_dir() == expected
    assert expected.is_dir()


def test_precedence(homes: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chosen, env, explicit = homes / "chosen", homes / "env", homes / "explicit"

    choose_data_dir(chosen)
    assert chosen_data_dir() == chosen
    assert resolve_data_dir() == chosen.resolve()

    monkeypatch.setenv(ENV_DATA_DIR, str(env))
    assert resolve_data_dir() == env.resolve()

    assert resolve_data_dir(explicit) == explicit.resolve()
    assert resolve_data_dir(str(explicit)) == explicit.resolve()


def test_choosing_none_returns_to_the_default(homes: Path) -> None:
    choose_data_dir(homes / "chosen")
    choose_data_dir(None)
    assert chosen_data_dir() is None
    assert resolve_data_dir() == (homes / "xdg-data" / "CryptoOrchestrator").resolve()


def test_choose_refuses_relative_paths_and_files(homes: Path) -> None:
    with pytest.raises(ConfigError, match="absolute"):
        choose_data_dir(Path("relative/data"))
    a_file = homes / "a-file"
    a_file.write_text("x")
    with pytest.raises(ConfigError, match="not a folder"):
        choose_data_dir(a_file)
    assert chosen_data_dir() is None


def test_unusable_data_dir_is_a_config_error(homes: Path) -> None:
    a_file = homes / "a-file"
    a_file.write_text("x")
    with pytest.raises(ConfigError) as caught:
        resolve_data_dir(a_file / "data")
    assert "Cannot use" in caught.value.user_message
    assert caught.value.hint is not None and ENV_DATA_DIR in caught.value.hint


def test_read_only_data_dir_is_a_config_error(
    homes: Path, mount_tmpfs: Callable[[str], Path]
) -> None:
    read_only = mount_tmpfs("ro,size=64k")
    with pytest.raises(ConfigError, match="not writable"):
        resolve_data_dir(read_only)
