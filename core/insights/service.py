"""The insights service: train on stored history, load and check saved models, forecast.

Forecasts are per held asset, one bar = one UTC day, over the next ``HORIZON`` days. For each of
the three forecasts (volatility, direction, interval) the person sees the model's number only
where the model beat the simple baseline on the held-out block of its own training run; otherwise
the baseline's number, with the reason. All torch, pandas and file work runs in an executor.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from core.events import EventBus
from core.insights.errors import InsightsError
from core.insights.events import InsightsModelChanged, InsightsTrainingProgress
from core.insights.history import SAMPLE_PREFIX, sample_series, stored_daily_closes
from core.insights.trainer import train_and_save
from core.portfolio.demo import DEMO_PROFILE
from core.storage.db import Database
from models.dataset import Series, latest_rows
from models.evaluation import DECIDING
from models.features import FEATURE_NAMES, WARMUP
from models.gate import InputGate
from models.registry import ModelRecord, Registry, RegistryError
from models.runtime import ForecastRuntime
from models.training import TrainConfig

__all__ = ["AssetInsight", "ForecastValues", "InsightsService", "ModelStatus"]

log = logging.getLogger(__name__)

MODEL_NAME = "daily"
#: forecast horizon in bars (days): a week, since crypto trades every day
HORIZON = 7
DAYS_PER_YEAR = 365.0
FORECASTS = tuple(DECIDING)  # volatility, direction, interval


@dataclass(frozen=True)
class ModelStatus:
    trained_at: datetime | None = None
    expires_at: datetime | None = None
    problem: str | None = None  # why no model is in use (never trained, refused file, ...)
    training: bool = False
    track_record: dict[str, Any] | None = None
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= datetime.now(UTC)


@dataclass(frozen=True)
class ForecastValues:
    """Over the next ``HORIZON`` days. ``volatility`` is annualised (fraction: 0.6 = 60 %/yr)."""

    volatility: float
    p_up: float
    low: float  # 5 % quantile of the price
    median: float
    high: float  # 95 % quantile of the price


@dataclass(frozen=True)
class AssetInsight:
    symbol: str
    as_of: datetime | None
    last_close: float | None
    model: ForecastValues | None
    baseline: ForecastValues | None
    #: forecast name -> "model" or "baseline": which one the person is shown
    shown: dict[str, str]
    #: held-out scores the decision rests on (model, baseline, coin_flip, rows), or None
    track_record: dict[str, Any] | None
    track_scope: str  # which held-out rows: this asset's own, or all assets pooled
    notes: tuple[str, ...]

    def value(self, forecast: str) -> ForecastValues | None:
        return self.model if self.shown.get(forecast) == "model" else self.baseline


def _values(outputs: np.ndarray, close: float) -> ForecastValues:
    variance, p_up, q05, q50, q95 = (float(v) for v in outputs)
    return ForecastValues(
        volatility=math.sqrt(variance * DAYS_PER_YEAR / HORIZON),
        p_up=p_up,
        low=close * math.exp(q05),
        median=close * math.exp(q50),
        high=close * math.exp(q95),
    )


def _baseline_outputs(row: np.ndarray) -> np.ndarray:
    n = len(FEATURE_NAMES)
    variance = math.exp(row[n])
    sd = math.sqrt(variance)
    drift = row[n + 2]
    p_up = 1.0 / (1.0 + math.exp(-row[n + 1]))
    return np.array([variance, p_up, drift - 1.6448536 * sd, drift, drift + 1.6448536 * sd])


class InsightsService:
    """Implements the alerts' ``VolatilityForecasts`` protocol through :meth:`latest_volatility`."""

    def __init__(
        self,
        db: Database,
        data_dir: Path,
        bus: EventBus,
        *,
        profile: str = "default",
        config: TrainConfig | None = None,
        max_age_s: float = 7 * 86400,
    ) -> None:
        self._db = db
        self._bus = bus
        self.profile = profile
        self.config = config or TrainConfig()
        self.max_age_s = max_age_s
        self.registry = Registry(data_dir / "models" / "insights")
        self._runtime: ForecastRuntime | None = None
        self._record: ModelRecord | None = None
        self._problem: str | None = "No model has been trained yet."
        self._lock = asyncio.Lock()
        self._loaded = False

    # -- model lifecycle -----------------------------------------------------------------------
    def status(self) -> ModelStatus:
        record = self._record
        if record is None:
            return ModelStatus(problem=self._problem, training=self._lock.locked())
        return ModelStatus(
            trained_at=datetime.fromtimestamp(record.created_at, UTC),
            expires_at=datetime.fromtimestamp(record.expires_at, UTC),
            problem=self._problem,
            training=self._lock.locked(),
            track_record=record.track_record,
            details=record.training,
        )

    async def load(self) -> ModelStatus:
        """Load the saved model, refusing a damaged or mismatched one (it is then retrained)."""
        loop = asyncio.get_running_loop()
        self._loaded = True
        try:
            net, record = await loop.run_in_executor(None, self.registry.load, MODEL_NAME)
            runtime = await loop.run_in_executor(
                None, ForecastRuntime, net, InputGate.from_dict(record.gate)
            )
        except RegistryError as exc:
            exists = self.registry.folder.joinpath(f"{MODEL_NAME}.json").exists()
            self._runtime, self._record = None, None
            self._problem = str(exc) if exists else "No model has been trained yet."
            if exists:
                log.warning("insights model refused: %s", exc)
                self._bus.publish(InsightsModelChanged(None, self._problem))
            return self.status()
        self._runtime, self._record, self._problem = runtime, record, None
        return self.status()

    async def training_series(self) -> dict[str, Series]:
        """The person's stored daily closes plus the shipped sample (kept as separate series)."""
        own = await stored_daily_closes(self._db, self.profile)
        sample = await asyncio.get_running_loop().run_in_executor(None, sample_series)
        return {**own, **{SAMPLE_PREFIX + s: v for s, v in sample.items()}}

    async def train(self) -> ModelStatus:
        """Train a new model in the background with progress events; one run at a time."""
        if self._lock.locked():
            raise InsightsError("A model is already being trained.")
        async with self._lock:
            loop = asyncio.get_running_loop()
            self._bus.publish(InsightsTrainingProgress("preparing"))
            series = await self.training_series()

            def progress(epoch: int, max_epochs: int, loss: float) -> None:
                event = InsightsTrainingProgress("training", epoch, max_epochs, loss)
                loop.call_soon_threadsafe(self._bus.publish, event)

            try:
                await loop.run_in_executor(
                    None,
                    train_and_save,
                    series,
                    self.registry,
                    MODEL_NAME,
                    HORIZON,
                    self.config,
                    self.max_age_s,
                    progress,
                )
            except ValueError as exc:
                raise InsightsError(f"Cannot train a forecaster: {exc}.") from exc
            except OSError as exc:
                raise InsightsError(
                    f"Cannot save the trained model under {self.registry.folder}: "
                    f"{exc.strerror or type(exc).__name__}."
                ) from exc
            self._bus.publish(InsightsTrainingProgress("saving"))
        status = await self.load()
        self._bus.publish(InsightsModelChanged(self._record.created_at if self._record else None))
        return status

    async def run_schedule(self, check_every_s: float = 3600.0) -> None:
        """Background loop: load the saved model; train when there is none or it has expired."""
        await self.load()
        while True:
            status = self.status()
            if status.trained_at is None or status.expired:
                try:
                    await self.train()
                except InsightsError as exc:
                    log.info("scheduled insights training skipped: %s", exc.user_message)
            await asyncio.sleep(check_every_s)

    # -- forecasts -----------------------------------------------------------------------------
    async def forecasts(self, *, demo: bool = False) -> list[AssetInsight]:
        """One insight per asset held in the latest snapshot (of the demo profile if ``demo``),
        from its stored daily closes (the shipped sample for the demo)."""
        if not self._loaded:
            await self.load()
        profile = DEMO_PROFILE if demo else self.profile
        held = await self._held(profile)
        if demo:
            sample = await asyncio.get_running_loop().run_in_executor(None, sample_series)
            series = {s: sample[s] for s in held if s in sample}
        else:
            stored = await stored_daily_closes(self._db, profile)
            series = {s: stored[s] for s in held if s in stored}
        return await asyncio.get_running_loop().run_in_executor(
            None, self._forecast_blocking, held, series, demo
        )

    async def _held(self, profile: str) -> list[str]:
        from sqlalchemy import select

        from core.portfolio.tables import HoldingRow, SnapshotRow

        async with self._db.session() as session:
            latest = await session.scalar(
                select(SnapshotRow.id)
                .where(SnapshotRow.profile == profile)
                .order_by(SnapshotRow.taken_at.desc())
                .limit(1)
            )
            if latest is None:
                return []
            rows = await session.scalars(
                select(HoldingRow.symbol).where(HoldingRow.snapshot_id == latest).distinct()
            )
            return sorted(rows)

    def _forecast_blocking(
        self, held: list[str], series: Mapping[str, Series], demo: bool
    ) -> list[AssetInsight]:
        rows = latest_rows(series, HORIZON)
        runtime, record = self._runtime, self._record
        symbols = [s for s in held if s in rows]
        batch = None
        if runtime is not None and symbols:
            batch = runtime.forecast(np.stack([rows[s][1] for s in symbols]))
        out = []
        for symbol in held:
            if symbol not in rows:
                have = int(series[symbol][0].size) if symbol in series else 0
                out.append(
                    AssetInsight(
                        symbol,
                        None,
                        None,
                        None,
                        None,
                        {},
                        None,
                        "",
                        (
                            f"Not enough stored daily prices to forecast: {have} day(s), "
                            f"needs {WARMUP + 1} consecutive days.",
                        ),
                    )
                )
                continue
            when, row = rows[symbol]
            close = float(series[symbol][1][-1])
            baseline = _values(_baseline_outputs(row), close)
            notes: list[str] = []
            model = None
            if batch is not None:
                index = symbols.index(symbol)
                verdict = batch.verdicts[index]
                if verdict.ok:
                    model = _values(batch.outputs[index], close)
                else:
                    notes.append(
                        "Unusual recent prices (" + "; ".join(verdict.reasons[:2]) + "): the "
                        "model refuses to forecast far from its training data; showing baseline."
                    )
            elif record is None:
                notes.append(f"{self._problem} Showing the baseline.")
            track, scope = self._track(record, symbol, demo)
            beats = track.get("beats", {}) if track else {}
            shown = {}
            for forecast in FORECASTS:
                if model is not None and beats.get(forecast, False):
                    shown[forecast] = "model"
                else:
                    shown[forecast] = "baseline"
                    if model is not None:
                        notes.append(
                            f"Model does not beat baseline for {forecast} on recent held-out "
                            "data; showing baseline."
                            if track
                            else f"Too little held-out data to judge the model's {forecast}; "
                            "showing baseline."
                        )
            moment = datetime.fromtimestamp(when, UTC)
            out.append(
                AssetInsight(
                    symbol, moment, close, model, baseline, shown, track, scope, tuple(notes)
                )
            )
        return out

    @staticmethod
    def _track(
        record: ModelRecord | None, symbol: str, demo: bool
    ) -> tuple[dict[str, Any] | None, str]:
        if record is None:
            return None, ""
        assets = record.track_record.get("assets", {})
        key = SAMPLE_PREFIX + symbol if demo else symbol
        if key in assets:
            return assets[key], f"{symbol}'s own held-out days"
        pooled = record.track_record.get("pooled")
        return pooled, "all assets' held-out days, pooled" if pooled else ""

    async def latest_volatility(self, symbol: str) -> float | None:
        """Forecast volatility of ``symbol`` over the next week, **annualised, as a fraction of
        price** (0.65 means 65 % a year; the weekly standard deviation of log returns is this
        times sqrt(7/365)). It is the number the Insights page shows: the model's where it beat
        the EWMA baseline on held-out data, else the baseline's. None when the person holds no
        such asset or has too little stored daily history for it."""
        for insight in await self.forecasts():
            if insight.symbol == symbol:
                values = insight.value("volatility")
                return values.volatility if values is not None else None
        return None
