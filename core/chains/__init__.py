"""Chains: the registry of known EVM networks, AsyncWeb3 clients, and reachability checks."""

from core.chains.clients import ChainClients
from core.chains.health import ChainHealth, check_chain
from core.chains.registry import KNOWN_CHAINS, ChainInfo, chain_info

__all__ = ["KNOWN_CHAINS", "ChainClients", "ChainHealth", "ChainInfo", "chain_info", "check_chain"]
