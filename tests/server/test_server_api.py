"""The sync server over real HTTP, on SQLite and on PostgreSQL: accounts, auth, paging, limits."""

from __future__ import annotations

import base64
import os
import uuid
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.harness.sync_server import SyncServer, start_sync_server


def _change(device: str = "dev1", size: int = 40) -> dict[str, str]:
    return {
        "id": uuid.uuid4().hex,
        "device": device,
        "rid": "ab" * 16,
        "version": "000001700000000-000000-" + device,
        "blob": base64.b64encode(os.urandom(size)).decode(),
    }


def _client(server: SyncServer, token: str | None) -> httpx.Client:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.Client(base_url=server.url, headers=headers, timeout=30)


def test_health_and_accounts_are_isolated(sync_server: SyncServer) -> None:
    assert httpx.get(f"{sync_server.url}/health").json() == {"status": "ok"}
    token_a, token_b = sync_server.create_account(), sync_server.create_account()
    with _client(sync_server, token_a) as a, _client(sync_server, token_b) as b:
        pushed = [_change() for _ in range(3)]
        assert a.post("/v1/changes", json={"device": "dev1", "changes": pushed}).json() == {
            "accepted": 3,
            "duplicates": 0,
            "last_seq": 3,
        }
        # B sees none of A's changes, and its own numbering starts at 1.
        assert b.get("/v1/changes").json()["changes"] == []
        assert (
            b.post("/v1/changes", json={"device": "x9", "changes": [_change("x9")]}).json()[
                "last_seq"
            ]
            == 1
        )
        assert [c["id"] for c in a.get("/v1/changes").json()["changes"]] == [
            c["id"] for c in pushed
        ]
        assert a.get("/v1/account").json()["changes"] == 3
    with _client(sync_server, None) as anonymous:
        assert anonymous.get("/v1/changes").status_code == 401
    with _client(sync_server, token_a + "x") as forged:
        assert forged.get("/v1/changes").status_code == 401


def test_push_is_idempotent_and_pages_in_order(sync_server: SyncServer) -> None:
    token = sync_server.create_account()
    with _client(sync_server, token) as c:
        batch = [_change() for _ in range(25)]
        assert (
            c.post("/v1/changes", json={"device": "dev1", "changes": batch}).json()["accepted"]
            == 25
        )
        again = c.post("/v1/changes", json={"device": "dev1", "changes": batch[:10]}).json()
        assert again == {"accepted": 0, "duplicates": 10, "last_seq": 25}
        seen: list[str] = []
        after = 0
        while True:
            page = c.get("/v1/changes", params={"after": after, "limit": 7}).json()
            seen += [ch["id"] for ch in page["changes"]]
            after = page["next_after"]
            if not page["more"]:
                break
        assert seen == [ch["id"] for ch in batch]
        assert c.put("/v1/devices/dev1/cursor", json={"seq": 25}).status_code == 200
        assert c.get("/v1/devices").json()[0]["cursor"] == 25
        meta = {"kdf": {"alg": "argon2id"}, "check": "abc"}
        assert c.put("/v1/account/meta", json={"meta": meta}).status_code == 200
        assert c.put("/v1/account/meta", json={"meta": meta}).status_code == 409
        assert c.get("/v1/account").json()["meta"] == meta


def test_size_limits_refuse_big_requests(sync_server: SyncServer) -> None:
    token = sync_server.create_account()
    with _client(sync_server, token) as c:
        huge = [_change(size=600 * 1024)]
        assert c.post("/v1/changes", json={"device": "dev1", "changes": huge}).status_code == 413
        body = b'{"device": "dev1", "changes": [' + b" " * (9 * 1024 * 1024) + b"]}"
        response = c.post("/v1/changes", content=body, headers={"content-type": "application/json"})
        assert response.status_code == 413
        many = [_change(size=1) for _ in range(1001)]
        assert c.post("/v1/changes", json={"device": "dev1", "changes": many}).status_code == 413
        assert c.get("/v1/account").json()["changes"] == 0


def test_rate_limit_and_closed_registration(tmp_path: object) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/rl.sqlite3"
    server = start_sync_server(url, SYNC_RATE_PER_S="1", SYNC_RATE_BURST="5")
    try:
        token = server.create_account()
        with _client(server, token) as c:
            codes = [c.get("/v1/changes").status_code for _ in range(8)]
            assert codes[:5] == [200] * 5 and 429 in codes[5:]
            refused = c.get("/v1/changes")
            assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    finally:
        server.stop()
    closed = start_sync_server(url, SYNC_REGISTRATION="key", SYNC_REGISTRATION_KEY="k" * 20)
    try:
        assert httpx.post(f"{closed.url}/v1/accounts").status_code == 403
        ok = httpx.post(f"{closed.url}/v1/accounts", headers={"X-Registration-Key": "k" * 20})
        assert ok.status_code == 201
    finally:
        closed.stop()


@pytest.mark.parametrize("instances", [2])
def test_two_instances_on_one_database_number_changes_densely(
    sync_database_url: str, instances: int
) -> None:
    """Horizontal scaling: concurrent pushes through two instances, no seq lost or doubled."""
    servers = [start_sync_server(sync_database_url) for _ in range(instances)]
    try:
        token = servers[0].create_account()

        def push(i: int) -> int:
            with _client(servers[i % instances], token) as c:
                batch = [_change(f"d{i % 3}") for _ in range(5)]
                response = c.post("/v1/changes", json={"device": f"d{i % 3}", "changes": batch})
                assert response.status_code == 200, response.text
                # And the same batch again through the other instance: all duplicates.
                with _client(servers[(i + 1) % instances], token) as other:
                    dup = other.post(
                        "/v1/changes", json={"device": f"d{i % 3}", "changes": batch}
                    ).json()
                    assert dup["accepted"] == 0
                return int(response.json()["accepted"])

        with ThreadPoolExecutor(8) as pool:
            total = sum(pool.map(push, range(40)))
        assert total == 200
        with _client(servers[1], token) as c:
            page = c.get("/v1/changes", params={"limit": 1000}).json()
        assert [ch["seq"] for ch in page["changes"]] == list(range(1, 201))
        assert len({ch["id"] for ch in page["changes"]}) == 200
    finally:
        for server in servers:
            server.stop()
