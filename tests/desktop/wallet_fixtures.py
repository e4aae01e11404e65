"""Fixtures for the Wallets and Activity GUI tests: a started core on the real anvil node, the
real Secret Service, and helpers that look at what a person would see."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from core.app import CoreApp
from core.settings import ChainSettings
from desktop.bridge import CoreSignals
from desktop.operations import Operations
from desktop.pages.activity import ActivityPage
from desktop.pages.wallets_page import WalletsPage
from desktop.qt import QLabel, QLineEdit, QPlainTextEdit, QWidget
from tests.desktop.conftest import Loop
from tests.harness.anvil import AnvilNode


@pytest.fixture
def wcore(qloop: Loop, anvil: AnvilNode, data_dir: Path, secret_service: str) -> Iterator[CoreApp]:
    # A profile of its own: keychain entries of one test are never visible to another.
    app = CoreApp(data_dir, background=False, profile=f"gui-{data_dir.parent.name}")

    async def start() -> None:
        await app.start()
        chain = ChainSettings(anvil.chain_id, "Anvil", (anvil.url,), "ETH", True, True)
        await app.update_settings(replace(app.settings(), chains=(chain,), price_sources=()))
        app.sender.poll_s = 0.05

    qloop.run(start())
    yield app
    qloop.run(app.stop())


@pytest.fixture
def manual_mining(anvil: AnvilNode) -> Iterator[None]:
    anvil.rpc("evm_setAutomine", [False])
    try:
        yield
    finally:
        anvil.rpc("evm_setAutomine", [True])
        anvil.rpc("evm_mine")


class Gui:
    """The Wallets and Activity pages wired as in the window (bridge signals included)."""

    def __init__(self, core: CoreApp) -> None:
        self.ops = Operations(core)
        self.signals = CoreSignals(core)
        self.wallets = WalletsPage(core, self.ops)
        self.activity = ActivityPage(core, self.ops)
        self.signals.tx_status.connect(self.activity.transactions.on_tx_status)
        self.failures: list[str] = []
        self.signals.task_failed.connect(lambda e: self.failures.append(e.user_message))


def visible_text(widget: QWidget) -> str:
    """Every text a widget tree holds (labels, fields, text areas), hidden ones included."""
    parts = [w.text() for w in widget.findChildren(QLabel)]
    parts += [w.text() for w in widget.findChildren(QLineEdit)]
    parts += [w.toPlainText() for w in widget.findChildren(QPlainTextEdit)]
    return "\n".join(parts)


def balance(anvil: AnvilNode, address: str) -> int:
    return int(str(anvil.rpc("eth_getBalance", [address, "latest"])), 16)


async def until(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    """Wait inside a running loop. Tests with transactions in flight run their whole body in
    one ``qloop.run(...)``: stopping and restarting qasync between steps can run a queued
    callback while no loop is marked running, which breaks the background send task."""
    async with asyncio.timeout(seconds):
        while not condition():
            await asyncio.sleep(0.01)
