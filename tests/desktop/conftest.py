"""GUI fixtures: a started core on a qasync loop shared with pytest-qt's QApplication."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from core.app import CoreApp

T = TypeVar("T")


class Loop:
    """Drive the qasync loop from a synchronous test (the GUI itself never awaits)."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coro)

    def until(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        async def wait() -> None:
            async with asyncio.timeout(timeout):
                while not condition():
                    await asyncio.sleep(0.01)

        self.run(wait())


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[Loop]:
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    yield Loop(loop)
    loop.close()  # also joins qasync's executor threads, which Qt would otherwise abort on
    asyncio.set_event_loop(None)


@pytest.fixture
def core(qloop: Loop, data_dir: Path) -> Iterator[CoreApp]:
    app = CoreApp(data_dir, background=False)
    qloop.run(app.start())
    yield app
    qloop.run(app.stop())
