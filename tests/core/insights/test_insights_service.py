"""The insights service on a real core: train from stored history and the sample, forecast per
held asset, honest baseline fallback, refusal of a damaged model, the alerts' volatility hook."""

from __future__ import annotations

import asyncio
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.app import CoreApp
from core.insights.events import InsightsModelChanged, InsightsTrainingProgress
from core.insights.service import FORECASTS, InsightsService
from core.portfolio.demo import sample_prices
from core.portfolio.tables import HoldingRow, SnapshotRow
from models.training import TrainConfig

FAST = TrainConfig(max_epochs=12, patience=4)


async def _started(data_dir: Path) -> CoreApp:
    app = CoreApp(data_dir, background=False)
    await app.start()
    app.insights.config = FAST
    return app


async def _store_own_history(app: CoreApp, days: int, symbol: str = "BTC") -> None:
    """Snapshots of the person's own profile holding ``symbol``, priced at real sample closes."""
    prices = sample_prices()
    dates = sorted(d for d in prices if symbol in prices[d] and prices[d][symbol] > 0)[-days:]
    async with app.db.session() as session:
        for day in dates:
            snapshot = SnapshotRow(
                profile=app.profile,
                taken_at=datetime.fromisoformat(day).replace(tzinfo=UTC) + timedelta(hours=12),
                fiat="USD",
                total_value=str(prices[day][symbol]),
            )
            session.add(snapshot)
            await session.flush()
            session.add(
                HoldingRow(
                    snapshot_id=snapshot.id,
                    chain_id=1,
                    owner="0x000000000000000000000000000000000000bEEF",
                    token="native",
                    symbol=symbol,
                    decimals=8,
                    amount=str(10**8),
                    price=str(prices[day][symbol]),
                    value=str(prices[day][symbol]),
                )
            )


async def test_train_in_background_then_forecast_the_demo_assets(data_dir: Path) -> None:
    app = await _started(data_dir)
    try:
        await app.load_sample_data()
        events: list[object] = []
        app.bus.subscribe(InsightsTrainingProgress, events.append)
        app.bus.subscribe(InsightsModelChanged, events.append)
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.005)

        beat = asyncio.create_task(ticker())
        status = await app.insights.train()
        beat.cancel()
        # The loop kept turning while torch trained in the executor.
        assert ticks > 20
        epochs = [
            e.epoch
            for e in events
            if isinstance(e, InsightsTrainingProgress) and e.stage == "training"
        ]
        assert epochs == list(range(1, len(epochs) + 1)) and len(epochs) >= FAST.patience
        assert isinstance(events[-1], InsightsModelChanged)
        assert status.problem is None and status.trained_at is not None
        assert (data_dir / "models" / "insights" / "daily.pt").exists()
        assert not status.expired

        insights = await app.insights.forecasts(demo=True)
        assert [i.symbol for i in insights] == ["BTC", "ETH", "LTC"]
        for insight in insights:
            assert insight.as_of is not None and insight.as_of.year == 2020
            assert insight.model is not None and insight.baseline is not None
            track = insight.track_record
            assert track is not None and track["rows"] >= 30
            for forecast in FORECASTS:
                beats = track["beats"][forecast]
                assert insight.shown[forecast] == ("model" if beats else "baseline")
                says_so = any(f"baseline for {forecast}" in n for n in insight.notes)
                assert says_so == (not beats)
            low, high = insight.value("interval").low, insight.value("interval").high
            assert low < insight.last_close < high
            assert 0.0 < insight.value("direction").p_up < 1.0
            # baseline volatility is the EWMA one: annualised, so tens of percent for crypto
            assert 0.05 < insight.baseline.volatility < 5.0
    finally:
        await app.stop()


