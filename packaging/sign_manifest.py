"""Make the release key and sign release manifests (the app verifies them: core/updates.py).

    python packaging/sign_manifest.py keygen --out ~/release-key.pem
    python packaging/sign_manifest.py sign --key ~/release-key.pem --version 0.2.0 \\
        --url https://example.org/cryptoorchestrator-0.2.0-linux.tar.gz \\
        --file dist/cryptoorchestrator-0.2.0-linux.tar.gz --out manifest.json
    python packaging/sign_manifest.py verify manifest.json [--public-key BASE64]

keygen writes the Ed25519 private key (PKCS#8 PEM, readable by its owner only, encrypted when
CO_RELEASE_KEY_PASSPHRASE is set) and prints the public key to put in core/release_key.py. The
private key stays offline with the release owner; it never enters the repository or CI logs.
sign takes the sha256 from --file (the download itself) or --sha256, and the key's passphrase from
CO_RELEASE_KEY_PASSPHRASE. verify runs the app's own check, so a signed manifest is proven before
it is published.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from core.updates import (
    MANIFEST_FORMAT,
    ManifestRejectedError,
    canonical_bytes,
    verify_manifest,
)

PASSPHRASE_ENV = "CO_RELEASE_KEY_PASSPHRASE"  # noqa: S105 - the variable name, not a secret


def public_key_text(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode("ascii")


def sign_manifest(fields: dict[str, Any], key: Ed25519PrivateKey) -> dict[str, Any]:
    """The signed document for ``fields`` (the inner manifest object)."""
    signature = key.sign(canonical_bytes(fields))
    return {
        "format": MANIFEST_FORMAT,
        "manifest": fields,
        "signature": base64.b64encode(signature).decode("ascii"),
    }


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _passphrase() -> bytes | None:
    value = os.environ.get(PASSPHRASE_ENV)
    return value.encode() if value else None


def load_private_key(path: Path) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(path.read_bytes(), password=_passphrase())
    if not isinstance(key, Ed25519PrivateKey):
        raise SystemExit(f"{path} does not hold an Ed25519 private key")
    return key


def keygen(out: Path) -> str:
    if out.exists():
        raise SystemExit(f"{out} exists; refusing to overwrite a release key")
    key = Ed25519PrivateKey.generate()
    passphrase = _passphrase()
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase)
        if passphrase
        else serialization.NoEncryption()
    )
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    # Created readable by the owner only, never briefly world-readable.
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return public_key_text(key)


def _cmd_keygen(args: argparse.Namespace) -> int:
    public = keygen(args.out)
    print(f"private key written to {args.out} (keep it offline)")
    print(f"public key (put it in core/release_key.py): {public}")
    return 0


def _cmd_sign(args: argparse.Namespace) -> int:
    if (args.file is None) == (args.sha256 is None):
        raise SystemExit("give exactly one of --file (the download) or --sha256")
    fields: dict[str, Any] = {
        "version": args.version,
        "url": args.url,
        "sha256": sha256_of(args.file) if args.file else args.sha256,
        "published": args.published or datetime.now(UTC).strftime("%Y-%m-%d"),
        "notes": args.notes,
    }
    key = load_private_key(args.key)
    document = json.dumps(sign_manifest(fields, key), indent=2) + "\n"
    # Refuse to write what the app would refuse to read (bad version, http URL, bad sha256).
    try:
        verify_manifest(document.encode(), (public_key_text(key),))
    except ManifestRejectedError as exc:
        raise SystemExit(f"not signing: the app would reject this manifest: {exc}") from None
    args.out.write_text(document, encoding="utf-8")
    print(f"signed manifest for {fields['version']} written to {args.out}")
    return 0


def _cmd_verify(args: argparse.Namespace) -> int:
    from core.release_key import RELEASE_PUBLIC_KEYS

    keys = tuple(args.public_key) if args.public_key else RELEASE_PUBLIC_KEYS
    try:
        manifest = verify_manifest(args.manifest.read_bytes(), keys)
    except ManifestRejectedError as exc:
        print(f"REJECTED: {exc}")
        return 1
    print(f"OK: {manifest.version} {manifest.url} sha256 {manifest.sha256}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Release key and signed update manifests.")
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser("keygen", help="make a new Ed25519 release key")
    gen.add_argument("--out", type=Path, required=True)
    gen.set_defaults(run=_cmd_keygen)
    sign = commands.add_parser("sign", help="sign a release manifest")
    sign.add_argument("--key", type=Path, required=True)
    sign.add_argument("--version", required=True)
    sign.add_argument("--url", required=True, help="https address of the download")
    sign.add_argument("--file", type=Path, help="the download, to take its sha256")
    sign.add_argument("--sha256", help="the download's sha256, when the file is elsewhere")
    sign.add_argument("--published", help="release date (default: today, UTC)")
    sign.add_argument("--notes", default="")
    sign.add_argument("--out", type=Path, required=True)
    sign.set_defaults(run=_cmd_sign)
    check = commands.add_parser("verify", help="verify a manifest as the app does")
    check.add_argument("manifest", type=Path)
    check.add_argument("--public-key", action="append", help="base64; default: the app's keys")
    check.set_defaults(run=_cmd_verify)
    args = parser.parse_args(argv)
    code: int = args.run(args)
    return code


if __name__ == "__main__":
    sys.exit(main())
