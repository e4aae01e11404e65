"""HTTP transport to the sync server, over the app's one ``httpx.AsyncClient``.

Library and HTTP errors become sync errors with a person's message: unreachable, busy or rate
limited servers are :class:`SyncUnavailableError` (retried with backoff), a refused token is
:class:`SyncAuthError`. The token travels only in the Authorization header and never appears in
a message.
"""

from __future__ import annotations

from typing import Any

import httpx

from core.sync.changes import Envelope
from core.sync.errors import SyncAuthError, SyncError, SyncUnavailableError
from core.wallet.secret import Secret

__all__ = ["PulledPage", "SyncClient", "create_account"]


class PulledPage:
    __slots__ = ("envelopes", "last_seq", "more", "next_after", "seqs")

    def __init__(self, body: dict[str, Any]) -> None:
        changes = body["changes"]
        self.envelopes = [Envelope.from_wire(c) for c in changes]
        self.seqs = [int(c["seq"]) for c in changes]
        self.next_after = int(body["next_after"])
        self.more = bool(body["more"])
        self.last_seq = int(body["last_seq"])


def _base(url: str) -> str:
    url = url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise SyncError(f"{url!r} is not a server address; use https://host[:port].")
    return url


async def _request(
    http: httpx.AsyncClient, method: str, url: str, token: Secret | None = None, **kw: Any
) -> Any:
    headers = dict(kw.pop("headers", {}) or {})
    if token is not None:
        headers["Authorization"] = f"Bearer {token.reveal()}"
    try:
        response = await http.request(method, url, headers=headers, **kw)
    except httpx.TimeoutException:
        raise SyncUnavailableError("The sync server did not answer in time.") from None
    except httpx.HTTPError as exc:
        raise SyncUnavailableError(
            f"The sync server could not be reached ({type(exc).__name__})."
        ) from None
    status = response.status_code
    if status == 401:
        raise SyncAuthError("The sync server does not accept this account token.")
    if status == 403:
        raise SyncAuthError("The sync server refused: " + _detail(response))
    if status == 429:
        retry = float(response.headers.get("Retry-After", "5") or 5)
        raise SyncUnavailableError(
            "The sync server asks to slow down; retrying later.", retry_after_s=retry
        )
    if status >= 500:
        raise SyncUnavailableError(f"The sync server is having trouble (HTTP {status}).")
    if status == 413:
        raise SyncError("The sync server refused a request as too large: " + _detail(response))
    if status == 409:
        raise SyncError("This sync account is already set up; join it instead.")
    if status >= 400:
        raise SyncError(f"The sync server refused the request (HTTP {status}): {_detail(response)}")
    try:
        return response.json()
    except ValueError:
        raise SyncError("The sync server sent an answer that is not JSON.") from None


def _detail(response: httpx.Response) -> str:
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        detail = None
    return str(detail)[:200] if detail else "no reason given"


async def create_account(
    http: httpx.AsyncClient, server_url: str, registration_key: str | None = None
) -> tuple[str, Secret]:
    headers = {"X-Registration-Key": registration_key} if registration_key else {}
    body = await _request(http, "POST", f"{_base(server_url)}/v1/accounts", headers=headers)
    return str(body["account"]), Secret(str(body["token"]))


class SyncClient:
    def __init__(self, http: httpx.AsyncClient, server_url: str, token: Secret) -> None:
        self._http = http
        self.base = _base(server_url)
        self._token = token

    def __repr__(self) -> str:
        return f"SyncClient({self.base!r}, token=<secret>)"

    async def health(self) -> bool:
        body = await _request(self._http, "GET", f"{self.base}/health")
        return bool(body.get("status") == "ok")

    async def account(self) -> dict[str, Any]:
        return dict(await _request(self._http, "GET", f"{self.base}/v1/account", self._token))

    async def set_meta(self, meta: dict[str, Any]) -> None:
        await _request(
            self._http, "PUT", f"{self.base}/v1/account/meta", self._token, json={"meta": meta}
        )

    async def push(self, device: str, envelopes: list[Envelope]) -> dict[str, Any]:
        payload = {"device": device, "changes": [e.to_wire() for e in envelopes]}
        return dict(
            await _request(self._http, "POST", f"{self.base}/v1/changes", self._token, json=payload)
        )

    async def pull(self, after: int, limit: int) -> PulledPage:
        body = await _request(
            self._http,
            "GET",
            f"{self.base}/v1/changes",
            self._token,
            params={"after": after, "limit": limit},
        )
        try:
            return PulledPage(body)
        except (KeyError, TypeError, ValueError) as exc:
            raise SyncError("The sync server sent a malformed page of changes.") from exc

    async def set_cursor(self, device: str, seq: int) -> None:
        await _request(
            self._http,
            "PUT",
            f"{self.base}/v1/devices/{device}/cursor",
            self._token,
            json={"seq": seq},
        )
