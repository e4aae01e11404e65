"""The facade: builds every service once, owns start and stop. The GUI and CLI talk only to this.

Clients are built here and injected, so tests replace them at this one seam (an
``httpx.AsyncClient`` with a ``MockTransport`` or pointed at a local fake, RPC URLs of an anvil).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import fields, replace
from decimal import Decimal
from pathlib import Path

import httpx

from core.alerts.service import AlertService
from core.alerts.setup import build_alert_service
from core.cache import Cache
from core.chains.clients import ChainClients
from core.chains.health import ChainHealth
from core.chains.monitor import ChainMonitor
from core.dex.requests import build_quote_request
from core.dex.setup import build_aggregator, build_providers
from core.dex.swap import SwapService
from core.dex.types import QuoteRequest
from core.doctor import DoctorReport, run_doctor
from core.errors import CoreError
from core.events import EventBus, SettingsChanged
from core.insights.service import InsightsService
from core.keychain import KeychainStatus, probe_keychain
from core.paths import choose_data_dir, resolve_data_dir
from core.portfolio.demo import DEMO_PROFILE, load_demo, sample_prices
from core.portfolio.own_trades import TradeRecorder
from core.portfolio.prices.base import PriceSource
from core.portfolio.prices.coingecko import CoinGeckoPrices
from core.portfolio.prices.defillama import DefiLlamaPrices
from core.portfolio.prices.service import PriceService
from core.portfolio.service import PortfolioService, RefreshReport
from core.release_key import RELEASE_PUBLIC_KEYS
from core.settings import Settings, load_settings, save_settings, validate
from core.storage.db import DB_FILE, Database
from core.storage.repositories import (
    ActivityEntry,
    ActivityRepository,
    ChainStatusRecord,
    ChainStatusRepository,
)
from core.sync.service import SyncService
from core.sync.setup import default_sources
from core.tasks import Priority, TaskManager
from core.updates import UpdateCheck, check_for_update
from core.version import __version__
from core.wallet.accounts import WalletService
from core.wallet.journal import IntentJournal
from core.wallet.keystore import Keystore
from core.wallet.sender import TxSender, TxStatusChanged

__all__ = ["CoreApp"]

log = logging.getLogger(__name__)


async def _drain_cleanup_tasks(grace_s: float = 2.0) -> None:
    """Let cleanup that libraries schedule while our tasks unwind (SQLAlchemy shields session
    closing in a task of its own) finish before the connections they use are disposed."""
    current = asyncio.current_task()
    pending = [t for t in asyncio.all_tasks() if t is not current and not t.done()]
    cleanup = [t for t in pending if "AsyncSession" in repr(t.get_coro())]
    if cleanup:
        await asyncio.wait(cleanup, timeout=grace_s)


class CoreApp:
    """One per process. ``await start()`` before use, ``await stop()`` at the end."""

    def __init__(
        self,
        data_dir: Path | str | None = None,
        *,
        http: httpx.AsyncClient | None = None,
        background: bool = True,
        profile: str = "default",
        update_keys: tuple[str, ...] = RELEASE_PUBLIC_KEYS,
    ) -> None:
        self.data_dir = resolve_data_dir(data_dir)
        self.bus = EventBus()
        self.tasks = TaskManager(self.bus)
        self._settings = load_settings(self.data_dir)
        self._http = http
        self._owns_http = http is None
        # Tests and one-shot CLI commands run without the periodic background loops.
        self._background = background
        self.profile = profile
        # Public keys a release manifest must verify against; tests pass a throwaway key.
        self._update_keys = update_keys
        self._db: Database | None = None
        self._cache: Cache | None = None
        self.clients = ChainClients(self._settings.rpc_timeout_s)
        self.clients.configure(self._settings.chains, self._settings.rpc_timeout_s)
        self._monitor: ChainMonitor | None = None
        self._started = False

    # -- lifecycle -------------------------------------------------------------------------
    async def start(self) -> None:
        if self._started:
            return
        loop = asyncio.get_running_loop()
        self.tasks.bind(loop)
        self._db = await Database.open(self.data_dir / DB_FILE)
        self._cache = await loop.run_in_executor(None, Cache, self.data_dir / "cache")
        if self._http is None:
            self._http = httpx.AsyncClient(
                timeout=httpx.Timeout(10.0, connect=5.0),
                limits=httpx.Limits(max_connections=50, max_keepalive_connections=20),
                headers={"User-Agent": "CryptoOrchestrator"},
            )
        self.activity = ActivityRepository(self._db)
        self.chain_status = ChainStatusRepository(self._db)
        self._monitor = ChainMonitor(
            self.clients, self.chain_status, self.activity, self.bus, self.settings
        )
        self.wallets = WalletService(self._db, Keystore(self.profile), self.profile)
        self.journal = IntentJournal(self._db, self.profile)
        self.sender = TxSender(self.clients, self.wallets, self.journal, self.bus)
        self.prices = PriceService(self._db, self.cache, self._price_sources())
        self.portfolio = PortfolioService(
            self._db, self.clients, self.prices, self.settings, self.profile
        )
        self.demo_portfolio = PortfolioService(
            self._db, self.clients, self.prices, self.settings, DEMO_PROFILE
        )
        self.swaps = self._build_swaps()
        self.trades = TradeRecorder(
            self._db,
            self.clients,
            self.journal,
            self.prices,
            self.settings,
            self.portfolio.tokens,
            self._own_addresses,
            self.profile,
        )
        self.bus.subscribe(TxStatusChanged, self._record_trade)
        self.insights = InsightsService(self._db, self.data_dir, self.bus, profile=self.profile)
        self.alerts: AlertService = build_alert_service(
            db=self._db,
            bus=self.bus,
            tasks=self.tasks,
            profile=self.profile,
            settings=self.settings,
            prices=self.prices,
            portfolio=self.portfolio,
            wallets=self.wallets,
            build_quote_request=self.build_quote_request,
            quote_all=lambda request: self.swaps.quote_all(request),
        )
        await self.alerts.load()
        # Volatility rules read the forecast the Insights page shows (model or baseline).
        self.alerts.attach_forecasts(self.insights)
        # Opt-in end-to-end encrypted sync; idle until set up with `sync init` / `sync join`.
        self.sync = SyncService(
            self._db,
            self.wallets.keystore,
            self.http,
            self.bus,
            lambda: default_sources(self.profile, self.settings, self.update_settings),
        )
        if self._background:
            self.sync.start(self.tasks)
            # Alerts run in the core, so they keep firing while the window is in the tray.
            self.alerts.start()
            background = Priority.SERVICE
            self.tasks.spawn(self._monitor.run(), name="chain-monitor", priority=background)
            self.tasks.spawn(self._follow_transactions(), name="tx-tracker", priority=background)
            self.tasks.spawn(self._refresh_periodically(), name="portfolio", priority=background)
            # Loads the saved forecaster; trains one when missing or expired (in an executor).
            self.tasks.spawn(self.insights.run_schedule(), name="insights", priority=background)
        self._started = True

    def _record_trade(self, event: TxStatusChanged) -> None:
        """Confirmed swaps and transfers enter the ledger (PnL), read from their receipts."""
        if event.state == "confirmed":
            self.tasks.spawn(
                self.trades.record(event.intent_id), name="record trade", priority=Priority.USER
            )

    async def _own_addresses(self) -> list[str]:
        return [w.address for w in await self.wallets.list()]

    def _price_sources(self) -> list[PriceSource]:
        """Enabled price sources in the order the person put them in Settings."""
        sources: list[PriceSource] = []
        for entry in self._settings.price_sources:
            if not entry.enabled:
                continue
            if entry.name == "defillama":
                sources.append(DefiLlamaPrices(self.http, entry.base_url))
            elif entry.name == "coingecko":
                sources.append(CoinGeckoPrices(self.http, entry.base_url))
        return sources

    def _build_swaps(self) -> SwapService:
        providers = build_providers(self._settings, self.http, self.wallets.keystore)
        aggregator = build_aggregator(providers, self._cache)
        return SwapService(aggregator, self.clients, self.sender, self.journal, [self.prices])

    async def stop(self) -> None:
        await self.tasks.close()
        await _drain_cleanup_tasks()
        await self.clients.close()
        if self._http is not None and self._owns_http:
            await self._http.aclose()
        if self._cache is not None:
            self._cache.close()
        if self._db is not None:
            await self._db.close()
        self._started = False

    # -- shared clients ----------------------------------------------------------------------
    @property
    def db(self) -> Database:
        if self._db is None:
            raise CoreError("The application has not started yet.")
        return self._db

    @property
    def cache(self) -> Cache:
        if self._cache is None:
            raise CoreError("The application has not started yet.")
        return self._cache

    @property
    def http(self) -> httpx.AsyncClient:
        if self._http is None:
            raise CoreError("The application has not started yet.")
        return self._http

    # -- settings ------------------------------------------------------------------------------
    def settings(self) -> Settings:
        return self._settings

    async def update_settings(self, new: Settings) -> None:
        """Validate, save atomically, apply. On any error the old settings stay in force."""
        validate(new)
        old = self._settings
        await asyncio.get_running_loop().run_in_executor(None, save_settings, self.data_dir, new)
        self._settings = new
        self.clients.configure(new.chains, new.rpc_timeout_s)
        changed = tuple(
            f.name for f in fields(Settings) if getattr(old, f.name) != getattr(new, f.name)
        )
        if "price_sources" in changed:
            self.prices.sources = self._price_sources()
        if "providers" in changed:
            self.swaps = self._build_swaps()
        self.bus.publish(SettingsChanged(changed))
        if "chains" in changed or "rpc_timeout_s" in changed:
            self.refresh_chain_status()

    async def set_close_to_tray(self, value: bool) -> None:
        await self.update_settings(replace(self._settings, close_to_tray=value))

    def choose_data_dir(self, path: Path | None) -> None:
        """Use another data folder from the next start on."""
        choose_data_dir(path)

    # -- chains --------------------------------------------------------------------------------
    def refresh_chain_status(self) -> None:
        if self._monitor is not None:
            self._monitor.poke()

    async def check_chains_now(self) -> dict[int, ChainHealth]:
        if self._monitor is None:
            raise CoreError("The application has not started yet.")
        return await self._monitor.check_all()

    async def last_chain_status(self) -> dict[int, ChainStatusRecord]:
        return await self.chain_status.latest()

    # -- transactions --------------------------------------------------------------------------
    async def _follow_transactions(self) -> None:
        """Repair what a crash interrupted, then follow submitted transactions to the end."""
        await self.sender.reconcile()
        while True:
            for intent in await self.journal.unfinished():
                if intent.state == "submitted":
                    try:
                        await self.sender.check(intent.id)
                    except CoreError as exc:
                        log.info("receipt check for %s failed: %s", intent.id, exc.user_message)
            await asyncio.sleep(self.sender.poll_s * 4)

    # -- swaps ---------------------------------------------------------------------------------
    async def build_quote_request(
        self,
        chain_id: int,
        sell: str,
        buy: str,
        amount: str,
        taker: str,
        slippage_percent: Decimal,
    ) -> QuoteRequest:
        return await build_quote_request(
            self._settings, self.clients, chain_id, sell, buy, amount, taker, slippage_percent
        )

    # -- portfolio -----------------------------------------------------------------------------
    async def load_sample_data(self) -> int:
        """Fill the separate, clearly marked demo profile from the shipped real prices."""
        prices = await asyncio.get_running_loop().run_in_executor(None, sample_prices)
        return await load_demo(self.db, prices)

    async def _refresh_periodically(self) -> None:
        """Refresh on a schedule; a failed refresh is logged and retried next time."""
        while True:
            try:
                if await self.wallets.list():
                    await self.refresh_portfolio()
            except CoreError as exc:
                log.info("portfolio refresh failed: %s", exc.user_message)
            await asyncio.sleep(self._settings.portfolio_refresh_s)

    async def refresh_portfolio(self) -> RefreshReport:
        """Balances of every wallet (watch-only included) on every enabled chain, stored."""
        owners = [w.address for w in await self.wallets.list()]
        return await self.portfolio.refresh(owners)

    # -- updates -------------------------------------------------------------------------------
    async def check_for_update(self, manifest_url: str | None = None) -> UpdateCheck:
        """Fetch and verify the signed release manifest (settings' address unless given)."""
        url = self._settings.update_manifest_url if manifest_url is None else manifest_url
        return await check_for_update(self.http, url, __version__, self._update_keys)

    # -- activity, keychain, doctor ---------------------------------------------------------------
    async def recent_activity(self, limit: int = 200) -> list[ActivityEntry]:
        return await self.activity.recent(limit)

    async def keychain_status(self) -> KeychainStatus:
        return await asyncio.get_running_loop().run_in_executor(None, probe_keychain)

    async def doctor(self) -> DoctorReport:
        return await run_doctor(self.data_dir, self.db, self._settings)
