"""Turn what a person typed (token address or "native", amount, slippage %) into a QuoteRequest."""

from __future__ import annotations

from decimal import Decimal

from core.chains.clients import ChainClients
from core.dex.types import NATIVE, QuoteRequest, TokenRef
from core.errors import ConfigError
from core.money import parse_units
from core.settings import Settings
from core.wallet import erc20
from core.wallet.addresses import checksum_address

__all__ = ["build_quote_request", "token_ref"]


async def token_ref(
    settings: Settings, clients: ChainClients, chain_id: int, text: str
) -> TokenRef:
    """A token by address (symbol and decimals read on-chain), or the native coin by "native" or
    its symbol (e.g. ETH)."""
    chain = settings.chain(chain_id)
    if text.strip().lower() in ("native", chain.native_symbol.lower()):
        return TokenRef(NATIVE, 18, chain.native_symbol)
    address = checksum_address(text)
    client = clients.get(chain_id)
    return TokenRef(
        address, await erc20.decimals(client, address), await erc20.symbol(client, address)
    )


async def build_quote_request(
    settings: Settings,
    clients: ChainClients,
    chain_id: int,
    sell: str,
    buy: str,
    amount: str,
    taker: str,
    slippage_percent: Decimal,
) -> QuoteRequest:
    sell_ref = await token_ref(settings, clients, chain_id, sell)
    buy_ref = await token_ref(settings, clients, chain_id, buy)
    if sell_ref.address == buy_ref.address:
        raise ConfigError("Choose two different tokens.")
    bps = int(slippage_percent * 100)
    if not 0 < bps <= 5000 or Decimal(bps) != slippage_percent * 100:
        raise ConfigError("Slippage must be between 0.01 and 50 percent, in steps of 0.01.")
    sell_amount = parse_units(amount, sell_ref.decimals, symbol=sell_ref.symbol)
    if sell_amount == 0:
        raise ConfigError("The amount to sell must be more than zero.")
    return QuoteRequest(chain_id, sell_ref, buy_ref, sell_amount, checksum_address(taker), bps)
