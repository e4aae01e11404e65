"""The record sources the app syncs, in one list."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from core.settings import Settings
from core.sync.alert_records import alert_rule_source
from core.sync.records import (
    RecordSource,
    SnapshotSource,
    WalletSource,
    ledger_source,
    price_override_source,
    token_source,
)
from core.sync.settings_records import SettingsSource

__all__ = ["default_sources"]


def default_sources(
    profile: str,
    get_settings: Callable[[], Settings],
    update_settings: Callable[[Settings], Awaitable[None]],
) -> list[RecordSource]:
    return [
        SettingsSource(get_settings, update_settings),
        WalletSource(profile),
        token_source(),
        price_override_source(),
        ledger_source(profile),
        alert_rule_source(profile),
        SnapshotSource(profile),
    ]
