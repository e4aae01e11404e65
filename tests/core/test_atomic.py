"""atomic_write_text: the target holds the old text or the new one, never a torn file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from core.atomic import atomic_write_text
from core.errors import StorageError


def test_replaces_content_and_leaves_no_temp_files(tmp_path: Path) -> None:
    target = tmp_path / "nested" / "settings.json"
    atomic_write_text(target, "first\n")
    atomic_write_text(target, "second ✓\n")
    assert target.read_text(encoding="utf-8") == "second ✓\n"
    assert [p.name for p in target.parent.iterdir()] == ["settings.json"]


def test_full_disk_keeps_the_original_and_says_so(mount_tmpfs: Callable[[str], Path]) -> None:
    tiny_disk = mount_tmpfs("size=64k")  # a real filesystem that a large write fills up
    target = tiny_disk / "settings.json"
    atomic_write_text(target, "original\n")

    with pytest.raises(StorageError) as caught:
        atomic_write_text(target, "x" * 1_000_000)

    assert "full" in caught.value.user_message
    assert "settings.json was not changed" in caught.value.user_message
    assert target.read_text(encoding="utf-8") == "original\n"
    assert [p.name for p in tiny_disk.iterdir()] == ["settings.json"]


def test_a_folder_that_cannot_be_made_is_a_storage_error(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(StorageError):
        atomic_write_text(blocker / "settings.json", "text")
