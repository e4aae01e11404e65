"""A change: one device's edit of some fields of one record, and its sealed envelope.

On the wire a change is an envelope: the change id, the device, the record's opaque tag, the
version (its HLC timestamp) and the sealed blob. Those four identity fields are the blob's
associated data, so the server can route and de-duplicate without reading anything, and cannot
swap a blob onto another identity without the open failing.
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from dataclasses import dataclass, field
from typing import Any

from core.sync.crypto import SyncKeys
from core.sync.errors import SyncIntegrityError
from core.sync.hlc import HLC

__all__ = ["DELETED", "Change", "Envelope", "new_change_id", "open_envelope", "seal_change"]

#: the tombstone field: a delete is a last-writer-wins write of True to it
DELETED = "_deleted"
_ID = re.compile(r"^[0-9a-f]{32}$")


def new_change_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Change:
    change_id: str
    kind: str
    record_id: str
    hlc: HLC
    fields: dict[str, Any]
    #: for each field written, the version (HLC string) it overwrote on the writer, or None
    base: dict[str, str | None] = field(default_factory=dict)

    @property
    def device(self) -> str:
        return self.hlc.device

    @property
    def version(self) -> str:
        return self.hlc.encode()

    def body(self) -> bytes:
        payload = {"kind": self.kind, "record": self.record_id, "fields": self.fields}
        payload["base"] = self.base
        return json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Envelope:
    """What the server stores: identity in the clear (opaque ids), content sealed."""

    change_id: str
    device: str
    record_tag: str
    version: str
    blob: bytes

    def associated_data(self) -> bytes:
        parts = ("co-sync/v1", self.change_id, self.record_tag, self.device, self.version)
        return "\x00".join(parts).encode()

    def to_wire(self) -> dict[str, Any]:
        return {
            "id": self.change_id,
            "device": self.device,
            "rid": self.record_tag,
            "version": self.version,
            "blob": base64.b64encode(self.blob).decode(),
        }

    @classmethod
    def from_wire(cls, data: dict[str, Any]) -> Envelope:
        try:
            envelope = cls(
                str(data["id"]),
                str(data["device"]),
                str(data["rid"]),
                str(data["version"]),
                base64.b64decode(str(data["blob"]), validate=True),
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise SyncIntegrityError(
                "The server sent a malformed change; nothing applied."
            ) from exc
        if not _ID.match(envelope.change_id):
            raise SyncIntegrityError("The server sent a change with a malformed id.")
        return envelope


def seal_change(keys: SyncKeys, change: Change) -> Envelope:
    shell = Envelope(
        change.change_id,
        change.device,
        keys.record_tag(change.kind, change.record_id),
        change.version,
        b"",
    )
    blob = keys.seal(change.body(), shell.associated_data())
    return Envelope(shell.change_id, shell.device, shell.record_tag, shell.version, blob)


def open_envelope(keys: SyncKeys, envelope: Envelope, where: str = "") -> Change:
    what = f"Change {envelope.change_id[:8]}{where}"
    plain = keys.open(envelope.blob, envelope.associated_data(), what)
    try:
        hlc = HLC.decode(envelope.version)
        body = json.loads(plain)
        kind, record_id = str(body["kind"]), str(body["record"])
        fields, base = dict(body["fields"]), dict(body["base"])
    except (ValueError, KeyError, TypeError) as exc:
        raise SyncIntegrityError(f"{what} is malformed; it was not applied.") from exc
    if hlc.device != envelope.device:
        raise SyncIntegrityError(f"{what} names another device than it was sealed by.")
    if keys.record_tag(kind, record_id) != envelope.record_tag:
        raise SyncIntegrityError(f"{what} was moved onto another record; it was not applied.")
    return Change(envelope.change_id, kind, record_id, hlc, fields, base)
