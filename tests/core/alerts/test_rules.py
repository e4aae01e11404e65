"""Rule evaluation as pure functions: crossings fire, cooldowns and hysteresis hold."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from core.alerts.rules import (
    AssetRef,
    Rule,
    RuleState,
    drawdown_pct,
    evaluate_event,
    evaluate_threshold,
    metric_for_move,
    pct_change,
)

T0 = datetime(2026, 1, 1, tzinfo=UTC)
ETH = AssetRef(1, "native", "ETH")


def rule(kind: str = "price_above", level: str = "100", cooldown: int = 600, hyst: str = "1"):
    return Rule(
        kind=kind,  # type: ignore[arg-type]
        name="t",
        threshold=Decimal(level),
        asset=ETH,
        cooldown_s=cooldown,
        hysteresis_pct=Decimal(hyst),
        id=1,
    )


def run(r: Rule, series: list[tuple[int, Decimal]]) -> list[int]:
    """Feed (seconds since T0, value) readings; return the seconds at which the rule fired."""
    state = RuleState()
    fired = []
    for second, value in series:
        decision = evaluate_threshold(r, state, value, T0 + timedelta(seconds=second))
        state = decision.state
        if decision.fired:
            fired.append(second)
    return fired


prices = st.decimals(min_value=50, max_value=150, places=2, allow_nan=False, allow_infinity=False)
steps = st.integers(min_value=1, max_value=400)


@st.composite
def series(draw: st.DrawFn) -> list[tuple[int, Decimal]]:
    values = draw(st.lists(prices, min_size=1, max_size=80))
    gaps = draw(st.lists(steps, min_size=len(values), max_size=len(values)))
    moments, now = [], 0
    for gap in gaps:
        now += gap
        moments.append(now)
    return list(zip(moments, values, strict=True))


@settings(max_examples=300, deadline=None)
@given(series(), st.integers(min_value=0, max_value=3000), st.sampled_from(["above", "below"]))
def test_never_fires_twice_inside_the_cooldown(
    readings: list[tuple[int, Decimal]], cooldown: int, side: str
) -> None:
    r = rule("price_above" if side == "above" else "price_below", cooldown=cooldown)
    fired = run(r, readings)
    for earlier, later in itertools.pairwise(fired):
        assert later - earlier >= cooldown


@settings(max_examples=300, deadline=None)
@given(series())
def test_fires_only_when_the_condition_holds(readings: list[tuple[int, Decimal]]) -> None:
    r = rule("price_above", cooldown=0)
    values = dict(readings)
    for second in run(r, readings):
        assert values[second] >= Decimal(100)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(prices.filter(lambda p: p < Decimal("99")), min_size=1, max_size=10),
    st.decimals(min_value=100, max_value=200, places=2),
)
def test_fires_on_the_first_crossing(below: list[Decimal], above: Decimal) -> None:
    """From below the re-arm level, the first reading at or beyond the level fires."""
    readings = [(i * 60, v) for i, v in enumerate([*below, above])]
    assert run(rule("price_above"), readings) == [readings[-1][0]]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.decimals(min_value="99.01", max_value=120, places=2), min_size=1, max_size=60))
def test_hovering_at_the_level_fires_once(hover: list[Decimal]) -> None:
    """Even with no cooldown, a price wobbling around the level inside the hysteresis band
    (1 % of 100) fires once, not on every wobble."""
    readings = [(i * 60, v) for i, v in enumerate([Decimal(90), *hover, Decimal(101)])]
    assert len(run(rule("price_above", cooldown=0), readings)) == 1


def test_first_reading_beyond_the_level_waits_for_a_crossing() -> None:
    r = rule("price_above", cooldown=0)
    assert run(r, [(0, Decimal(120)), (60, Decimal(125))]) == []
    state = evaluate_threshold(r, RuleState(), Decimal(120), T0).state
    assert state.status == "condition already holds; fires at the next crossing"
    assert run(r, [(0, Decimal(120)), (60, Decimal(90)), (120, Decimal(101))]) == [120]


def test_crossing_inside_the_cooldown_fires_after_it_if_it_still_holds() -> None:
    r = rule("price_above", cooldown=600, hyst="0")
    readings = [(0, Decimal(90)), (60, Decimal(110)), (120, Decimal(90)), (180, Decimal(110))]
    readings += [(400, Decimal(110)), (700, Decimal(110))]
    assert run(r, readings) == [60, 700]


def test_below_rule_mirrors_above() -> None:
    r = rule("price_below", level="100")
    assert run(r, [(0, Decimal(110)), (60, Decimal(100)), (120, Decimal(95))]) == [60]


def test_missing_value_never_fires_and_says_why() -> None:
    decision = evaluate_threshold(rule(), RuleState(armed=True), None, T0, missing="no price")
    assert not decision.fired
    assert decision.state.status == "no price"


def test_pct_change_needs_samples_reaching_back_to_the_window_start() -> None:
    samples = [(T0, Decimal(100)), (T0 + timedelta(minutes=30), Decimal(106))]
    now = T0 + timedelta(minutes=30)
    assert pct_change(samples, now, 3600) is None  # only 30 min of history for a 1 h window
    assert pct_change(samples, now, 1800) == Decimal(6)
    assert metric_for_move(Decimal(-7), "down") == Decimal(7)
    assert metric_for_move(Decimal(-7), "up") == Decimal(-7)
    assert metric_for_move(Decimal(-7), "either") == Decimal(7)


def test_pct_move_rule_message_shows_the_signed_move() -> None:
    r = Rule(
        kind="pct_move",
        name="m",
        threshold=Decimal(5),
        asset=ETH,
        window_s=3600,
        direction="down",
        cooldown_s=0,
        id=1,
    )
    armed = RuleState(armed=True)
    decision = evaluate_threshold(r, armed, Decimal("6.5"), T0, shown=Decimal("-6.5"))
    assert decision.fired
    assert "moved -6.50% within 1 h" in decision.message


def test_drawdown_from_the_peak_inside_the_window() -> None:
    points = [
        (T0, Decimal(2000)),
        (T0 + timedelta(days=2), Decimal(1000)),
        (T0 + timedelta(days=3), Decimal(900)),
    ]
    now = T0 + timedelta(days=3)
    assert drawdown_pct(points, now, None) == Decimal(55)
    assert drawdown_pct(points, now, 2 * 86400) == Decimal(10)  # peak 1000 inside 2 days
    assert drawdown_pct([], now, None) is None


def test_event_rules_fire_on_their_outcome_only() -> None:
    confirmed = rule("tx_confirmed", cooldown=0)
    state = RuleState()
    assert not evaluate_event(confirmed, state, "failed", "#1", T0).fired
    decision = evaluate_event(confirmed, state, "confirmed", "#1", T0)
    assert decision.fired and decision.message == "transaction #1 confirmed"
