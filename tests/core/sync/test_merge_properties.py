"""Convergence of the merge under random interleavings of edits, deletes, pushes and pulls."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.sync.changes import DELETED, Change
from core.sync.hlc import HLC, Clock
from core.sync.merge import merge_change, visible
from tests.core.sync.replica import Replica

DEVICES = ("a1", "b2", "c3")
RECORDS = ("r1", "r2")
FIELDS = ("name", "note")

op = st.one_of(
    st.tuples(
        st.just("edit"),
        st.sampled_from(range(3)),
        st.sampled_from(RECORDS),
        st.sampled_from(FIELDS),
        st.integers(0, 5),
    ),
    st.tuples(st.just("delete"), st.sampled_from(range(3)), st.sampled_from(RECORDS)),
    st.tuples(st.just("push"), st.sampled_from(range(3))),
    st.tuples(st.just("pull"), st.sampled_from(range(3))),
    st.tuples(st.just("tick"), st.integers(0, 3000)),
)


def _run(ops: list[tuple[Any, ...]], skews: list[int]) -> tuple[list[Replica], list[Change]]:
    now = [1_000_000]
    replicas = [
        Replica(d, (lambda s: lambda: now[0] + s)(skew))
        for d, skew in zip(DEVICES, skews, strict=True)
    ]
    server: list[Change] = []

    def push(r: Replica) -> None:
        server.extend(r.outbox)
        r.outbox.clear()

    def pull(r: Replica) -> None:
        for change in server[r.cursor :]:
            r.apply(change)
        r.cursor = len(server)

    for step in ops:
        if step[0] == "edit":
            replicas[step[1]].edit("note", step[2], {step[3]: f"{DEVICES[step[1]]}:{step[4]}"})
        elif step[0] == "delete":
            replicas[step[1]].delete("note", step[2])
        elif step[0] == "push":
            push(replicas[step[1]])
        elif step[0] == "pull":
            pull(replicas[step[1]])
        else:
            now[0] += step[1]
    for r in replicas:
        push(r)
    for r in replicas:
        pull(r)
    return replicas, server


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(op, max_size=40), st.lists(st.integers(-5000, 5000), min_size=3, max_size=3))
def test_devices_converge_whatever_the_order(ops: list[tuple[Any, ...]], skews: list[int]) -> None:
    replicas, _ = _run(ops, skews)
    first = replicas[0]
    for other in replicas[1:]:
        assert other.records == first.records
        assert other.view() == first.view()


@settings(max_examples=300, deadline=None)
@given(st.lists(op, max_size=40), st.lists(st.integers(-5000, 5000), min_size=3, max_size=3))
def test_no_edit_is_lost_silently(ops: list[tuple[Any, ...]], skews: list[int]) -> None:
    """Every head write (no later write built on it) either shows or is a recorded conflict."""
    replicas, server = _run(ops, skews)
    for r in replicas:
        for change in server:
            state = r.records[("note", change.record_id)]
            for name, value in change.fields.items():
                # A later write that saw this one (an edit of the field, or a delete of the
                # record), or saw a write of the same value, supersedes it on purpose.
                successors = [
                    c
                    for c in server
                    if (name in c.fields or DELETED in c.fields)
                    and any(
                        c.base.get(name) == w.version
                        for w in server
                        if name in w.fields and w.fields[name] == value
                    )
                ]
                if successors:
                    continue
                final = state[name]
                deleted = state.get(DELETED) is not None and state[DELETED].value is True
                if final.value == value and (name == DELETED or not deleted):
                    continue
                losers = [
                    c.loser.value
                    for c in r.conflicts
                    if c.record_id == change.record_id and c.field == name
                ]
                assert value in losers, (r.clock.device, change, final)


def test_merge_is_idempotent_and_keeps_the_greater_version() -> None:
    clock_a, clock_b = Clock("aa", wall=lambda: 10), Clock("bb", wall=lambda: 20)
    one = Change("1" * 32, "k", "r", clock_a.now(), {"x": 1}, {"x": None})
    two = Change("2" * 32, "k", "r", clock_b.now(), {"x": 2}, {"x": None})
    state, conflicts = merge_change({}, one)
    assert conflicts == []
    state, conflicts = merge_change(state, two)
    assert state["x"].value == 2
    assert [(c.winner.value, c.loser.value) for c in conflicts] == [(2, 1)]
    again, conflicts = merge_change(state, two)
    assert again == state and conflicts == []
    other, _ = merge_change(merge_change({}, two)[0], one)
    assert other == state


def test_a_write_that_saw_the_previous_one_is_no_conflict() -> None:
    clock = Clock("aa", wall=lambda: 10)
    one = Change("1" * 32, "k", "r", clock.now(), {"x": 1}, {"x": None})
    two = Change("2" * 32, "k", "r", clock.now(), {"x": 2}, {"x": one.version})
    state, _ = merge_change({}, one)
    state, conflicts = merge_change(state, two)
    assert conflicts == [] and visible(state) == {"x": 2}


def test_edit_racing_a_delete_is_recorded() -> None:
    a, b = Replica("aa", lambda: 100), Replica("bb", lambda: 200)
    created = a.edit("k", "r", {"x": 1})
    b.apply(created)
    a.delete("k", "r")
    b.edit("k", "r", {"x": 2})
    a.apply(b.outbox[0])
    b.apply(a.outbox[1])
    assert a.records == b.records
    assert a.view() == b.view() == {}
    for r in (a, b):
        assert 2 in [c.loser.value for c in r.conflicts]


def test_hlc_orders_and_round_trips() -> None:
    stamp = HLC(1_700_000_000_000, 5, "dev1")
    assert HLC.decode(stamp.encode()) == stamp
    clock = Clock("dev2", wall=lambda: 5)
    first = clock.now()
    clock.observe(HLC(9, 3, "dev9"))
    second = clock.now()
    assert second > first and second > HLC(9, 3, "dev9")
    assert second.encode() > HLC(9, 3, "dev9").encode()
    # A clock far in the future is merged but does not drag ours along.
    clock.observe(HLC(10**14, 0, "bad"))
    assert clock.now().wall_ms < 10**13
