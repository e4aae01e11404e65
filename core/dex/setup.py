"""Build the enabled providers from settings, with API keys read from the keychain on use."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping

import httpx

from core.cache import Cache
from core.dex.aggregator import Aggregator
from core.dex.limits import RateLimiter
from core.dex.providers import kyberswap, okx, paraswap, zeroex
from core.dex.providers.base import DexProvider, HttpProvider, KnownContracts
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
DEFAULT_KNOWN: dict[str, Mapping[int, KnownContracts]] = {
    "0x": zeroex.KNOWN,
    "okx": okx.KNOWN,
    "kyberswap": kyberswap.KNOWN,
    "paraswap": paraswap.KNOWN,
    "rubic": {},
}
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


def _known(
    defaults: Mapping[int, KnownContracts], entry: ProviderSettings
) -> dict[int, KnownContracts]:
    known = dict(defaults)
    for chain_id, router, spender in entry.extra_contracts:
        current = known.get(chain_id, KnownContracts())
        extra = KnownContracts.of((router,), (spender,))
        known[chain_id] = KnownContracts(
            current.routers | extra.routers, current.spenders | extra.spenders
        )
    return known


def build_providers(
    settings: Settings, http: httpx.AsyncClient, keystore: Keystore
) -> list[DexProvider]:
    modules: dict[str, type[HttpProvider]] = {
        "0x": ZeroExProvider,
        "okx": OkxProvider,
        "rubic": RubicProvider,
        "kyberswap": KyberSwapProvider,
        "paraswap": ParaSwapProvider,
    }
    providers: list[DexProvider] = []
    for entry in settings.providers:
        module = modules.get(entry.name)
        if not entry.enabled or module is None:
            continue
        chains = {**module.chains, **dict(entry.extra_chains)}
        known = _known(DEFAULT_KNOWN.get(entry.name, {}), entry)
        provider: DexProvider
        if entry.name == "0x":
            provider = ZeroExProvider(
                http, entry.base_url, _secret_reader(keystore, entry), known, chains
            )
        elif entry.name == "okx":
            provider = OkxProvider(
                http, entry.base_url, _okx_reader(keystore, entry), known, chains
            )
        elif entry.name == "rubic":
            provider = RubicProvider(http, entry.base_url, known, chains)
        elif entry.name == "kyberswap":
            provider = KyberSwapProvider(http, entry.base_url, known, chains)
        else:
            provider = ParaSwapProvider(http, entry.base_url, known, chains)
        providers.append(provider)
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
