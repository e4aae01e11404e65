"""DefiLlama coins API: GET /prices/current/{chain:address,...} (free, no key).

Unknown coins are simply absent from the reply. The native coin is asked for as the chain's zero
address, as LlamaSwap does.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation

import httpx

from core.chains.registry import chain_info
from core.errors import CoreError
from core.portfolio.prices.base import NATIVE_KEY

__all__ = ["DefiLlamaPrices", "PriceSourceError"]

ZERO = "0x0000000000000000000000000000000000000000"
MAX_BODY = 2 * 2**20


class PriceSourceError(CoreError):
    title = "Prices unavailable"


class DefiLlamaPrices:
    name = "defillama"

    def __init__(self, http: httpx.AsyncClient, base_url: str = "https://coins.llama.fi") -> None:
        self._http = http
        self.base_url = base_url.rstrip("/")

    async def usd_prices(self, chain_id: int, tokens: Sequence[str]) -> dict[str, Decimal]:
        slug = chain_info(chain_id).llama_slug
        if slug is None:
            return {}
        ids = {}
        for token in tokens:
            address = ZERO if token == NATIVE_KEY else token.lower()
            ids[f"{slug}:{address}"] = token if token == NATIVE_KEY else token.lower()
        if not ids:
            return {}
        try:
            response = await self._http.get(f"{self.base_url}/prices/current/{','.join(ids)}")
        except httpx.HTTPError as exc:
            raise PriceSourceError(f"DefiLlama is not reachable ({type(exc).__name__}).") from exc
        if response.status_code != 200 or len(response.content) > MAX_BODY:
            raise PriceSourceError(f"DefiLlama answered HTTP {response.status_code}.")
        try:
            coins = json.loads(response.content)["coins"]
        except (ValueError, KeyError, TypeError):
            raise PriceSourceError("DefiLlama sent a malformed reply.") from None
        prices: dict[str, Decimal] = {}
        if not isinstance(coins, dict):
            raise PriceSourceError("DefiLlama sent a malformed reply.")
        for coin_id, entry in coins.items():
            key = ids.get(str(coin_id).lower()) or ids.get(str(coin_id))
            if key is None or not isinstance(entry, dict):
                continue
            try:
                price = Decimal(str(entry["price"]))
            except (KeyError, InvalidOperation):
                continue
            if price.is_finite() and price > 0:
                prices[key] = price
        return prices
