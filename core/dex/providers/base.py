"""What every aggregator module implements, and the HTTP plumbing they share.

Replies are untrusted input: bodies are read with a size cap, JSON is parsed defensively, and every
field is checked for type and range before it becomes a Quote. A provider error never becomes a
zero quote; it is raised as ProviderError and shown as an error row.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import httpx

from core.dex.errors import ProviderError
from core.dex.types import Quote, QuoteRequest, SwapTx
from core.errors import InvalidAddressError
from core.wallet.addresses import checksum_address

__all__ = [
    "MAX_BODY_BYTES",
    "DexProvider",
    "HttpProvider",
    "KnownContracts",
    "field_address",
    "field_int",
    "field_str",
]

MAX_BODY_BYTES = 2 * 2**20  # a quote is a few KB; anything near this is hostile or broken


@dataclass(frozen=True)
class KnownContracts:
    """The contracts a provider may ask us to call (routers) or approve (spenders) on a chain."""

    routers: frozenset[str] = field(default_factory=frozenset)
    spenders: frozenset[str] = field(default_factory=frozenset)

    @classmethod
    def of(cls, routers: tuple[str, ...], spenders: tuple[str, ...]) -> KnownContracts:
        return cls(
            frozenset(checksum_address(a) for a in routers),
            frozenset(checksum_address(a) for a in spenders),
        )


@runtime_checkable
class DexProvider(Protocol):
    """An aggregator.

    ``quote`` and ``build`` raise ProviderError for anything but a usable answer (HTTP errors,
    throttling, malformed or out-of-range fields, "no route"); they never return a zero amount.
    """

    name: str

    def supports(self, chain_id: int) -> bool: ...

    def known(self, chain_id: int) -> KnownContracts: ...

    async def quote(self, request: QuoteRequest) -> Quote: ...

    async def build(self, quote: Quote) -> SwapTx: ...


class HttpProvider:
    """Shared HTTP for providers: one injected client, capped bodies, errors mapped."""

    name = "provider"

    #: chain id -> how this provider names the chain (its id, slug or enum string)
    chains: Mapping[int, str] = {}

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str,
        known: Mapping[int, KnownContracts],
        chains: Mapping[int, str] | None = None,
    ) -> None:
        self._http = http
        self.base_url = base_url.rstrip("/")
        self._known = dict(known)
        if chains is not None:
            self.chains = dict(chains)

    def supports(self, chain_id: int) -> bool:
        return chain_id in self.chains

    def chain_name(self, chain_id: int) -> str:
        try:
            return self.chains[chain_id]
        except KeyError:
            raise self.fail(f"does not serve chain {chain_id}") from None

    def known(self, chain_id: int) -> KnownContracts:
        return self._known.get(chain_id, KnownContracts())

    def fail(self, reason: str, *, retryable: bool = False) -> ProviderError:
        return ProviderError(self.name, reason, retryable=retryable)

    def check_chain(self, stated: Any, chain_id: int) -> None:
        """Refuse a reply that says it is for another chain (when the API states one)."""
        if stated is not None and str(stated) != self.chain_name(chain_id):
            raise self.fail(f"reply is for chain {str(stated)[:20]}, not {chain_id}")

    async def request_json(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Any = None,
        headers: Mapping[str, str] | None = None,
        content: bytes | None = None,
    ) -> tuple[int, Any]:
        url = self.base_url + path
        try:
            request = self._http.build_request(
                method,
                url,
                params=params,
                json=body if content is None else None,
                content=content,
                headers=headers,
            )
            response = await self._http.send(request, stream=True)
        except httpx.TimeoutException:
            raise self.fail("no answer in time", retryable=True) from None
        except httpx.HTTPError as exc:
            raise self.fail(f"cannot connect ({type(exc).__name__})", retryable=True) from None
        try:
            raw = await self._read_capped(response)
        finally:
            await response.aclose()
        if response.status_code == 429:
            raise self.fail("rate limited by the provider; try again shortly", retryable=True)
        try:
            payload = json.loads(raw) if raw else None
        except (ValueError, UnicodeDecodeError):
            raise self.fail(f"malformed reply (HTTP {response.status_code}, not JSON)") from None
        return response.status_code, payload

    async def _read_capped(self, response: httpx.Response) -> bytes:
        declared = response.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            raise self.fail(f"reply too large ({int(declared) // 1024} KB)")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise self.fail(f"reply too large (over {MAX_BODY_BYTES // 1024} KB)")
            chunks.append(chunk)
        return b"".join(chunks)


def _get(obj: Any, path: str) -> Any:
    current = obj
    for part in path.split("."):
        if not isinstance(current, dict) or part not in current:
            return None
        current = current[part]
    return current


def field_int(provider: HttpProvider, obj: Any, path: str, *, allow_zero: bool = False) -> int:
    """A non-negative integer field, given as a decimal string or a JSON integer."""
    value = _get(obj, path)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise provider.fail(f"malformed reply: {path} is missing or not a number")
    text = str(value).strip()
    if not text.isdigit() or len(text) > 78:
        raise provider.fail(f"malformed reply: {path} is not a whole number")
    number = int(text)
    if number >= 2**256 or (number == 0 and not allow_zero):
        raise provider.fail(f"unusable reply: {path} is {'zero' if number == 0 else 'too large'}")
    return number


def field_str(provider: HttpProvider, obj: Any, path: str) -> str:
    value = _get(obj, path)
    if not isinstance(value, str) or not value:
        raise provider.fail(f"malformed reply: {path} is missing")
    return value


def field_address(provider: HttpProvider, obj: Any, path: str) -> str:
    try:
        return checksum_address(field_str(provider, obj, path))
    except InvalidAddressError:
        raise provider.fail(f"malformed reply: {path} is not an address") from None


def field_hex_bytes(provider: HttpProvider, obj: Any, path: str) -> bytes:
    text = field_str(provider, obj, path)
    body = text[2:] if text.startswith("0x") else ""
    try:
        return bytes.fromhex(body)
    except ValueError:
        raise provider.fail(f"malformed reply: {path} is not hex data") from None


def optional_int(provider: HttpProvider, obj: Any, path: str) -> int | None:
    if _get(obj, path) is None:
        return None
    return field_int(provider, obj, path, allow_zero=True)
