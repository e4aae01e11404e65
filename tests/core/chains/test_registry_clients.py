"""Chain facts, one shared client per chain, and a reachability check that never raises."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace

import pytest
from aiohttp import web

from core.chains.clients import ChainClients
from core.chains.health import check_chain
from core.chains.registry import KNOWN_CHAINS, chain_info
from core.errors import ConfigError
from core.settings import ChainSettings, default_settings
from tests.harness.parts import free_port

MAINNET = ChainSettings(1, "Ethereum", ("https://rpc-a.example",))
BASE = ChainSettings(8453, "Base", ("https://rpc-b.example",))


def test_known_chains_have_facts_and_custom_ones_get_defaults() -> None:
    assert chain_info(8453).op_stack and chain_info(10).op_stack
    assert chain_info(1).explorer == "https://etherscan.io"
    assert {c.chain_id for c in default_settings().chains} == set(KNOWN_CHAINS)

    custom = chain_info(31337, "Local", "GO")
    assert (custom.chain_id, custom.name, custom.native_symbol) == (31337, "Local", "GO")
    assert custom.explorer is None and not custom.op_stack
    assert chain_info(777).name == "Chain 777"


async def test_configure_keeps_unchanged_clients_and_rebuilds_changed_ones() -> None:
    clients = ChainClients(8.0)
    try:
        clients.configure((MAINNET, BASE), 8.0)
        mainnet, base = clients.get(1), clients.get(8453)
        assert clients.get(1) is mainnet  # built once, shared

        moved = replace(BASE, rpc_urls=("https://rpc-c.example",))
        clients.configure((MAINNET, moved), 8.0)
        assert clients.get(1) is mainnet
        rebuilt = clients.get(8453)
        assert rebuilt is not base
        assert str(rebuilt.provider.endpoint_uri) == "https://rpc-c.example"

        clients.configure((MAINNET, moved), 3.0)  # a new timeout applies to every client
        assert clients.get(1) is not mainnet
    finally:
        await clients.close()


async def test_unknown_or_disabled_chain_is_a_config_error() -> None:
    clients = ChainClients(8.0)
    clients.configure((MAINNET, replace(BASE, enabled=False)), 8.0)
    with pytest.raises(ConfigError):
        clients.get(42)
    with pytest.raises(ConfigError):
        clients.get(8453)
    await clients.close()


async def test_dead_port_is_offline_with_a_plain_reason() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    client = ChainClients.build(url, 10.0)
    try:
        health = await check_chain(client, 31337, url, 10.0)
    finally:
        await client.provider.disconnect()
    assert not health.online
    assert health.error == "cannot connect"
    assert (health.chain_id, health.url, health.block_number) == (31337, url, None)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@pytest.fixture
async def rpc_server() -> AsyncIterator[Callable[[Handler], Awaitable[str]]]:
    """Serve one aiohttp handler on loopback; returns its URL."""
    runners: list[web.AppRunner] = []

    async def serve(handler: Handler) -> str:
        app = web.Application()
        app.router.add_post("/{tail:.*}", handler)
        runner = web.AppRunner(app)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        runners.append(runner)
        return f"http://127.0.0.1:{port}/"

    yield serve
    for runner in runners:
        await runner.cleanup()


async def test_an_rpc_of_another_chain_is_not_online(rpc_server) -> None:
    async def chain_one(request: web.Request) -> web.Response:
        body = await request.json()
        result = {"eth_chainId": "0x1", "eth_blockNumber": "0x10"}[body["method"]]
        return web.json_response({"jsonrpc": "2.0", "id": body["id"], "result": result})

    url = await rpc_server(chain_one)
    client = ChainClients.build(url, 5.0)
    try:
        wrong = await check_chain(client, 8453, url, 5.0)
        right = await check_chain(client, 1, url, 5.0)
    finally:
        await client.provider.disconnect()
    assert not wrong.online and wrong.error == "this RPC serves chain 1, not 8453"
    assert right.online and right.block_number == 16


async def test_a_server_that_is_not_an_rpc_gives_a_reason_not_an_exception(rpc_server) -> None:
    api_key = "key-0123456789"  # some providers put the key in the URL path

    async def bad_gateway(request: web.Request) -> web.Response:
        return web.Response(text=f"<html>bad gateway for {request.path}</html>", status=502)

    url = await rpc_server(bad_gateway) + api_key
    client = ChainClients.build(url, 5.0)
    try:
        health = await check_chain(client, 1, url, 5.0)
    finally:
        await client.provider.disconnect()
    assert not health.online
    assert health.error is not None and health.error.startswith("RPC error (")
    assert api_key not in health.error
