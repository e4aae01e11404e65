"""The event bus: delivery by type, weak receivers, and isolation of a broken receiver."""

from __future__ import annotations

import gc
import logging
import weakref

import pytest

from core.events import ChainStatusChanged, CoreEvent, EventBus, SettingsChanged, TaskFailed


class Page:
    """Stands in for a GUI page that listens while it is alive."""

    def __init__(self) -> None:
        self.heard: list[CoreEvent] = []

    def on_event(self, event: CoreEvent) -> None:
        self.heard.append(event)


FAILED = TaskFailed("refresh", "Network problem", "RPC down")
CHANGED = SettingsChanged(("fiat",))


def test_receivers_hear_their_type_and_its_subclasses_only() -> None:
    bus = EventBus()
    everything: list[CoreEvent] = []
    failures: list[CoreEvent] = []
    bus.subscribe(CoreEvent, everything.append)
    bus.subscribe(TaskFailed, failures.append)

    bus.publish(FAILED)
    bus.publish(CHANGED)

    assert everything == [FAILED, CHANGED]
    assert failures == [FAILED]


def test_a_bound_method_of_a_deleted_object_is_dropped() -> None:
    bus = EventBus()
    page = Page()
    bus.subscribe(CoreEvent, page.on_event)
    assert bus.receiver_count() == 1
    bus.publish(CHANGED)
    assert page.heard == [CHANGED]

    del page
    gc.collect()

    assert bus.receiver_count() == 0
    bus.publish(CHANGED)  # must not fail on the dead reference
    assert bus.receiver_count() == 0


def test_the_bus_does_not_keep_a_page_alive() -> None:
    bus = EventBus()
    page = Page()
    bus.subscribe(CoreEvent, page.on_event)

    alive = weakref.ref(page)
    del page
    gc.collect()
    assert alive() is None


def test_builtin_methods_are_held_strongly_so_they_keep_hearing() -> None:
    bus = EventBus()
    heard: list[CoreEvent] = []
    bus.subscribe(CoreEvent, heard.append)
    gc.collect()
    bus.publish(CHANGED)
    assert heard == [CHANGED]


def test_one_failing_receiver_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    bus = EventBus()
    before: list[CoreEvent] = []
    after: list[CoreEvent] = []

    def broken(event: CoreEvent) -> None:
        raise RuntimeError("receiver bug")

    bus.subscribe(CoreEvent, before.append)
    bus.subscribe(CoreEvent, broken)
    bus.subscribe(CoreEvent, after.append)

    with caplog.at_level(logging.ERROR, logger="core.events"):
        bus.publish(FAILED)

    assert before == [FAILED] and after == [FAILED]
    assert "event receiver failed for TaskFailed" in caplog.text
    assert bus.receiver_count() == 3


def test_unsubscribe_stops_delivery() -> None:
    bus = EventBus()
    page = Page()
    bus.subscribe(ChainStatusChanged, page.on_event)
    bus.unsubscribe(page.on_event)
    bus.publish(ChainStatusChanged(1, "Ethereum", True))
    assert page.heard == []
    assert bus.receiver_count() == 0


def test_a_receiver_may_unsubscribe_itself_while_handling_an_event() -> None:
    bus = EventBus()
    heard: list[CoreEvent] = []

    def once(event: CoreEvent) -> None:
        heard.append(event)
        bus.unsubscribe(once)

    bus.subscribe(CoreEvent, once)
    bus.publish(CHANGED)
    bus.publish(CHANGED)
    assert heard == [CHANGED]
