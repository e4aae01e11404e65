"""A plain-Python event bus with weak receivers.

The desktop's Qt adapter subscribes once and re-emits events as signals; the CLI may subscribe to
print progress. Receivers are held weakly so a closed page never keeps itself alive through the bus.
"""

from __future__ import annotations

import inspect
import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["ChainStatusChanged", "CoreEvent", "EventBus", "SettingsChanged", "TaskFailed"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CoreEvent:
    """Base class of every event; subclasses are small frozen dataclasses."""


@dataclass(frozen=True)
class TaskFailed(CoreEvent):
    task_name: str
    title: str
    user_message: str


@dataclass(frozen=True)
class ChainStatusChanged(CoreEvent):
    chain_id: int
    chain_name: str
    online: bool
    block_number: int | None = None
    latency_ms: float | None = None
    error: str | None = None


@dataclass(frozen=True)
class SettingsChanged(CoreEvent):
    changed: tuple[str, ...] = field(default_factory=tuple)


Receiver = Callable[[Any], None]


class _Strong:
    """A strong reference with the same call shape as a weakref (until unsubscribed)."""

    __slots__ = ("_target",)

    def __init__(self, target: Receiver) -> None:
        self._target = target

    def __call__(self) -> Receiver:
        return self._target


class EventBus:
    """Publish events to receivers subscribed by event type (subclasses included)."""

    def __init__(self) -> None:
        self._receivers: list[tuple[type[CoreEvent], Callable[[], Any]]] = []

    def subscribe(self, event_type: type[CoreEvent], receiver: Receiver) -> None:
        ref: Callable[[], Any]
        if inspect.ismethod(receiver):
            ref = weakref.WeakMethod(receiver)
        elif inspect.isfunction(receiver):
            ref = weakref.ref(receiver)
        else:
            # Builtin bound methods (list.append) and partials cannot be held weakly: a weak
            # reference would die at once and the receiver would silently hear nothing.
            ref = _Strong(receiver)
        self._receivers.append((event_type, ref))

    def unsubscribe(self, receiver: Receiver) -> None:
        self._receivers = [(t, r) for t, r in self._receivers if r() not in (None, receiver)]

    def publish(self, event: CoreEvent) -> None:
        # Iterate over a copy: a receiver may subscribe or unsubscribe while it is called.
        for event_type, ref in list(self._receivers):
            receiver = ref()
            if receiver is None:
                continue
            if isinstance(event, event_type):
                try:
                    receiver(event)
                except Exception:
                    # A broken receiver must not stop the others from hearing the event.
                    log.exception("event receiver failed for %s", type(event).__name__)
        self._receivers = [(t, r) for t, r in self._receivers if r() is not None]

    def receiver_count(self) -> int:
        return sum(1 for _, ref in self._receivers if ref() is not None)
