"""The UI-stall probe the benchmarks share: the largest gap between ticks of a short Qt timer."""

from __future__ import annotations

import time

HEARTBEAT_MS = 5


class Heartbeat:
    """While it runs, a 5 ms timer ticks on the Qt thread; any work that blocks that thread
    shows up as a gap between ticks. ``stop()`` returns the largest gap in seconds."""

    def __init__(self, interval_ms: int = HEARTBEAT_MS) -> None:
        from desktop.qt import QTimer  # Qt only once a benchmark asks for it

        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.last = 0.0
        self.max_gap = 0.0
        self.ticks = 0

    def start(self) -> None:
        self.last, self.max_gap, self.ticks = time.perf_counter(), 0.0, 0
        self.timer.start()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.max_gap = max(self.max_gap, now - self.last)
        self.last = now
        self.ticks += 1

    def stop(self) -> float:
        self._tick()  # the gap up to now counts too (a stall at the very end)
        self.timer.stop()
        return self.max_gap
