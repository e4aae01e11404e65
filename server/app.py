"""The sync server: accounts, sealed changes, cursors. It never sees a key or a plaintext.

Stateless by design: every request carries its bearer token, all state is in the database, and
change numbers are assigned under the account row's lock, so any number of instances can serve one
database behind a load balancer.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import event, func, select, text, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from server.config import ServerConfig
from server.limits import BodySizeLimit, RateLimiter
from server.tables import AccountRow, Base, ChangeRow, DeviceRow
from server.wire import (
    AccountCreated,
    AccountInfo,
    ChangeOut,
    CursorIn,
    DeviceInfo,
    MetaIn,
    Page,
    PushIn,
    PushOut,
)

__all__ = ["create_app", "hash_token", "make_engine"]

_MAX_META_BYTES = 16 * 1024


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(config: ServerConfig) -> AsyncEngine:
    if config.database_url.startswith("sqlite"):
        # Keep enough connections open for the concurrency an instance serves: an overflow
        # connection is closed on return, and reopening one (a thread, pragmas) costs more
        # than the query.
        engine = create_async_engine(
            config.database_url, pool_size=config.db_pool_size, max_overflow=config.db_pool_size
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(
        config.database_url, pool_size=config.db_pool_size, pool_pre_ping=True
    )


async def create_schema(engine: AsyncEngine) -> None:
    """Create missing tables (idempotent, safe to run from every instance at start)."""
    async with engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    async with request.app.state.sessions() as s:
        yield s


Session = Annotated[AsyncSession, Depends(_session)]


def _limited(limiter: RateLimiter, key: str) -> None:
    wait = limiter.take(key)
    if wait > 0:
        raise HTTPException(
            429,
            "too many requests",
            headers={"Retry-After": str(max(1, round(wait + 0.5)))},
        )


async def _account(
    request: Request, db: Session, authorization: Annotated[str | None, Header()] = None
) -> AccountRow:
    if not authorization or not authorization.startswith("Bearer "):
        raise HTTPException(401, "missing bearer token", headers={"WWW-Authenticate": "Bearer"})
    digest = hash_token(authorization[len("Bearer ") :].strip())
    row = (
        await db.execute(select(AccountRow).where(AccountRow.token_hash == digest))
    ).scalar_one_or_none()
    if row is None:
        raise HTTPException(401, "unknown token", headers={"WWW-Authenticate": "Bearer"})
    _limited(request.app.state.account_limits, row.id)
    return row


Account = Annotated[AccountRow, Depends(_account)]


def create_app(config: ServerConfig | None = None) -> FastAPI:
    config = config or ServerConfig.from_env()
    account_limits = RateLimiter(config.rate_per_s, config.rate_burst)
    registration_limits = RateLimiter(config.registrations_per_min / 60.0, 3)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(config)
        await create_schema(engine)
        app.state.sessions = async_sessionmaker(engine, expire_on_commit=False)
        try:
            yield
        finally:
            await engine.dispose()

    app = FastAPI(title="CryptoOrchestrator sync server", lifespan=lifespan, docs_url=None)
    app.state.account_limits = account_limits
    app.add_middleware(BodySizeLimit, max_bytes=config.max_body_bytes)

    @app.exception_handler(SQLAlchemyError)
    async def database_failed(_request: Request, _exc: SQLAlchemyError) -> JSONResponse:
        # Busy or unreachable database: the client retries with backoff. No detail leaks.
        return JSONResponse({"detail": "database unavailable"}, status_code=503)

    @app.get("/health")
    async def health(db: Session) -> dict[str, str]:
        try:
            await db.execute(text("SELECT 1"))
        except SQLAlchemyError as exc:
            raise HTTPException(503, "database unavailable") from exc
        return {"status": "ok"}

    @app.post("/v1/accounts", status_code=201)
    async def create_account(
        request: Request,
        db: Session,
        x_registration_key: Annotated[str | None, Header()] = None,
    ) -> AccountCreated:
        if config.registration == "closed":
            raise HTTPException(403, "registration is closed on this server")
        if config.registration == "key" and not (
            config.registration_key
            and x_registration_key
            and secrets.compare_digest(x_registration_key, config.registration_key)
        ):
            raise HTTPException(403, "a valid registration key is required")
        _limited(registration_limits, request.client.host if request.client else "unknown")
        token = "cos_" + secrets.token_urlsafe(32)
        row = AccountRow(
            id=uuid.uuid4().hex,
            token_hash=hash_token(token),
            created_at=datetime.now(UTC),
            last_seq=0,
        )
        db.add(row)
        await db.commit()
        return AccountCreated(account=row.id, token=token)

    @app.get("/v1/account")
    async def account_info(acct: Account, db: Session) -> AccountInfo:
        count, size = (
            await db.execute(
                select(func.count(), func.coalesce(func.sum(ChangeRow.size), 0)).where(
                    ChangeRow.account_id == acct.id
                )
            )
        ).one()
        meta = json.loads(acct.meta) if acct.meta else None
        return AccountInfo(
            account=acct.id, meta=meta, last_seq=acct.last_seq, changes=count, bytes=int(size)
        )

    @app.put("/v1/account/meta")
    async def set_meta(body: MetaIn, acct: Account, db: Session) -> dict[str, bool]:
        """Set once by the first device; the key check in it is what later devices verify."""
        encoded = json.dumps(body.meta, sort_keys=True)
        if len(encoded) > _MAX_META_BYTES:
            raise HTTPException(413, "account metadata too large")
        result = await db.execute(
            update(AccountRow)
            .where(AccountRow.id == acct.id, AccountRow.meta.is_(None))
            .values(meta=encoded)
        )
        await db.commit()
        if result.rowcount == 0:  # type: ignore[attr-defined]
            raise HTTPException(409, "this account is already set up")
        return {"ok": True}

    @app.post("/v1/changes")
    async def push(body: PushIn, acct: Account, db: Session) -> PushOut:
        if len(body.changes) > config.max_changes_per_push:
            raise HTTPException(413, f"at most {config.max_changes_per_push} changes per push")
        blobs: list[bytes] = []
        for change in body.changes:
            try:
                blob = base64.b64decode(change.blob, validate=True)
            except (binascii.Error, ValueError) as exc:
                raise HTTPException(422, f"change {change.id}: blob is not base64") from exc
            if len(blob) > config.max_blob_bytes:
                raise HTTPException(413, f"change {change.id}: larger than the blob limit")
            blobs.append(blob)
        for attempt in range(2):
            try:
                return await _store(db, acct.id, body, blobs)
            except IntegrityError:
                # The same change pushed concurrently through another instance: retry once,
                # and the second pass finds it and reports it as a duplicate.
                await db.rollback()
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    @app.get("/v1/changes")
    async def pull(
        acct: Account,
        db: Session,
        after: Annotated[int, Query(ge=0)] = 0,
        limit: Annotated[int, Query(ge=1)] = 500,
    ) -> Page:
        limit = min(limit, config.max_page)
        rows = (
            (
                await db.execute(
                    select(ChangeRow)
                    .where(ChangeRow.account_id == acct.id, ChangeRow.seq > after)
                    .order_by(ChangeRow.seq)
                    .limit(limit + 1)
                )
            )
            .scalars()
            .all()
        )
        more = len(rows) > limit
        rows = rows[:limit]
        out = [
            ChangeOut(
                seq=r.seq,
                id=r.change_id,
                device=r.device,
                rid=r.record_tag,
                version=r.version,
                blob=base64.b64encode(r.blob).decode(),
            )
            for r in rows
        ]
        next_after = rows[-1].seq if rows else after
        return Page(changes=out, next_after=next_after, more=more, last_seq=acct.last_seq)

    @app.put("/v1/devices/{device}/cursor")
    async def set_cursor(device: str, body: CursorIn, acct: Account, db: Session) -> dict[str, int]:
        if not device.isalnum() or len(device) > 32:
            raise HTTPException(422, "bad device id")
        now = datetime.now(UTC)
        row = await db.get(DeviceRow, (acct.id, device))
        if row is None:
            db.add(DeviceRow(account_id=acct.id, device=device, cursor=body.seq, last_seen=now))
        else:
            row.cursor = max(row.cursor, body.seq)
            row.last_seen = now
        try:
            await db.commit()
        except IntegrityError:
            await db.rollback()  # created concurrently by another request: fine
        return {"cursor": body.seq}

    @app.get("/v1/devices")
    async def devices(acct: Account, db: Session) -> list[DeviceInfo]:
        rows = (
            (await db.execute(select(DeviceRow).where(DeviceRow.account_id == acct.id)))
            .scalars()
            .all()
        )
        return [
            DeviceInfo(device=r.device, cursor=r.cursor, last_seen=r.last_seen.isoformat())
            for r in rows
        ]

    return app


async def _store(db: AsyncSession, account_id: str, body: PushIn, blobs: list[bytes]) -> PushOut:
    # Lock the account row first (a row lock in PostgreSQL, the write lock in SQLite): pushes of
    # one account are serialised, so seq order is commit order and no reader skips a change.
    await db.execute(
        update(AccountRow).where(AccountRow.id == account_id).values(last_seq=AccountRow.last_seq)
    )
    last_seq = (
        await db.execute(select(AccountRow.last_seq).where(AccountRow.id == account_id))
    ).scalar_one()
    ids = [c.id for c in body.changes]
    known = set(
        (
            await db.execute(
                select(ChangeRow.change_id).where(
                    ChangeRow.account_id == account_id, ChangeRow.change_id.in_(ids)
                )
            )
        )
        .scalars()
        .all()
    )
    now = datetime.now(UTC)
    accepted = 0
    fresh: set[str] = set()
    for change, blob in zip(body.changes, blobs, strict=True):
        if change.id in known or change.id in fresh:
            continue
        fresh.add(change.id)
        accepted += 1
        db.add(
            ChangeRow(
                account_id=account_id,
                seq=last_seq + accepted,
                change_id=change.id,
                device=change.device,
                record_tag=change.rid,
                version=change.version,
                blob=blob,
                size=len(blob),
                received_at=now,
            )
        )
    if accepted:
        await db.execute(
            update(AccountRow)
            .where(AccountRow.id == account_id)
            .values(last_seq=last_seq + accepted)
        )
    await db.commit()
    return PushOut(
        accepted=accepted, duplicates=len(body.changes) - accepted, last_seq=last_seq + accepted
    )
