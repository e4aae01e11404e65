"""The alert service: keeps the rules in memory, evaluates them on a schedule and on events,
records what fired, and hands it to the notifiers.

Rules are indexed by the asset they watch, so a price update touches only the rules on that
asset; state changes and fired alerts of one evaluation are written in one transaction. Every
check runs through the scheduler (and so through core.tasks): it keeps running while the window
is hidden in the tray, because the core does not depend on any window.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal

from core.alerts.forms import RuleForm, TokensFor, build_rule
from core.alerts.notifier import Notifier
from core.alerts.rules import (
    EVENT_KINDS,
    Decision,
    Rule,
    RuleState,
    drawdown_pct,
    evaluate_event,
    evaluate_threshold,
    metric_for_move,
    pct_change,
)
from core.alerts.scheduler import Clock, Scheduler, SystemClock
from core.alerts.sources import (
    PriceFeed,
    PriceHistory,
    SwapQuotes,
    ValueHistory,
    VolatilityForecasts,
)
from core.alerts.store import AlertStore, FiredAlert
from core.alerts.validation import AlertRuleError, validate_rule
from core.errors import CoreError
from core.events import CoreEvent, EventBus
from core.settings import Settings
from core.tasks import Priority, TaskManager
from core.wallet.sender import TxStatusChanged

__all__ = ["AlertFired", "AlertService", "AlertsChanged", "Intervals"]

log = logging.getLogger(__name__)
AssetKey = tuple[int, str]
NO_FORECAST = "no forecast available yet"
_YIELD_EVERY = 100  # rules evaluated between yields to the loop (keeps the UI responsive)


@dataclass(frozen=True)
class AlertFired(CoreEvent):
    alert: FiredAlert


@dataclass(frozen=True)
class AlertsChanged(CoreEvent):
    """Rules, their status, or the paused flag changed: pages showing them reload."""


@dataclass(frozen=True)
class Intervals:
    prices_s: float = 60.0
    portfolio_s: float = 300.0
    forecasts_s: float = 900.0
    #: quotes cost providers' rate limits: conservative by default
    swaps_s: float = 900.0


def _significant(state: RuleState) -> tuple[bool | None, datetime | None]:
    """What must survive a restart; status text and the last value are refreshed each reading."""
    return (state.armed, state.last_fired_at)


class AlertService:
    def __init__(
        self,
        store: AlertStore,
        bus: EventBus,
        tasks: TaskManager,
        *,
        prices: PriceFeed,
        value_history: ValueHistory | None = None,
        price_history: PriceHistory | None = None,
        swap_quotes: SwapQuotes | None = None,
        settings: Callable[[], Settings] | None = None,
        tokens_for: TokensFor | None = None,
        default_taker: Callable[[], Awaitable[str | None]] | None = None,
        clock: Clock | None = None,
        intervals: Intervals | None = None,
    ) -> None:
        self.store = store
        self._bus = bus
        self._tasks = tasks
        self._prices = prices
        self._value_history = value_history
        self._price_history = price_history
        self._seeded: set[AssetKey] = set()
        self._swap_quotes = swap_quotes
        self._forecasts: VolatilityForecasts | None = None
        self._settings = settings
        self._tokens_for = tokens_for
        self._default_taker = default_taker
        self.clock: Clock = clock or SystemClock()
        self.intervals = intervals or Intervals()
        self.scheduler = Scheduler(tasks, self.clock)
        self.rules: dict[int, Rule] = {}
        self.states: dict[int, RuleState] = {}
        self._by_asset: dict[AssetKey, list[int]] = defaultdict(list)
        self._samples: dict[AssetKey, deque[tuple[datetime, Decimal]]] = defaultdict(deque)
        self._notifiers: list[Notifier] = []
        self._seen_tx: set[tuple[int, str]] = set()
        self.paused = False
        self._lock = asyncio.Lock()
        self._running = False

    # -- lifecycle ------------------------------------------------------------------------------
    async def load(self) -> None:
        rules = await self.store.rules()
        states = await self.store.states()
        self.paused = await self.store.paused()
        self._index(rules, states)
        # Transaction outcomes are events: heard even when the schedule is not running.
        self._bus.subscribe(TxStatusChanged, self._on_tx)

    def start(self) -> None:
        """Schedule the checks and follow transactions. Call after ``load``."""
        if self._running:
            return
        self._running = True
        iv = self.intervals
        self.scheduler.add("prices", iv.prices_s, self.check_prices, priority=Priority.NORMAL)
        self.scheduler.add("portfolio", iv.portfolio_s, self.check_drawdowns)
        self.scheduler.add("forecasts", iv.forecasts_s, self.check_forecasts)
        self.scheduler.add("swaps", iv.swaps_s, self.check_swaps, first_in_s=30.0)
        # Rules edited elsewhere (the CLI beside a running window, sync from another device)
        # are picked up within this interval; a small query.
        self.scheduler.add("rules", iv.prices_s, self.reload_rules, first_in_s=iv.prices_s)
        self._tasks.spawn(
            self.scheduler.run_forever(), name="alerts-scheduler", priority=Priority.SERVICE
        )

    def _index(self, rules: Iterable[Rule], states: Mapping[int, RuleState]) -> None:
        """Index rules by asset. A rule whose definition is unchanged keeps its in-memory state
        (its live status); a new or edited rule takes what the store holds."""
        fresh = {r.id: r for r in rules if r.id is not None}
        kept = {
            rid: self.states[rid]
            for rid, rule in fresh.items()
            if self.rules.get(rid) == rule and rid in self.states
        }
        self.rules = fresh
        self.states = {rid: kept.get(rid) or states.get(rid, RuleState()) for rid in fresh}
        self._by_asset = defaultdict(list)
        for rule in self.rules.values():
            if rule.asset is not None and rule.kind in ("price_above", "price_below", "pct_move"):
                self._by_asset[rule.asset.key].append(rule.id or 0)

    # -- notifiers, forecasts, pause -------------------------------------------------------------
    def attach_notifier(self, notifier: Notifier) -> None:
        if notifier not in self._notifiers:
            self._notifiers.append(notifier)

    def detach_notifier(self, notifier: Notifier) -> None:
        if notifier in self._notifiers:
            self._notifiers.remove(notifier)

    def attach_forecasts(self, source: VolatilityForecasts | None) -> None:
        """The insights feature attaches its model here once it has one (None detaches)."""
        self._forecasts = source

    async def set_paused(self, paused: bool) -> None:
        """Paused: rules are still evaluated and fired alerts recorded (marked not notified),
        but no notification is shown until alerts are resumed."""
        await self.store.set_paused(paused)
        self.paused = paused
        self._bus.publish(AlertsChanged())

    # -- rules ----------------------------------------------------------------------------------
    async def rule_from_form(self, form: RuleForm) -> Rule:
        """Parse and validate what a person typed; nothing is written."""
        if self._settings is None or self._tokens_for is None:
            raise AlertRuleError("Alerts cannot resolve assets without the app's settings.")
        if form.kind == "swap_quote" and not form.swap_taker and self._default_taker:
            form = replace(form, swap_taker=await self._default_taker() or "")
        return await build_rule(form, self._settings(), self._tokens_for)

    async def save_form(self, form: RuleForm) -> Rule:
        """Add (no id) or update (id) the rule the form describes."""
        rule = await self.rule_from_form(form)
        return await (self.add_rule(rule) if rule.id is None else self.update_rule(rule))

    async def add_rule(self, rule: Rule) -> Rule:
        validate_rule(rule)
        saved = await self.store.add(rule)
        await self._reload()
        self.scheduler.wake()
        return saved

    async def update_rule(self, rule: Rule) -> Rule:
        validate_rule(rule)
        saved = await self.store.update(rule)
        await self._reload()
        self.scheduler.wake()
        return saved

    async def set_enabled(self, rule_id: int, enabled: bool) -> Rule:
        rule = await self.store.rule(rule_id)
        return await self.update_rule(replace(rule, enabled=enabled))

    async def remove_rule(self, rule_id: int) -> None:
        await self.store.remove(rule_id)
        await self._reload()

    async def _reload(self) -> None:
        self._seeded.clear()  # a new or longer window may reach further back
        async with self._lock:
            self._index(await self.store.rules(), await self.store.states())
        self._bus.publish(AlertsChanged())

    async def reload_rules(self) -> None:
        """Re-read the rules; tell the pages only when something changed."""
        before = dict(self.rules)
        paused = await self.store.paused()
        async with self._lock:
            self._index(await self.store.rules(), await self.store.states())
        if before != self.rules or paused != self.paused:
            self.paused = paused
            self._bus.publish(AlertsChanged())

    def status(self, rule_id: int) -> str:
        rule = self.rules.get(rule_id)
        if rule is None:
            return ""
        if not rule.enabled:
            return "disabled"
        if rule.kind == "volatility_above" and self._forecasts is None:
            return NO_FORECAST
        if rule.kind == "swap_quote" and self._swap_quotes is None:
            return "swap quotes are not available"
        if rule.kind in EVENT_KINDS and self.states[rule_id].last_fired_at is None:
            return "waiting for a transaction"
        return self.states[rule_id].status

    async def history(self, limit: int = 200) -> list[FiredAlert]:
        return await self.store.history(limit)

    # -- evaluation -----------------------------------------------------------------------------
    def _enabled(self, kinds: Sequence[str]) -> list[Rule]:
        return [r for r in self.rules.values() if r.enabled and r.kind in kinds]

    async def check_now(self) -> list[FiredAlert]:
        """Every check once, now (CLI ``alerts check-now``, the page's button)."""
        fired: list[FiredAlert] = []
        for check in (
            self.check_prices,
            self.check_drawdowns,
            self.check_forecasts,
            self.check_swaps,
        ):
            fired.extend(await check())
        return fired

    async def _seed_samples(self) -> None:
        """Start % move windows from stored prices (portfolio snapshots), so a restart or a
        one-shot CLI check does not have to wait a whole window of live prices."""
        if self._price_history is None:
            return
        now = self.clock.now()
        for rule in self._enabled(("pct_move",)):
            if rule.asset is None or rule.asset.key in self._seeded:
                continue
            key = rule.asset.key
            windows = [
                r.window_s or 0 for r in self._enabled(("pct_move",)) if r.asset == rule.asset
            ]
            # One sample before the window start is the window's start price: look back further.
            since = now - timedelta(seconds=max(windows) * 2)
            stored = await self._price_history(key[0], key[1], since)
            live = list(self._samples[key])
            first_live = live[0][0] if live else None
            older = [(t, p) for t, p in stored if first_live is None or t < first_live]
            self._samples[key] = deque([*older, *live])
            self._seeded.add(key)

    async def check_prices(self) -> list[FiredAlert]:
        """Ask the price feed for every watched asset (one call per chain), then evaluate."""
        await self._seed_samples()
        watched = {
            r.asset.key
            for r in self._enabled(("price_above", "price_below", "pct_move"))
            if r.asset
        }
        by_chain: dict[int, list[str]] = defaultdict(list)
        for chain_id, token in sorted(watched):
            by_chain[chain_id].append(token)
        found: dict[AssetKey, Decimal] = {}
        for chain_id, tokens in by_chain.items():
            try:
                prices = await self._prices.prices(chain_id, tokens)
            except CoreError as exc:
                self._mark_missing(chain_id, tokens, f"no price: {exc.user_message}")
                continue
            found.update({(chain_id, t): p for t, p in prices.items()})
            absent = [t for t in tokens if t not in prices]
            self._mark_missing(chain_id, absent, "no price: no source answered for this asset")
        return await self.on_prices(found, self.clock.now())

    def _mark_missing(self, chain_id: int, tokens: Sequence[str], why: str) -> None:
        for token in tokens:
            for rule_id in self._by_asset.get((chain_id, token), ()):
                self.states[rule_id] = replace(self.states[rule_id], status=why[:200])

    async def on_prices(
        self, prices: Mapping[AssetKey, Decimal], now: datetime
    ) -> list[FiredAlert]:
        """Evaluate the rules on these assets only (the hot path of a price update)."""
        decisions: list[tuple[Rule, Decision]] = []
        count = 0
        async with self._lock:
            for key, price in prices.items():
                series = self._record_sample(key, now, price)
                for rule_id in self._by_asset.get(key, ()):
                    rule = self.rules[rule_id]
                    if not rule.enabled:
                        continue
                    decisions.append((rule, self._price_decision(rule, series, price, now)))
                    count += 1
                    if count % _YIELD_EVERY == 0:
                        await asyncio.sleep(0)
            return await self._apply(decisions, now)

    def _record_sample(
        self, key: AssetKey, now: datetime, price: Decimal
    ) -> deque[tuple[datetime, Decimal]]:
        series = self._samples[key]
        series.append((now, price))
        windows = [
            self.rules[r].window_s or 0
            for r in self._by_asset.get(key, ())
            if self.rules[r].kind == "pct_move"
        ]
        # Keep one sample older than the longest window: it is that window's start price.
        keep_from = now - timedelta(seconds=max(windows, default=0))
        while len(series) > 1 and series[1][0] <= keep_from:
            series.popleft()
        return series

    def _price_decision(
        self, rule: Rule, series: Sequence[tuple[datetime, Decimal]], price: Decimal, now: datetime
    ) -> Decision:
        state = self.states[rule.id or 0]
        if rule.kind != "pct_move":
            return evaluate_threshold(rule, state, price, now)
        change = pct_change(series, now, rule.window_s or 0)
        if change is None:
            return evaluate_threshold(
                rule, state, None, now, missing="collecting prices to cover the window"
            )
        metric = metric_for_move(change, rule.direction)
        return evaluate_threshold(rule, state, metric, now, shown=change)

    async def check_drawdowns(self) -> list[FiredAlert]:
        rules = self._enabled(("drawdown",))
        if not rules:
            return []
        now = self.clock.now()
        decisions: list[tuple[Rule, Decision]] = []
        if self._value_history is None:
            for rule in rules:
                decisions.append((rule, self._missing(rule, "portfolio history is not available")))
            return await self._apply(decisions, now)
        longest = max((r.window_s or 0 for r in rules), default=0)
        since = now - timedelta(seconds=longest) if all(r.window_s for r in rules) else None
        points = await self._value_history(since)
        for rule in rules:
            metric = drawdown_pct(points, now, rule.window_s)
            state = self.states[rule.id or 0]
            missing = "no portfolio snapshot yet: refresh the portfolio"
            decisions.append((rule, evaluate_threshold(rule, state, metric, now, missing=missing)))
        return await self._apply(decisions, now)

    async def check_forecasts(self) -> list[FiredAlert]:
        rules = self._enabled(("volatility_above",))
        now = self.clock.now()
        decisions: list[tuple[Rule, Decision]] = []
        for rule in rules:
            state = self.states[rule.id or 0]
            if self._forecasts is None or rule.asset is None:
                # Never fire on fabricated data: without a model there is nothing to compare.
                decisions.append((rule, self._missing(rule, NO_FORECAST)))
                continue
            try:
                volatility = await self._forecasts.latest_volatility(rule.asset.symbol)
            except CoreError as exc:
                decisions.append(
                    (rule, self._missing(rule, f"forecast failed: {exc.user_message}"))
                )
                continue
            metric = Decimal(str(volatility * 100)) if volatility is not None else None
            decisions.append(
                (rule, evaluate_threshold(rule, state, metric, now, missing=NO_FORECAST))
            )
        return await self._apply(decisions, now)

    async def check_swaps(self) -> list[FiredAlert]:
        rules = self._enabled(("swap_quote",))
        now = self.clock.now()
        decisions: list[tuple[Rule, Decision]] = []
        for rule in rules:
            if self._swap_quotes is None or rule.swap is None:
                decisions.append((rule, self._missing(rule, "swap quotes are not available")))
                continue
            try:
                output = await self._swap_quotes.best_output(rule.swap)
            except CoreError as exc:
                decisions.append((rule, self._missing(rule, f"no quote: {exc.user_message}")))
                continue
            state = self.states[rule.id or 0]
            missing = self._swap_quotes.last_problem or "no quote"
            decisions.append((rule, evaluate_threshold(rule, state, output, now, missing=missing)))
        return await self._apply(decisions, now)

    def _missing(self, rule: Rule, why: str) -> Decision:
        return Decision(False, replace(self.states[rule.id or 0], status=why[:200]))

    # -- events ---------------------------------------------------------------------------------
    def _on_tx(self, event: TxStatusChanged) -> None:
        if event.state not in ("confirmed", "failed") or not self._enabled(EVENT_KINDS):
            return
        if (event.intent_id, event.state) in self._seen_tx:
            return
        self._seen_tx.add((event.intent_id, event.state))
        self._tasks.spawn(
            self.on_transaction(event.intent_id, event.tx_hash, event.state),
            name="alerts:transaction",
            priority=Priority.NORMAL,
        )

    async def on_transaction(self, intent_id: int, tx_hash: str, state: str) -> list[FiredAlert]:
        now = self.clock.now()
        label = f"#{intent_id} ({tx_hash[:10]}…)" if tx_hash else f"#{intent_id}"
        decisions = [
            (rule, evaluate_event(rule, self.states[rule.id or 0], state, label, now))
            for rule in self._enabled(EVENT_KINDS)
        ]
        return await self._apply(decisions, now)

    # -- recording and notifying ----------------------------------------------------------------
    async def _apply(
        self, decisions: Sequence[tuple[Rule, Decision]], now: datetime
    ) -> list[FiredAlert]:
        changed: dict[int, RuleState] = {}
        fired: list[FiredAlert] = []
        for rule, decision in decisions:
            rule_id = rule.id or 0
            if rule_id not in self.states:
                continue  # removed while we were reading
            before = self.states[rule_id]
            self.states[rule_id] = decision.state
            if _significant(before) != _significant(decision.state):
                changed[rule_id] = decision.state
            if decision.fired:
                fired.append(
                    FiredAlert(
                        rule.id,
                        rule.uid,
                        rule.name,
                        rule.kind,
                        now,
                        decision.value,
                        rule.threshold,
                        decision.message,
                        rule.page,
                        notified=not self.paused,
                    )
                )
        saved = await self.store.save(changed, fired)
        for alert in saved:
            self._bus.publish(AlertFired(alert))
            if alert.notified:
                self._notify(alert)
        if changed:
            self._bus.publish(AlertsChanged())
        return saved

    def _notify(self, alert: FiredAlert) -> None:
        for notifier in list(self._notifiers):
            try:
                notifier.notify(alert)
            except Exception:
                log.exception("notifier %s failed", type(notifier).__name__)
