"""The window's update note: shown for a verified newer release, never for a rejected manifest."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from pytestqt.qtbot import QtBot

from core.app import CoreApp
from core.updates import canonical_bytes
from desktop.update_notice import check_for_updates
from desktop.window import MainWindow
from tests.desktop.conftest import Loop
from tests.fakes.release_host import ReleaseHost, release_host

KEY = Ed25519PrivateKey.generate()
PUBLIC = base64.b64encode(
    KEY.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
).decode()
SHA = "0123456789abcdef" * 4
URL = "https://downloads.example.org/cryptoorchestrator-9.0.0-linux-x86_64.tar.gz"


def _document(**fields: Any) -> bytes:
    manifest = {"version": "9.0.0", "url": URL, "sha256": SHA} | fields
    signature = base64.b64encode(KEY.sign(canonical_bytes(manifest))).decode()
    return json.dumps({"format": 1, "manifest": manifest, "signature": signature}).encode()


@pytest.fixture
def host() -> Iterator[ReleaseHost]:
    with release_host() as served:
        yield served


def _core(qloop: Loop, data_dir: Path, manifest_url: str) -> CoreApp:
    app = CoreApp(data_dir, background=False, update_keys=(PUBLIC,))
    qloop.run(app.start())
    qloop.run(app.update_settings(replace(app.settings(), update_manifest_url=manifest_url)))
    return app


def test_a_verified_newer_release_shows_its_url_and_sha256(
    qtbot: QtBot, qloop: Loop, data_dir: Path, host: ReleaseHost
) -> None:
    core = _core(qloop, data_dir, host.serve("/stable.json", _document()))
    try:
        window = MainWindow(core)
        qtbot.addWidget(window)
        window.show()
        notice = check_for_updates(window, window.ops)
        qloop.until(lambda: notice.isVisible())
        assert "9.0.0" in notice.text() and URL in notice.text() and SHA in notice.text()
        assert host.hits["/stable.json"] == 1
    finally:
        qloop.run(core.stop())


def test_a_tampered_manifest_shows_nothing_and_is_logged(
    qtbot: QtBot, qloop: Loop, data_dir: Path, host: ReleaseHost, caplog
) -> None:
    document = json.loads(_document())
    document["manifest"]["url"] = "https://evil.example.org/x.tar.gz"
    core = _core(qloop, data_dir, host.serve("/stable.json", json.dumps(document).encode()))
    try:
        window = MainWindow(core)
        qtbot.addWidget(window)
        window.show()
        with caplog.at_level(logging.WARNING, logger="core.updates"):
            notice = check_for_updates(window, window.ops)
            # One wait only: restarting the qasync loop mid-request can stall the socket.
            qloop.until(lambda: any("ignored" in r.getMessage() for r in caplog.records))
        assert host.hits["/stable.json"] == 1
        assert not notice.isVisible() and notice.text() == ""
    finally:
        qloop.run(core.stop())


def test_with_no_address_set_nothing_is_fetched(
    qtbot: QtBot, qloop: Loop, core: CoreApp, host: ReleaseHost
) -> None:
    window = MainWindow(core)
    qtbot.addWidget(window)
    notice = check_for_updates(window, window.ops)
    assert not notice.isVisible() and sum(host.hits.values()) == 0
