"""One AsyncWeb3 client per chain, built once and shared; rebuilt when its RPC settings change."""

from __future__ import annotations

from typing import Any

from web3 import AsyncHTTPProvider, AsyncWeb3

from core.errors import ConfigError
from core.settings import ChainSettings

__all__ = ["ChainClients", "Web3Client"]

Web3Client = AsyncWeb3[Any]


class ChainClients:
    def __init__(self, timeout_s: float) -> None:
        self._timeout_s = timeout_s
        self._clients: dict[int, tuple[tuple[str, ...], Web3Client]] = {}
        self._wanted: dict[int, tuple[str, ...]] = {}

    def configure(self, chains: tuple[ChainSettings, ...], timeout_s: float) -> None:
        """Keep clients whose chain settings are unchanged; drop the rest so they are rebuilt."""
        wanted = {c.chain_id: c.rpc_urls for c in chains if c.enabled}
        if timeout_s != self._timeout_s:
            self._clients.clear()
            self._timeout_s = timeout_s
        for chain_id in list(self._clients):
            if self._clients[chain_id][0] != wanted.get(chain_id):
                del self._clients[chain_id]
        self._wanted = wanted

    def get(self, chain_id: int) -> Web3Client:
        cached = self._clients.get(chain_id)
        if cached is not None:
            return cached[1]
        urls = self._wanted.get(chain_id)
        if not urls:
            raise ConfigError(f"Chain {chain_id} is not configured or is switched off.")
        # The first address is the primary; others are tried by the health check in order.
        client = self.build(urls[0], self._timeout_s)
        self._clients[chain_id] = (urls, client)
        return client

    @staticmethod
    def build(url: str, timeout_s: float) -> Web3Client:
        # Cache the few requests whose answers never change (eth_chainId): web3 asks for the
        # chain id on its own, and a refresh should cost exactly its own calls.
        provider = AsyncHTTPProvider(
            url, request_kwargs={"timeout": timeout_s}, cache_allowed_requests=True
        )
        return AsyncWeb3(provider)

    def urls(self, chain_id: int) -> tuple[str, ...]:
        return self._wanted.get(chain_id, ())

    async def close(self) -> None:
        for _urls, client in self._clients.values():
            provider = client.provider
            disconnect = getattr(provider, "disconnect", None)
            if disconnect is not None:
                await disconnect()
        self._clients.clear()
