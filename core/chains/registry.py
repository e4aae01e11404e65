"""Static facts about the EVM chains we know, used to fill in what settings do not say.

RPC addresses are settings (a person may use their own node); the facts here do not change.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["KNOWN_CHAINS", "ChainInfo", "chain_info"]


@dataclass(frozen=True)
class ChainInfo:
    chain_id: int
    name: str
    native_symbol: str
    #: OP-stack rollups charge an L1 data fee on top of L2 gas
    op_stack: bool = False
    eip1559: bool = True
    #: ids used by price sources
    llama_slug: str | None = None
    coingecko_platform: str | None = None
    explorer: str | None = None


KNOWN_CHAINS: dict[int, ChainInfo] = {
    c.chain_id: c
    for c in (
        ChainInfo(
            1, "Ethereum", "ETH", False, True, "ethereum", "ethereum", "https://etherscan.io"
        ),
        ChainInfo(
            10,
            "Optimism",
            "ETH",
            True,
            True,
            "optimism",
            "optimistic-ethereum",
            "https://optimistic.etherscan.io",
        ),
        ChainInfo(
            56,
            "BNB Smart Chain",
            "BNB",
            False,
            True,
            "bsc",
            "binance-smart-chain",
            "https://bscscan.com",
        ),
        ChainInfo(
            137, "Polygon", "POL", False, True, "polygon", "polygon-pos", "https://polygonscan.com"
        ),
        ChainInfo(8453, "Base", "ETH", True, True, "base", "base", "https://basescan.org"),
        ChainInfo(
            42161,
            "Arbitrum One",
            "ETH",
            False,
            True,
            "arbitrum",
            "arbitrum-one",
            "https://arbiscan.io",
        ),
    )
}


def chain_info(chain_id: int, name: str = "", native_symbol: str = "ETH") -> ChainInfo:
    """Facts for a known chain, or plain defaults for a custom one."""
    known = KNOWN_CHAINS.get(chain_id)
    if known is not None:
        return known
    return ChainInfo(chain_id, name or f"Chain {chain_id}", native_symbol)
