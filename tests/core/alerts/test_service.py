"""The alert service on a real core and database: prices from the real price service (set by
hand-entered overrides, which win over every source), snapshots in the real tables."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.alerts import AlertRuleError, FiredAlert, RuleForm
from core.alerts.service import NO_FORECAST, AlertFired, AlertsChanged
from core.alerts.tables import AlertHistoryRow, AlertRuleRow
from core.app import CoreApp
from core.errors import CoreError
from core.portfolio.tables import HoldingRow, SnapshotRow


class Collect:
    def __init__(self) -> None:
        self.alerts: list[FiredAlert] = []

    def notify(self, alert: FiredAlert) -> None:
        self.alerts.append(alert)


class Forecasts:
    """Stands in for core/insights (built by another feature) through the published Protocol."""

    def __init__(self, values: dict[str, float | None]) -> None:
        self.values = values

    async def latest_volatility(self, symbol: str) -> float | None:
        return self.values.get(symbol)


@pytest.fixture
async def app(data_dir: Path) -> AsyncIterator[CoreApp]:
    core = CoreApp(data_dir, background=False)
    await core.start()
    yield core
    await core.stop()


async def price(app: CoreApp, value: str) -> None:
    await app.prices.set_override(1, "native", value)


async def count(app: CoreApp, table: type) -> int:
    async with app.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(table)) or 0)


async def test_price_rule_fires_on_crossing_and_records_what_triggered_it(app: CoreApp) -> None:
    seen = Collect()
    app.alerts.attach_notifier(seen)
    events: list[AlertFired] = []
    app.bus.subscribe(AlertFired, events.append)
    rule = await app.alerts.save_form(
        RuleForm("price_above", asset="ETH", threshold="3000", cooldown="0")
    )
    assert rule.asset is not None and rule.asset.key == (1, "native")
    await price(app, "2900")
    assert await app.alerts.check_now() == []
    assert app.alerts.status(rule.id or 0) == "armed, watching"
    await price(app, "3100.5")
    fired = await app.alerts.check_now()
    assert [f.value for f in fired] == [Decimal("3100.5")]
    assert seen.alerts == fired and [e.alert for e in events] == fired
    (entry,) = await app.alerts.history()
    assert entry.rule_id == rule.id and entry.threshold == Decimal(3000)
    assert entry.message == "ETH@1 is at 3,100.5 USD, above 3,000 USD"
    assert entry.page == "Portfolio" and entry.notified
    # Still above: no second alert (it must fall back past the band first).
    await price(app, "3200")
    assert await app.alerts.check_now() == []


async def test_restart_keeps_rules_history_and_cooldown(data_dir: Path) -> None:
    first = CoreApp(data_dir, background=False)
    await first.start()
    rule = await first.alerts.save_form(
        RuleForm("price_below", asset="ETH@1", threshold="2000", cooldown="1h")
    )
    await first.alerts.save_form(RuleForm("tx_failed", name="failed tx"))
    await first.prices.set_override(1, "native", "2100")
    await first.alerts.check_now()
    await first.prices.set_override(1, "native", "1900")
    assert len(await first.alerts.check_now()) == 1
    await first.alerts.set_paused(True)
    await first.stop()

    again = CoreApp(data_dir, background=False)
    await again.start()
    try:
        assert [r.name for r in again.alerts.rules.values()] == ["ETH@1 below 2000", "failed tx"]
        assert again.alerts.paused is True
        (entry,) = await again.alerts.history()
        assert entry.rule_id == rule.id and entry.value == Decimal(1900)
        # Re-armed and crossed again, but inside the hour of cooldown kept across the restart.
        await again.prices.set_override(1, "native", "2100")
        await again.alerts.check_now()
        await again.prices.set_override(1, "native", "1800")
        assert await again.alerts.check_now() == []
        status = again.alerts.status(rule.id or 0)
        assert status == "crossed inside the cooldown; fires after it if it still holds"
    finally:
        await again.stop()


@pytest.mark.parametrize(
    ("form", "message"),
    [
        (
            RuleForm("pct_move", asset="ETH", threshold="5", window="-5m"),
            "The window must be longer than zero, not -5m.",
        ),
        (
            RuleForm("price_above", asset="NOPE", threshold="1"),
            "Unknown asset 'NOPE': it is not the native coin or a known token on any enabled "
            "chain.",
        ),
        (
            RuleForm("price_above", asset="USDC@999", threshold="1"),
            "Chain 999 is not configured or not enabled.",
        ),
        (
            RuleForm("price_above", asset="ETH", threshold="-3"),
            "A price level must be more than zero.",
        ),
        (RuleForm("price_above", asset="ETH", threshold="lots"), "Level: 'lots' is not a number."),
        (
            RuleForm("pct_move", asset="ETH", threshold="5"),
            "A % move alert needs a window, e.g. 1h.",
        ),
        (
            RuleForm("drawdown", threshold="150"),
            "A drawdown is a percentage between 0 and 100 (e.g. 10).",
        ),
        (RuleForm("moon", threshold="1"), "Unknown alert kind 'moon'"),
        (
            RuleForm("swap_quote", threshold="1", swap_chain="1", swap_sell="ETH", swap_buy="x"),
            "A swap-quote alert quotes for one of your wallets",
        ),
    ],
)
async def test_bad_rules_are_refused_with_the_reason_and_nothing_is_written(
    app: CoreApp, form: RuleForm, message: str
) -> None:
    with pytest.raises(AlertRuleError) as refused:
        await app.alerts.save_form(form)
    assert refused.value.user_message.startswith(message)
    assert await count(app, AlertRuleRow) == 0
    assert app.alerts.rules == {}


async def test_editing_a_rule_to_a_bad_value_keeps_the_old_one(app: CoreApp) -> None:
    rule = await app.alerts.save_form(RuleForm("pct_move", asset="ETH", threshold="5", window="1h"))
    with pytest.raises(CoreError):
        await app.alerts.save_form(
            RuleForm("pct_move", asset="ETH", threshold="5", window="0", id=rule.id, uid=rule.uid)
        )
    (stored,) = await app.alerts.store.rules()
    assert stored.window_s == 3600


async def test_volatility_rule_without_a_forecast_source_never_fires(app: CoreApp) -> None:
    rule = await app.alerts.save_form(
        RuleForm("volatility_above", asset="ETH", threshold="80", cooldown="0")
    )
    assert await app.alerts.check_now() == []
    assert app.alerts.status(rule.id or 0) == NO_FORECAST
    source = Forecasts({"ETH": None})
    app.alerts.attach_forecasts(source)
    assert await app.alerts.check_now() == []
    assert app.alerts.status(rule.id or 0) == NO_FORECAST  # the model has nothing for ETH yet
    source.values["ETH"] = 0.95  # 95 % annualised
    (fired,) = await app.alerts.check_now()
    assert fired.value == Decimal("95.0") and fired.page == "Insights"
    assert "is 95.0% annualised, above 80%" in fired.message


async def test_drawdown_from_stored_snapshots(app: CoreApp) -> None:
    rule = await app.alerts.save_form(RuleForm("drawdown", threshold="10", window="7d"))
    assert await app.alerts.check_now() == []
    assert app.alerts.status(rule.id or 0) == "no portfolio snapshot yet: refresh the portfolio"
    now = datetime.now(UTC)
    values = [(now - timedelta(days=30), "50000"), (now - timedelta(days=3), "10000")]
    values += [(now - timedelta(hours=1), "8800")]
    async with app.db.session() as session:
        session.add_all(
            SnapshotRow(profile="default", taken_at=t, fiat="USD", total_value=v, demo=False)
            for t, v in values
        )
    (fired,) = await app.alerts.check_now()
    assert fired.value == Decimal(12)  # from the 10,000 peak inside 7 days, not the 50,000
    assert "12.00% below its peak within 7 d" in fired.message


async def test_paused_alerts_are_recorded_but_not_shown(app: CoreApp) -> None:
    seen = Collect()
    app.alerts.attach_notifier(seen)
    await app.alerts.set_paused(True)
    await app.alerts.save_form(RuleForm("price_below", asset="ETH", threshold="100", cooldown="0"))
    await price(app, "150")
    await app.alerts.check_now()
    await price(app, "90")
    (fired,) = await app.alerts.check_now()
    assert fired.notified is False and seen.alerts == []
    assert await count(app, AlertHistoryRow) == 1


async def test_a_failing_notifier_does_not_silence_the_others(app: CoreApp) -> None:
    class Broken:
        def notify(self, alert: FiredAlert) -> None:
            raise RuntimeError("tray gone")

    seen = Collect()
    app.alerts.attach_notifier(Broken())
    app.alerts.attach_notifier(seen)
    await app.alerts.save_form(RuleForm("price_above", asset="ETH", threshold="10", cooldown="0"))
    await price(app, "5")
    await app.alerts.check_now()
    await price(app, "11")
    await app.alerts.check_now()
    assert len(seen.alerts) == 1


async def test_pct_move_needs_the_whole_window_then_fires(app: CoreApp) -> None:
    rule = await app.alerts.save_form(
        RuleForm("pct_move", asset="ETH", threshold="5", window="1h", direction="down")
    )
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    key = (1, "native")
    assert await app.alerts.on_prices({key: Decimal(2000)}, t0) == []
    assert await app.alerts.on_prices({key: Decimal(1850)}, t0 + timedelta(minutes=30)) == []
    assert app.alerts.status(rule.id or 0) == "collecting prices to cover the window"
    (fired,) = await app.alerts.on_prices({key: Decimal(1880)}, t0 + timedelta(minutes=61))
    assert fired.value == Decimal(-6)  # 2000 -> 1880 over the hour
    assert "moved -6.00% within 1 h" in fired.message


async def test_removed_rule_keeps_its_history(app: CoreApp) -> None:
    rule = await app.alerts.save_form(
        RuleForm("price_above", asset="ETH", threshold="10", cooldown="0")
    )
    await price(app, "5")
    await app.alerts.check_now()
    await price(app, "11")
    await app.alerts.check_now()
    await app.alerts.remove_rule(rule.id or 0)
    (entry,) = await app.alerts.history()
    assert entry.rule_id is None and entry.rule_name == "ETH@1 above 10"
    with pytest.raises(AlertRuleError, match="There is no alert rule"):
        await app.alerts.remove_rule(rule.id or 0)


async def test_rules_added_by_another_process_are_picked_up(app: CoreApp, data_dir: Path) -> None:
    changed: list[object] = []
    app.bus.subscribe(AlertsChanged, changed.append)
    other = CoreApp(data_dir, background=False)  # e.g. the CLI beside the running window
    await other.start()
    try:
        await other.alerts.save_form(RuleForm("drawdown", threshold="20"))
    finally:
        await other.stop()
    assert app.alerts.rules == {}
    await app.alerts.reload_rules()
    assert [r.name for r in app.alerts.rules.values()] == ["portfolio down 20%"]
    assert len(changed) == 1
    await app.alerts.reload_rules()
    assert len(changed) == 1  # nothing new: no reload noise for the pages


async def test_pct_move_window_starts_from_prices_stored_with_snapshots(app: CoreApp) -> None:
    """After a restart (or in a one-shot CLI check) the window is covered by the prices the
    portfolio stored with its snapshots, so the rule need not wait an hour of live prices."""
    rule = await app.alerts.save_form(
        RuleForm("pct_move", asset="ETH", threshold="5", window="1h", direction="down")
    )
    now = datetime.now(UTC)
    async with app.db.session() as session:
        for minutes, value in ((90, "2010"), (65, "2000"), (20, "1950")):
            snapshot = SnapshotRow(
                profile="default",
                taken_at=now - timedelta(minutes=minutes),
                fiat="USD",
                total_value=value,
                demo=False,
            )
            session.add(snapshot)
            await session.flush()
            session.add(
                HoldingRow(
                    snapshot_id=snapshot.id,
                    chain_id=1,
                    owner="0x" + "1" * 40,
                    token="native",
                    symbol="ETH",
                    decimals=18,
                    amount=str(10**18),
                    price=value,
                    value=value,
                )
            )
    await price(app, "1880")
    (fired,) = await app.alerts.check_now()
    assert fired.rule_id == rule.id
    assert fired.value == Decimal(-6)  # from 2000, the last stored price before the window


async def test_failed_transaction_fires_the_failed_rule_only(app: CoreApp) -> None:
    failed = await app.alerts.save_form(RuleForm("tx_failed", cooldown="0"))
    await app.alerts.save_form(RuleForm("tx_confirmed", cooldown="0"))
    (alert,) = await app.alerts.on_transaction(7, "0x" + "ab" * 32, "failed")
    assert alert.rule_id == failed.id and alert.message == "transaction #7 (0xabababab…) failed"
    assert await app.alerts.on_transaction(8, "", "broadcast") == []
