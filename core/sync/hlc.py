"""Hybrid logical clocks: timestamps that order changes across devices whose clocks disagree.

A timestamp is (wall milliseconds, counter, device). It never goes backwards on a device, moves past
every timestamp the device has seen from others, and the device id breaks ties, so any two
timestamps are totally ordered. Encoded as a fixed-width string, the string order is the same order,
which lets the database compare them.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["HLC", "ZERO_WALL", "Clock"]

_FORMAT = re.compile(r"^(\d{15})-(\d{6})-([0-9a-z]{1,32})$")
#: the wall time of a joining device's first capture: anything the account already has wins over it
ZERO_WALL = 0
_MAX_COUNTER = 999_999
#: refuse remote timestamps this far ahead of our clock (ms): one bad clock must not poison all
_MAX_DRIFT_MS = 24 * 3600 * 1000


@dataclass(frozen=True, order=True)
class HLC:
    wall_ms: int
    counter: int
    device: str

    def encode(self) -> str:
        return f"{self.wall_ms:015d}-{self.counter:06d}-{self.device}"

    @classmethod
    def decode(cls, text: str) -> HLC:
        match = _FORMAT.match(text)
        if match is None:
            raise ValueError(f"not a hybrid logical clock timestamp: {text[:60]!r}")
        return cls(int(match.group(1)), int(match.group(2)), match.group(3))

    def __str__(self) -> str:
        return self.encode()


class Clock:
    """One device's clock. ``now()`` for a local change, ``observe()`` for every remote one."""

    def __init__(
        self, device: str, last: HLC | None = None, wall: Callable[[], int] | None = None
    ) -> None:
        if not re.fullmatch(r"[0-9a-z]{1,32}", device):
            raise ValueError("a device id is 1-32 lower-case letters or digits")
        self.device = device
        self._wall = wall or (lambda: int(time.time() * 1000))
        self._last = last or HLC(0, 0, device)

    @property
    def last(self) -> HLC:
        return self._last

    def now(self) -> HLC:
        wall = self._wall()
        if wall > self._last.wall_ms:
            stamp = HLC(wall, 0, self.device)
        else:
            stamp = self._bump(self._last.wall_ms, self._last.counter)
        self._last = stamp
        return stamp

    def observe(self, remote: HLC) -> None:
        """Move past ``remote`` so our next change orders after everything we have seen."""
        wall = self._wall()
        if remote.wall_ms > wall + _MAX_DRIFT_MS:
            # Still merged (its order is fixed by the timestamp alone), but our clock does not
            # jump a day ahead because one device's clock is wrong.
            return
        if remote.wall_ms > self._last.wall_ms or (
            remote.wall_ms == self._last.wall_ms and remote.counter > self._last.counter
        ):
            self._last = HLC(remote.wall_ms, remote.counter, self.device)

    def _bump(self, wall_ms: int, counter: int) -> HLC:
        if counter >= _MAX_COUNTER:
            return HLC(wall_ms + 1, 0, self.device)
        return HLC(wall_ms, counter + 1, self.device)