async def test_own_history_forecast_and_the_volatility_hook(data_dir: Path) -> None:
    app = await _started(data_dir)
    try:
        assert await app.insights.latest_volatility("BTC") is None  # holds nothing yet
        await _store_own_history(app, days=200)
        # Without a model the baseline is shown, and the page is told why.
        [before] = await app.insights.forecasts()
        assert before.model is None and set(before.shown.values()) == {"baseline"}
        assert any("No model has been trained yet" in n for n in before.notes)
        await app.insights.train()
        series = await app.insights.training_series()
        assert set(series) == {"BTC", "sample:BTC", "sample:ETH", "sample:LTC"}
        [insight] = await app.insights.forecasts()
        assert insight.symbol == "BTC"
        vol = await app.insights.latest_volatility("BTC")
        assert vol is not None and math.isfinite(vol)
        assert vol == insight.value("volatility").volatility
        assert await app.insights.latest_volatility("DOGE") is None
    finally:
        await app.stop()


async def test_too_little_history_is_said_plainly(data_dir: Path) -> None:
    app = await _started(data_dir)
    try:
        await _store_own_history(app, days=20)
        [insight] = await app.insights.forecasts()
        assert insight.baseline is None and insight.model is None
        assert "Not enough stored daily prices" in insight.notes[0]
        assert "20 day(s)" in insight.notes[0]
    finally:
        await app.stop()


async def test_a_damaged_weights_file_is_refused_and_retraining_repairs(data_dir: Path) -> None:
    app = await _started(data_dir)
    try:
        await app.load_sample_data()
        await app.insights.train()
        weights = data_dir / "models" / "insights" / "daily.pt"
        raw = bytearray(weights.read_bytes())
        raw[-10] ^= 0xFF
        weights.write_bytes(bytes(raw))
        fresh = InsightsService(app.db, data_dir, app.bus, config=FAST)
        status = await fresh.load()
        assert status.trained_at is None and "sha256" in (status.problem or "")
        insights = await fresh.forecasts(demo=True)
        assert all(i.model is None and i.baseline is not None for i in insights)
        assert all(any("sha256" in n for n in i.notes) for i in insights)
        repaired = await fresh.train()
        assert repaired.problem is None
    finally:
        await app.stop()


async def test_expired_model_is_retrained_by_the_schedule(data_dir: Path) -> None:
    app = await _started(data_dir)
    try:
        await app.load_sample_data()
        short = InsightsService(app.db, data_dir, app.bus, config=FAST, max_age_s=0.0)
        await short.train()
        first = short.status().trained_at
        assert short.status().expired
        task = asyncio.create_task(short.run_schedule(check_every_s=3600))
        try:
            async with asyncio.timeout(300):
                while short.status().trained_at == first or short.status().training:
                    await asyncio.sleep(0.05)
        finally:
            task.cancel()
        assert short.status().trained_at is not None and short.status().trained_at > first
    finally:
        await app.stop()


async def test_training_twice_at_once_is_refused(data_dir: Path) -> None:
    from core.insights.errors import InsightsError

    app = await _started(data_dir)
    try:
        await app.load_sample_data()
        first = asyncio.create_task(app.insights.train())
        await asyncio.sleep(0)
        with pytest.raises(InsightsError, match="already being trained"):
            await app.insights.train()
        await first
    finally:
        await app.stop()


async def test_alerts_read_the_volatility_the_page_shows(data_dir: Path) -> None:
    from core.alerts.sources import VolatilityForecasts

    app = await _started(data_dir)
    try:
        assert isinstance(app.insights, VolatilityForecasts)
        assert app.alerts._forecasts is app.insights
        await _store_own_history(app, days=120, symbol="ETH")
        vol = await app.insights.latest_volatility("ETH")
        [insight] = await app.insights.forecasts()
        assert vol is not None and vol == insight.baseline.volatility  # no model yet: baseline
    finally:
        await app.stop()


async def test_an_unwritable_model_folder_is_reported_and_nothing_changes(data_dir: Path) -> None:
    from core.insights.errors import InsightsError

    app = await _started(data_dir)
    try:
        await app.load_sample_data()
        # A file where the folder should be: saving must fail, clearly, with no model in use.
        (data_dir / "models").write_text("not a folder")
        with pytest.raises(InsightsError, match="Cannot save the trained model"):
            await app.insights.train()
        assert app.insights.status().trained_at is None
        assert (data_dir / "models").read_text() == "not a folder"
    finally:
        await app.stop()
