"""Update check: fetch a signed release manifest, verify it, and say whether a newer version exists.

The manifest is a small JSON document published next to the downloads::

    {"format": 1,
     "manifest": {"version": "0.2.0", "url": "https://.../cryptoorchestrator-0.2.0-linux.tar.gz",
                  "sha256": "<64 hex digits of the download>", "published": "2026-11-25",
                  "notes": "..."},
     "signature": "<base64 Ed25519 signature of canonical_bytes(manifest)>"}

Nothing in it is believed before its Ed25519 signature verifies against a public key built into
the app (core/release_key.py): a manifest that is unsigned, signed with another key, or changed
after signing is ignored, with the reason logged. Only then are the fields checked (a dotted
version, an https download address, a sha256 of 64 hex digits), and only a version newer than the
running one is offered. An old manifest replayed by a mirror therefore never offers a downgrade.
The app only tells the person; it never downloads or installs anything by itself.
"""

from __future__ import annotations

import base64
import binascii
import json
import logging
import re
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urlparse

import httpx
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from core.errors import CoreError
from core.release_key import RELEASE_PUBLIC_KEYS

__all__ = [
    "MANIFEST_FORMAT",
    "ManifestRejectedError",
    "ReleaseManifest",
    "UpdateCheck",
    "canonical_bytes",
    "check_for_update",
    "parse_version",
    "validate_manifest_url",
    "verify_manifest",
]

log = logging.getLogger(__name__)

MANIFEST_FORMAT = 1
#: a manifest is a few hundred bytes; anything much larger is not one
MAX_MANIFEST_BYTES = 64 * 1024
_VERSION = re.compile(r"\d+(\.\d+){0,3}")
_SHA256 = re.compile(r"[0-9a-f]{64}")

Status = Literal["disabled", "up_to_date", "available", "rejected", "unreachable"]


class ManifestRejectedError(CoreError):
    title = "Update manifest rejected"


@dataclass(frozen=True)
class ReleaseManifest:
    version: str
    url: str
    sha256: str
    published: str = ""
    notes: str = ""


@dataclass(frozen=True)
class UpdateCheck:
    status: Status
    current: str
    #: the verified manifest (also when it is not newer); None when there was none to trust
    manifest: ReleaseManifest | None = None
    #: why a manifest was rejected or could not be fetched
    reason: str = ""

    @property
    def message(self) -> str:
        if self.status == "available" and self.manifest is not None:
            return (
                f"CryptoOrchestrator {self.manifest.version} is available (you have "
                f"{self.current}): {self.manifest.url} sha256 {self.manifest.sha256}"
            )
        if self.status == "up_to_date":
            return f"CryptoOrchestrator {self.current} is the newest version."
        if self.status == "disabled":
            return "Update checks are off: no release manifest address is set."
        if self.status == "rejected":
            return f"The release manifest was ignored: {self.reason}"
        return f"Could not check for updates: {self.reason}"


def canonical_bytes(manifest: dict[str, Any]) -> bytes:
    """The exact bytes a signature covers: sorted keys, no spaces, ASCII only."""
    text = json.dumps(manifest, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return text.encode("ascii")


def parse_version(text: str) -> tuple[int, ...]:
    """'0.10.2' -> (0, 10, 2); anything but dotted whole numbers is refused."""
    if not isinstance(text, str) or not _VERSION.fullmatch(text):
        raise ManifestRejectedError(f"{text!r} is not a version number like 1.2.3.")
    numbers = tuple(int(part) for part in text.split("."))
    return numbers + (0,) * (4 - len(numbers))


def validate_manifest_url(url: str) -> str:
    """The manifest address in settings: empty (checks off) or an http(s) address."""
    url = url.strip()
    if not url:
        return ""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ManifestRejectedError(f"{url!r} is not an http(s) address for a release manifest.")
    return url


def _public_key(text: str) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))


