"""CoinGecko API v3: /simple/token_price/{platform} for tokens, /simple/price for native coins.

Keyless or with a Demo key (header x-cg-demo-api-key). Token prices come back keyed by the
lower-case contract address; unknown tokens are absent.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx

from core.chains.registry import chain_info
from core.portfolio.prices.base import NATIVE_KEY
from core.portfolio.prices.defillama import PriceSourceError
from core.wallet.secret import Secret

__all__ = ["NATIVE_IDS", "CoinGeckoPrices"]

NATIVE_IDS = {"ETH": "ethereum", "BNB": "binancecoin", "POL": "polygon-ecosystem-token"}
MAX_BODY = 2 * 2**20


class CoinGeckoPrices:
    name = "coingecko"

    def __init__(
        self,
        http: httpx.AsyncClient,
        base_url: str = "https://api.coingecko.com/api/v3",
        api_key: Callable[[], Awaitable[Secret | None]] | None = None,
    ) -> None:
        self._http = http
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key

    async def _get(self, path: str, params: dict[str, str]) -> Any:
        headers = {}
        if self._api_key is not None:
            key = await self._api_key()
            if key is not None:
                headers["x-cg-demo-api-key"] = key.reveal()
        try:
            response = await self._http.get(self.base_url + path, params=params, headers=headers)
        except httpx.HTTPError as exc:
            raise PriceSourceError(f"CoinGecko is not reachable ({type(exc).__name__}).") from exc
        if response.status_code == 429:
            raise PriceSourceError("CoinGecko's rate limit was reached; prices will retry later.")
        if response.status_code != 200 or len(response.content) > MAX_BODY:
            raise PriceSourceError(f"CoinGecko answered HTTP {response.status_code}.")
        try:
            return json.loads(response.content)
        except ValueError:
            raise PriceSourceError("CoinGecko sent a malformed reply.") from None

    async def usd_prices(self, chain_id: int, tokens: Sequence[str]) -> dict[str, Decimal]:
        info = chain_info(chain_id)
        prices: dict[str, Decimal] = {}
        if NATIVE_KEY in tokens and info.native_symbol in NATIVE_IDS:
            coin = NATIVE_IDS[info.native_symbol]
            body = await self._get("/simple/price", {"ids": coin, "vs_currencies": "usd"})
            price = _price(body.get(coin) if isinstance(body, dict) else None)
            if price is not None:
                prices[NATIVE_KEY] = price
        addresses = [t.lower() for t in tokens if t != NATIVE_KEY]
        if addresses and info.coingecko_platform:
            body = await self._get(
                f"/simple/token_price/{info.coingecko_platform}",
                {"contract_addresses": ",".join(addresses), "vs_currencies": "usd"},
            )
            if not isinstance(body, dict):
                raise PriceSourceError("CoinGecko sent a malformed reply.")
            for address in addresses:
                price = _price(body.get(address))
                if price is not None:
                    prices[address] = price
        return prices


def _price(entry: Any) -> Decimal | None:
    if not isinstance(entry, dict) or "usd" not in entry:
        return None
    try:
        price = Decimal(str(entry["usd"]))
    except InvalidOperation:
        return None
    return price if price.is_finite() and price > 0 else None
