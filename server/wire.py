"""The wire types: what clients send and receive. The only thing shared with core/sync."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

__all__ = [
    "AccountCreated",
    "AccountInfo",
    "ChangeIn",
    "ChangeOut",
    "CursorIn",
    "DeviceInfo",
    "MetaIn",
    "Page",
    "PushIn",
    "PushOut",
]

_HEX32 = r"^[0-9a-f]{32}$"
_DEVICE = r"^[0-9a-z]{1,32}$"


class AccountCreated(BaseModel):
    account: str
    token: str


class AccountInfo(BaseModel):
    account: str
    meta: dict[str, Any] | None
    last_seq: int
    changes: int
    bytes: int


class MetaIn(BaseModel):
    meta: dict[str, Any]


class ChangeIn(BaseModel):
    id: str = Field(pattern=_HEX32)
    device: str = Field(pattern=_DEVICE)
    rid: str = Field(pattern=r"^[0-9a-f]{1,64}$")
    version: str = Field(max_length=64, pattern=r"^[0-9a-z-]+$")
    blob: str = Field(description="base64 of the sealed change")


class PushIn(BaseModel):
    device: str = Field(pattern=_DEVICE)
    changes: list[ChangeIn]


class PushOut(BaseModel):
    accepted: int
    duplicates: int
    last_seq: int


class ChangeOut(BaseModel):
    seq: int
    id: str
    device: str
    rid: str
    version: str
    blob: str


class Page(BaseModel):
    changes: list[ChangeOut]
    next_after: int
    more: bool
    last_seq: int


class CursorIn(BaseModel):
    seq: int = Field(ge=0)


class DeviceInfo(BaseModel):
    device: str
    cursor: int
    last_seen: str
