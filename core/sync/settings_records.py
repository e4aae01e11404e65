"""Settings as sync records: one record per shared setting, its value as one field.

Only settings that mean the same on every device are shared (currency, refresh interval, chains
and their RPC addresses, price sources, aggregator addresses). A provider's ``api_key_ref`` is the
name of a keychain entry, never the key; the key itself stays in this device's keychain.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict, replace
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from core.errors import CoreError
from core.settings import ChainSettings, ProviderSettings, Settings
from core.sync.records import Fields, Update

__all__ = ["SHARED_SETTINGS", "SettingsSource"]

log = logging.getLogger(__name__)
SHARED_SETTINGS = ("fiat", "portfolio_refresh_s", "chains", "price_sources", "providers")


def _tuples(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    return value


def _decode(name: str, value: Any) -> Any:
    if name == "chains":
        return tuple(ChainSettings(**{k: _tuples(v) for k, v in c.items()}) for c in value)
    if name in ("price_sources", "providers"):
        return tuple(ProviderSettings(**{k: _tuples(v) for k, v in p.items()}) for p in value)
    if name == "portfolio_refresh_s":
        return float(value)
    return value


class SettingsSource:
    kind = "setting"

    def __init__(
        self, get: Callable[[], Settings], update: Callable[[Settings], Awaitable[None]]
    ) -> None:
        self._get = get
        self._update = update

    async def read(
        self, session: AsyncSession, only: dict[str, Fields] | None = None
    ) -> dict[str, Fields]:
        current = asdict(self._get())
        # A JSON round trip so tuples compare equal to what comes back from the log.
        return {
            name: {"value": json.loads(json.dumps(current[name]))}
            for name in SHARED_SETTINGS
            if only is None or name in only
        }

    async def apply(self, session: AsyncSession, updates: dict[str, Update]) -> None:
        current = self._get()
        changes: dict[str, Any] = {}
        for name, (_old, new) in updates.items():
            if name not in SHARED_SETTINGS or new is None or "value" not in new:
                continue  # a shared setting cannot be deleted; unknown names are from newer apps
            try:
                changes[name] = _decode(name, new["value"])
            except (TypeError, ValueError, KeyError, AttributeError):
                log.warning("synced setting %s is malformed; kept this device's value", name)
        if not changes:
            return
        try:
            await self._update(replace(current, **changes))
        except CoreError as exc:
            log.warning("synced settings refused (%s); kept this device's", exc.user_message)
