"""Build the enabled providers from settings, with API keys read from the keychain on use."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

import httpx

from core.cache import Cache
from core.dex.aggregator import Aggregator
from core.dex.limits import RateLimiter
from core.dex.providers.base import DexProvider
from core.dex.providers.kyberswap import KyberSwapProvider
from core.dex.providers.okx import OkxCredentials, OkxProvider
from core.dex.providers.paraswap import ParaSwapProvider
from core.dex.providers.rubic import RubicProvider
from core.dex.providers.zeroex import ZeroExProvider
from core.errors import ConfigError
from core.settings import ProviderSettings, Settings
from core.wallet.keystore import Keystore
from core.wallet.secret import Secret

__all__ = ["PROVIDER_NAMES", "build_aggregator", "okx_credentials_text"]

PROVIDER_NAMES = ("0x", "okx", "rubic", "kyberswap", "paraswap")
# Published quotas: Rubic 10/min keyless; KyberSwap 3 requests/s by default.
LIMITS = {"rubic": (10.0, 1), "kyberswap": (180.0, 3)}


def okx_credentials_text(api_key: str, secret_key: str, passphrase: str, project: str = "") -> str:
    return json.dumps(
        {"api_key": api_key, "secret_key": secret_key, "passphrase": passphrase, "project": project}
    )


def _secret_reader(
    keystore: Keystore, settings: ProviderSettings
) -> Callable[[], Awaitable[Secret | None]]:
    async def read() -> Secret | None:
        if settings.api_key_ref is None:
            return None
        return await keystore.load_text(settings.api_key_ref)

    return read


def _okx_reader(
    keystore: Keystore, settings: ProviderSettings
) -> Callable[[], Awaitable[OkxCredentials | None]]:
    read_text = _secret_reader(keystore, settings)

    async def read() -> OkxCredentials | None:
        text = await read_text()
        if text is None:
            return None
        try:
            raw = json.loads(text.reveal())
            return OkxCredentials(
                Secret(raw["api_key"]),
                Secret(raw["secret_key"]),
                Secret(raw["passphrase"]),
                raw.get("project") or None,
            )
        except (ValueError, KeyError, TypeError):
            raise ConfigError("The OKX credentials in the keychain are damaged.") from None

    return read


def build_providers(
    settings: Settings, http: httpx.AsyncClient, keystore: Keystore
) -> list[DexProvider]:
    providers: list[DexProvider] = []
    for entry in settings.providers:
        if not entry.enabled:
            continue
        if entry.name == "0x":
            providers.append(ZeroExProvider(http, entry.base_url, _secret_reader(keystore, entry)))
        elif entry.name == "okx":
            providers.append(OkxProvider(http, entry.base_url, _okx_reader(keystore, entry)))
        elif entry.name == "rubic":
            providers.append(RubicProvider(http, entry.base_url))
        elif entry.name == "kyberswap":
            providers.append(KyberSwapProvider(http, entry.base_url))
        elif entry.name == "paraswap":
            providers.append(ParaSwapProvider(http, entry.base_url))
    return providers


def build_aggregator(
    providers: list[DexProvider], cache: Cache | None, deadline_s: float = 8.0
) -> Aggregator:
    limits = {
        name: RateLimiter(per_minute, burst)
        for name, (per_minute, burst) in LIMITS.items()
        if any(p.name == name for p in providers)
    }
    return Aggregator(providers, deadline_s=deadline_s, limits=limits, cache=cache)
