"""Typed settings, declared once, stored as a versioned JSON file in the data dir.

Secrets are never settings: a provider's API key is referenced by the name of its keychain
entry (``api_key_ref``); the key itself lives only in the OS keychain. Upgrades between stored
versions are numbered functions in ``UPGRADES``; a file written by a newer app is refused rather
than overwritten.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlparse

from core.atomic import atomic_write_text
from core.errors import ConfigError

__all__ = [
    "SCHEMA_VERSION",
    "UPGRADES",
    "ChainSettings",
    "ProviderSettings",
    "Settings",
    "default_settings",
    "load_settings",
    "save_settings",
    "validate_rpc_url",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

SCHEMA_VERSION = 1
SETTINGS_FILE = "settings.json"
FIATS = ("USD", "EUR", "GBP", "CHF", "JPY", "CAD", "AUD")

# Stored version N is upgraded by UPGRADES[N] to N + 1. Each step is pure (dict -> dict) and tested.
UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {}


@dataclass(frozen=True)
class ChainSettings:
    chain_id: int
    name: str
    rpc_urls: tuple[str, ...]
    native_symbol: str = "ETH"
    enabled: bool = True
    custom: bool = False


@dataclass(frozen=True)
class ProviderSettings:
    name: str
    base_url: str
    enabled: bool = True
    #: name of the keychain entry holding this provider's API key/secret, never the key itself
    api_key_ref: str | None = None
    #: extra chains this provider serves, as (chain id, the provider's name for it), for
    #: custom chains; the built-in list covers the major ones
    extra_chains: tuple[tuple[int, str], ...] = ()
    #: extra contracts the guard accepts, as (chain id, router, spender); an advanced setting
    #: for chains whose contracts we do not ship. The guard refuses anything not listed.
    extra_contracts: tuple[tuple[int, str, str], ...] = ()


@dataclass(frozen=True)
class Settings:
    version: int = SCHEMA_VERSION
    fiat: str = "USD"
    close_to_tray: bool = True
    rpc_timeout_s: float = 8.0
    status_poll_s: float = 60.0
    portfolio_refresh_s: float = 300.0
    chains: tuple[ChainSettings, ...] = ()
    providers: tuple[ProviderSettings, ...] = ()
    price_sources: tuple[ProviderSettings, ...] = field(default_factory=tuple)
    #: where the signed release manifest is published (core/updates.py); empty: checks off
    update_manifest_url: str = ""

    def chain(self, chain_id: int) -> ChainSettings:
        for chain in self.chains:
            if chain.chain_id == chain_id:
                return chain
        raise ConfigError(f"No chain with id {chain_id} is configured.")

    def with_chain(self, chain: ChainSettings) -> Settings:
        """A copy with ``chain`` added, or replacing the chain of the same id."""
        validate_chain(chain)
        others = tuple(c for c in self.chains if c.chain_id != chain.chain_id)
        ordered = sorted((*others, chain), key=lambda c: (c.custom, c.chain_id))
        return replace(self, chains=tuple(ordered))

    def without_chain(self, chain_id: int) -> Settings:
        self.chain(chain_id)
        return replace(self, chains=tuple(c for c in self.chains if c.chain_id != chain_id))


def _p(name: str, url: str, key: bool = False) -> ProviderSettings:
    return ProviderSettings(name, url, True, f"provider:{name}:api-key" if key else None)


def default_settings() -> Settings:
    chains = (
        ChainSettings(1, "Ethereum", ("https://ethereum-rpc.publicnode.com",), "ETH"),
        ChainSettings(10, "Optimism", ("https://optimism-rpc.publicnode.com",), "ETH"),
        ChainSettings(56, "BNB Smart Chain", ("https://bsc-rpc.publicnode.com",), "BNB"),
        ChainSettings(137, "Polygon", ("https://polygon-bor-rpc.publicnode.com",), "POL"),
        ChainSettings(8453, "Base", ("https://base-rpc.publicnode.com",), "ETH"),
        ChainSettings(42161, "Arbitrum One", ("https://arbitrum-one-rpc.publicnode.com",), "ETH"),
    )
    providers = (
        _p("0x", "https://api.0x.org", key=True),
        _p("okx", "https://web3.okx.com", key=True),
        _p("rubic", "https://api-v2.rubic.exchange"),
        _p("kyberswap", "https://aggregator-api.kyberswap.com"),
        _p("paraswap", "https://api.paraswap.io"),
    )
    prices = (
        _p("defillama", "https://coins.llama.fi"),
        _p("coingecko", "https://api.coingecko.com/api/v3"),
    )
    return Settings(chains=chains, providers=providers, price_sources=prices)


def validate_rpc_url(url: str) -> str:
    url = url.strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https", "ws", "wss") or not parsed.netloc:
        raise ConfigError(f"{url!r} is not an RPC address; use https://host/... or wss://host/...")
    return url


def _validate_base_url(provider: ProviderSettings) -> None:
    parsed = urlparse(provider.base_url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConfigError(f"{provider.name}: {provider.base_url!r} is not an http(s) address.")
    for _chain, router, spender in provider.extra_contracts:
        for address in (router, spender):
            if not re.fullmatch(r"0x[0-9a-fA-F]{40}", address):
                raise ConfigError(f"{provider.name}: {address!r} is not a contract address.")


def validate_chain(chain: ChainSettings) -> None:
    if not isinstance(chain.chain_id, int) or chain.chain_id <= 0:
        raise ConfigError(f"Chain id must be a positive whole number, not {chain.chain_id!r}.")
    if not chain.name.strip():
        raise ConfigError("A chain needs a name.")
    if not chain.rpc_urls:
        raise ConfigError(f"{chain.name} needs at least one RPC address.")
    for url in chain.rpc_urls:
        validate_rpc_url(url)
    if not chain.native_symbol.strip():
        raise ConfigError(f"{chain.name} needs the symbol of its native coin.")


def validate(settings: Settings) -> Settings:
    if settings.fiat not in FIATS:
        raise ConfigError(
            f"Unsupported currency {settings.fiat!r}; choose one of {', '.join(FIATS)}."
        )
    if not 0.5 <= settings.rpc_timeout_s <= 120:
        raise ConfigError("RPC timeout must be between 0.5 and 120 seconds.")
    if not 5 <= settings.status_poll_s <= 3600:
        raise ConfigError("Status check interval must be between 5 and 3600 seconds.")
    if not 30 <= settings.portfolio_refresh_s <= 86_400:
        raise ConfigError("Portfolio refresh interval must be between 30 s and a day.")
    seen: set[int] = set()
    for chain in settings.chains:
        validate_chain(chain)
        if chain.chain_id in seen:
            raise ConfigError(f"Chain id {chain.chain_id} is configured twice.")
        seen.add(chain.chain_id)
    for provider in (*settings.providers, *settings.price_sources):
        _validate_base_url(provider)
    url = settings.update_manifest_url
    if url and (urlparse(url).scheme not in ("http", "https") or not urlparse(url).netloc):
        raise ConfigError(f"{url!r} is not an http(s) address for the release manifest.")
    return settings


def to_dict(settings: Settings) -> dict[str, Any]:
    return asdict(settings)


def from_dict(raw: dict[str, Any]) -> Settings:
    version = raw.get("version", 1)
    if not isinstance(version, int) or version < 1:
        raise ConfigError("The settings file has no valid version number.")
    if version > SCHEMA_VERSION:
        raise ConfigError(
            f"The settings file was written by a newer CryptoOrchestrator (format {version}); "
            f"this version reads up to format {SCHEMA_VERSION}. Update the app to open it."
        )
    try:
        while version < SCHEMA_VERSION:
            raw = UPGRADES[version](dict(raw))
            version += 1
            raw["version"] = version
        return validate(
            Settings(
                version=SCHEMA_VERSION,
                fiat=_typed(raw.get("fiat", "USD"), str, "fiat"),
                close_to_tray=_typed(raw.get("close_to_tray", True), bool, "close_to_tray"),
                rpc_timeout_s=float(_number(raw.get("rpc_timeout_s", 8.0), "rpc_timeout_s")),
                status_poll_s=float(_number(raw.get("status_poll_s", 60.0), "status_poll_s")),
                portfolio_refresh_s=float(
                    _number(raw.get("portfolio_refresh_s", 300.0), "portfolio_refresh_s")
                ),
                chains=tuple(
                    ChainSettings(
                        chain_id=_typed(c["chain_id"], int, "chain_id"),
                        name=_typed(c["name"], str, "name"),
                        rpc_urls=tuple(_typed(u, str, "rpc_urls") for u in c["rpc_urls"]),
                        native_symbol=_typed(c.get("native_symbol", "ETH"), str, "native_symbol"),
                        enabled=_typed(c.get("enabled", True), bool, "enabled"),
                        custom=_typed(c.get("custom", False), bool, "custom"),
                    )
                    for c in raw.get("chains", [])
                ),
                providers=tuple(_provider(p) for p in raw.get("providers", [])),
                price_sources=tuple(_provider(p) for p in raw.get("price_sources", [])),
                update_manifest_url=_typed(
                    raw.get("update_manifest_url", ""), str, "update_manifest_url"
                ),
            )
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"The settings file is malformed ({type(exc).__name__}).") from exc


def _typed(value: Any, kind: type[T], name: str) -> T:
    """The value if it already has the right JSON type; never coerce ("false" is not False)."""
    if (kind is int and isinstance(value, bool)) or not isinstance(value, kind):
        raise ConfigError(f"The setting {name!r} should be a {kind.__name__}, not {value!r}.")
    return value


def _number(value: Any, name: str) -> float | int:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"The setting {name!r} should be a number, not {value!r}.")
    return value


def _provider(raw: dict[str, Any]) -> ProviderSettings:
    ref = raw.get("api_key_ref")
    return ProviderSettings(
        name=_typed(raw["name"], str, "name"),
        base_url=_typed(raw["base_url"], str, "base_url"),
        enabled=_typed(raw.get("enabled", True), bool, "enabled"),
        api_key_ref=_typed(ref, str, "api_key_ref") if ref is not None else None,
        extra_chains=tuple(
            (_typed(c, int, "extra_chains"), _typed(n, str, "extra_chains"))
            for c, n in raw.get("extra_chains", [])
        ),
        extra_contracts=tuple(
            (
                _typed(c, int, "extra_contracts"),
                _typed(r, str, "extra_contracts"),
                _typed(s, str, "extra_contracts"),
            )
            for c, r, s in raw.get("extra_contracts", [])
        ),
    )


def load_settings(data_dir: Path) -> Settings:
    """Read settings; a missing file gives the defaults, a damaged one a clear error.

    A damaged file is never silently replaced with defaults: the person's chains would vanish.
    """
    path = data_dir / SETTINGS_FILE
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return default_settings()
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(
            f"{path} is not valid JSON (line {exc.lineno}).",
            hint="fix or remove the file; the app will not overwrite it",
        ) from exc
    if not isinstance(raw, dict):
        raise ConfigError(f"{path} does not hold a settings object.")
    return from_dict(raw)


def save_settings(data_dir: Path, settings: Settings) -> None:
    validate(settings)
    text = json.dumps(to_dict(settings), indent=2, sort_keys=True) + "\n"
    atomic_write_text(data_dir / SETTINGS_FILE, text)
