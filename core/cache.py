"""A two-tier cache: a small in-memory LRU in front of diskcache, with expiry and tags.

Memory answers hot reads without touching SQLite; disk keeps answers across restarts (prices,
token metadata) so an offline start still has them. Tags let a caller drop a whole family at once
(e.g. every quote for one chain) on both tiers.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import diskcache

__all__ = ["Cache"]

_MISSING = object()


class Cache:
    def __init__(
        self,
        directory: Path,
        *,
        memory_items: int = 2048,
        size_limit: int = 256 * 2**20,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._disk = diskcache.Cache(str(directory), size_limit=size_limit, tag_index=True)
        self._memory: OrderedDict[str, tuple[Any, float | None, str | None]] = OrderedDict()
        self._memory_items = memory_items
        self._clock = clock

    def get(self, key: str, default: Any = None) -> Any:
        hit = self._memory.get(key)
        if hit is not None:
            value, expires, _tag = hit
            if expires is None or expires > self._clock():
                self._memory.move_to_end(key)
                return value
            del self._memory[key]
        stored, tag = self._disk.get(key, default=_MISSING, tag=True)
        if stored is _MISSING:
            return default
        value, expires = stored
        # Expiry follows our clock on both tiers (diskcache's own expiry only reclaims space).
        if expires is not None and expires <= self._clock():
            self._disk.delete(key)
            return default
        self._remember(key, value, expires, tag)
        return value

    def set(
        self, key: str, value: Any, *, ttl: float | None = None, tag: str | None = None
    ) -> None:
        expires = self._clock() + ttl if ttl is not None else None
        self._disk.set(key, (value, expires), expire=ttl, tag=tag)
        self._remember(key, value, expires, tag)

    def _remember(self, key: str, value: Any, expires: float | None, tag: str | None) -> None:
        self._memory[key] = (value, expires, tag)
        self._memory.move_to_end(key)
        while len(self._memory) > self._memory_items:
            self._memory.popitem(last=False)

    def delete(self, key: str) -> None:
        self._memory.pop(key, None)
        self._disk.delete(key)

    def evict(self, tag: str) -> int:
        """Drop every entry with ``tag`` from both tiers; returns how many were on disk."""
        for key in [k for k, (_, _, t) in self._memory.items() if t == tag]:
            del self._memory[key]
        return int(self._disk.evict(tag))

    def clear_memory(self) -> None:
        self._memory.clear()

    def close(self) -> None:
        self._disk.close()