def _signature_ok(signature: bytes, payload: bytes, keys: tuple[str, ...]) -> bool:
    for key in keys:
        try:
            _public_key(key).verify(signature, payload)
            return True
        except InvalidSignature:
            continue
    return False


def _field(manifest: dict[str, Any], name: str, required: bool = True) -> str:
    value = manifest.get(name, None if required else "")
    if not isinstance(value, str):
        missing = value is None
        raise ManifestRejectedError(
            f"the manifest's {name!r} is {'missing' if missing else 'not text'}."
        )
    return value


def verify_manifest(
    document: bytes, keys: tuple[str, ...] = RELEASE_PUBLIC_KEYS
) -> ReleaseManifest:
    """Parse and verify a manifest document; ManifestRejectedError says why it is not trusted."""
    if len(document) > MAX_MANIFEST_BYTES:
        raise ManifestRejectedError(f"the manifest is larger than {MAX_MANIFEST_BYTES} bytes.")
    try:
        outer = json.loads(document)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ManifestRejectedError("the manifest is not JSON.") from exc
    if not isinstance(outer, dict) or not isinstance(outer.get("manifest"), dict):
        raise ManifestRejectedError("the document holds no manifest object.")
    if outer.get("format") != MANIFEST_FORMAT:
        raise ManifestRejectedError(f"unknown manifest format {outer.get('format')!r}.")
    encoded = outer.get("signature")
    if not isinstance(encoded, str) or not encoded:
        raise ManifestRejectedError("the manifest is not signed.")
    try:
        signature = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ManifestRejectedError("the manifest's signature is not base64.") from exc
    manifest: dict[str, Any] = outer["manifest"]
    # The signature is checked before any field is looked at: nothing unsigned is believed.
    if not _signature_ok(signature, canonical_bytes(manifest), keys):
        raise ManifestRejectedError(
            "its signature does not verify with the release key built into this app "
            "(signed with another key, or changed after signing)."
        )
    version = _field(manifest, "version")
    parse_version(version)
    url = _field(manifest, "url")
    parsed = urlparse(url)
    if parsed.scheme != "https" or not parsed.netloc:
        raise ManifestRejectedError(f"the download address {url!r} is not an https address.")
    sha256 = _field(manifest, "sha256")
    if not _SHA256.fullmatch(sha256):
        raise ManifestRejectedError("the manifest's sha256 is not 64 lowercase hex digits.")
    return ReleaseManifest(
        version=version,
        url=url,
        sha256=sha256,
        published=_field(manifest, "published", required=False),
        notes=_field(manifest, "notes", required=False),
    )


async def check_for_update(
    http: httpx.AsyncClient,
    manifest_url: str,
    current_version: str,
    keys: tuple[str, ...] = RELEASE_PUBLIC_KEYS,
) -> UpdateCheck:
    """Fetch, verify and compare. Never raises for a bad or missing manifest: it says so."""
    if not manifest_url.strip():
        return UpdateCheck("disabled", current_version)
    try:
        response = await http.get(manifest_url, follow_redirects=True, timeout=10.0)
        response.raise_for_status()
        document = response.content
    except httpx.HTTPStatusError as exc:
        reason = f"the server answered {exc.response.status_code}."
        log.warning("update check: %s %s", manifest_url, reason)
        return UpdateCheck("unreachable", current_version, reason=reason)
    except httpx.HTTPError as exc:
        reason = f"{type(exc).__name__} while fetching the manifest."
        log.warning("update check: %s %s", manifest_url, reason)
        return UpdateCheck("unreachable", current_version, reason=reason)
    try:
        manifest = verify_manifest(document, keys)
    except ManifestRejectedError as exc:
        log.warning("update check: ignored the manifest at %s: %s", manifest_url, exc.user_message)
        return UpdateCheck("rejected", current_version, reason=exc.user_message)
    newer = parse_version(manifest.version) > parse_version(current_version)
    return UpdateCheck("available" if newer else "up_to_date", current_version, manifest)
