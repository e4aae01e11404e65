"""The curated token list per chain: widely held tokens whose contracts are well known.

Addresses are stored lower-case and checksummed at load, so a typo here fails loudly at import
instead of pointing at a wrong contract silently. People add their own tokens on top (stored in the
database); those are read from the chain (symbol, decimals) when added.
"""

from __future__ import annotations

from dataclasses import dataclass

from eth_utils import to_checksum_address

__all__ = ["CURATED", "TokenInfo"]


@dataclass(frozen=True)
class TokenInfo:
    chain_id: int
    address: str
    symbol: str
    decimals: int


def _t(chain_id: int, address: str, symbol: str, decimals: int) -> TokenInfo:
    return TokenInfo(chain_id, str(to_checksum_address(address.lower())), symbol, decimals)


CURATED: dict[int, tuple[TokenInfo, ...]] = {
    1: (
        _t(1, "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48", "USDC", 6),
        _t(1, "0xdac17f958d2ee523a2206206994597c13d831ec7", "USDT", 6),
        _t(1, "0x6b175474e89094c44da98b954eedeac495271d0f", "DAI", 18),
        _t(1, "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2", "WETH", 18),
        _t(1, "0x2260fac5e5542a773aa44fbcfedf7c193bc2c599", "WBTC", 8),
    ),
    10: (
        _t(10, "0x0b2c639c533813f4aa9d7837caf62653d097ff85", "USDC", 6),
        _t(10, "0x94b008aa00579c1307b0ef2c499ad98a8ce58e58", "USDT", 6),
        _t(10, "0x4200000000000000000000000000000000000006", "WETH", 18),
        _t(10, "0x4200000000000000000000000000000000000042", "OP", 18),
    ),
    56: (
        _t(56, "0x55d398326f99059ff775485246999027b3197955", "USDT", 18),
        _t(56, "0x8ac76a51cc950d9822d68b83fe1ad97b32cd580d", "USDC", 18),
        _t(56, "0x2170ed0880ac9a755fd29b2688956bd959f933f8", "ETH", 18),
    ),
    137: (
        _t(137, "0x3c499c542cef5e3811e1192ce70d8cc03d5c3359", "USDC", 6),
        _t(137, "0xc2132d05d31c914a87c6611c10748aeb04b58e8f", "USDT", 6),
        _t(137, "0x7ceb23fd6bc0add59e62ac25578270cff1b9f619", "WETH", 18),
    ),
    8453: (
        _t(8453, "0x833589fcd6edb6e08f4c7c32d4f71b54bda02913", "USDC", 6),
        _t(8453, "0x4200000000000000000000000000000000000006", "WETH", 18),
    ),
    42161: (
        _t(42161, "0xaf88d065e77c8cc2239327c5edb3a432268e5831", "USDC", 6),
        _t(42161, "0xfd086bc7cd5c481dcc9c85ebe478a1c0b69fcbb9", "USDT", 6),
        _t(42161, "0x82af49447d8a07e3bd95bd0d56f35241523fbab1", "WETH", 18),
        _t(42161, "0x912ce59144191c1204e64559fe8253a0e49e6548", "ARB", 18),
    ),
}
