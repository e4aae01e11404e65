"""The two-tier cache: memory in front of disk, expiry, tags, a bounded memory tier.

A mutable value tells the tiers apart: the memory tier hands back the very object that was
stored, the disk tier a fresh unpickled copy.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.cache import Cache


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def cache(tmp_path: Path, clock: Clock) -> Iterator[Cache]:
    c = Cache(tmp_path / "cache", memory_items=3, clock=clock)
    try:
        yield c
    finally:
        c.close()


def test_memory_tier_answers_hot_reads(cache: Cache) -> None:
    quote = {"out": 123}
    cache.set("quote", quote)
    assert cache.get("quote") is quote

    cache.clear_memory()
    from_disk = cache.get("quote")
    assert from_disk == quote and from_disk is not quote
    assert cache.get("quote") is from_disk  # the disk hit is remembered in memory


def test_missing_key_gives_the_default(cache: Cache) -> None:
    assert cache.get("nothing") is None
    assert cache.get("nothing", "fallback") == "fallback"


def test_disk_tier_survives_a_restart(tmp_path: Path) -> None:
    first = Cache(tmp_path / "cache")
    first.set("price:ETH", "3456.78", tag="prices")
    first.close()

    second = Cache(tmp_path / "cache")
    try:
        assert second.get("price:ETH") == "3456.78"
        assert second.evict("prices") == 1  # the tag survived too
    finally:
        second.close()


def test_memory_tier_expires_by_the_injected_clock(cache: Cache, clock: Clock) -> None:
    gas = {"gwei": 30}
    cache.set("gas", gas, ttl=60)
    clock.now += 59
    assert cache.get("gas") is gas
    clock.now += 2
    assert cache.get("gas") is not gas


def test_disk_tier_expires_in_real_time(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    try:
        cache.set("gas", 30, ttl=0.01)
        time.sleep(0.05)  # only ever makes the entry older than its ttl
        cache.clear_memory()
        assert cache.get("gas") is None
    finally:
        cache.close()


def test_entries_expire_after_their_ttl(cache: Cache, clock: Clock) -> None:
    cache.set("gas", 30, ttl=60)
    clock.now += 61
    assert cache.get("gas") is None


def test_evict_drops_a_tag_from_both_tiers(cache: Cache) -> None:
    cache.set("quote:1:a", 1, tag="quotes:1")
    cache.set("quote:1:b", 2, tag="quotes:1")
    cache.set("quote:8453:a", 3, tag="quotes:8453")

    assert cache.evict("quotes:1") == 2

    assert cache.get("quote:1:a") is None and cache.get("quote:1:b") is None
    cache.clear_memory()
    assert cache.get("quote:1:a") is None
    assert cache.get("quote:8453:a") == 3


def test_delete_drops_from_both_tiers(cache: Cache) -> None:
    cache.set("k", [1])
    cache.delete("k")
    assert cache.get("k") is None


def test_memory_tier_keeps_only_the_most_recently_used(cache: Cache) -> None:
    values = {name: [name] for name in "abcd"}
    for name in "abc":
        cache.set(name, values[name])
    assert cache.get("a") is values["a"]  # touch: "b" is now the least recently used

    cache.set("d", values["d"])  # memory_items=3, so "b" leaves memory

    for name in "acd":
        assert cache.get(name) is values[name]
    from_disk = cache.get("b")
    assert from_disk == ["b"] and from_disk is not values["b"]
