"""Signed update manifests: what verifies, what is ignored and why, over real HTTP on loopback."""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from core.app import CoreApp
from core.errors import ConfigError
from core.release_key import RELEASE_PUBLIC_KEYS
from core.settings import load_settings, save_settings
from core.updates import (
    ManifestRejectedError,
    canonical_bytes,
    check_for_update,
    parse_version,
    verify_manifest,
)
from core.version import __version__
from tests.fakes.release_host import ReleaseHost, release_host

SHA = "ab" * 32
URL = "https://downloads.example.org/cryptoorchestrator-9.0.0-linux-x86_64.tar.gz"


def _public(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def _fields(**overrides: Any) -> dict[str, Any]:
    return {"version": "9.0.0", "url": URL, "sha256": SHA, "published": "2026-11-25"} | overrides


def _signed(key: Ed25519PrivateKey, fields: dict[str, Any]) -> dict[str, Any]:
    """Signed the way packaging/sign_manifest.py signs, written out here independently."""
    signature = key.sign(canonical_bytes(fields))
    return {"format": 1, "manifest": fields, "signature": base64.b64encode(signature).decode()}


def _bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(document, indent=2).encode()


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def keys(key: Ed25519PrivateKey) -> tuple[str, ...]:
    return (_public(key),)


@pytest.fixture
def host() -> Iterator[ReleaseHost]:
    with release_host() as served:
        yield served


# -- verification --------------------------------------------------------------------------------
def test_a_signed_manifest_verifies_and_its_fields_are_read(key, keys) -> None:
    manifest = verify_manifest(_bytes(_signed(key, _fields(notes="Fixes"))), keys)
    assert (manifest.version, manifest.url, manifest.sha256) == ("9.0.0", URL, SHA)
    assert manifest.notes == "Fixes"


def test_key_order_and_whitespace_do_not_matter_only_the_content(key, keys) -> None:
    document = _signed(key, _fields())
    document["manifest"] = dict(reversed(list(document["manifest"].items())))
    assert verify_manifest(json.dumps(document, separators=(",", ":")).encode(), keys)


def test_a_manifest_signed_with_another_key_is_rejected(key) -> None:
    other = (_public(Ed25519PrivateKey.generate()),)
    with pytest.raises(ManifestRejectedError, match="does not verify"):
        verify_manifest(_bytes(_signed(key, _fields())), other)


def test_the_built_in_key_rejects_a_manifest_signed_with_any_test_key(key) -> None:
    assert RELEASE_PUBLIC_KEYS and all(len(base64.b64decode(k)) == 32 for k in RELEASE_PUBLIC_KEYS)
    with pytest.raises(ManifestRejectedError, match="does not verify"):
        verify_manifest(_bytes(_signed(key, _fields())))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("version", "9.0.1"),
        ("url", "https://evil.example.org/cryptoorchestrator.tar.gz"),
        ("sha256", "cd" * 32),
        ("notes", "injected"),
    ],
)
def test_any_field_changed_after_signing_is_rejected(key, keys, name: str, value: str) -> None:
    document = _signed(key, _fields())
    document["manifest"][name] = value
    with pytest.raises(ManifestRejectedError, match="does not verify"):
        verify_manifest(_bytes(document), keys)


@pytest.mark.parametrize("signature", [None, "", "!!not base64!!", base64.b64encode(b"x" * 64)])
def test_missing_empty_or_garbled_signatures_are_rejected(key, keys, signature) -> None:
    document = _signed(key, _fields())
    if signature is None:
        del document["signature"]
    else:
        document["signature"] = signature.decode() if isinstance(signature, bytes) else signature
    with pytest.raises(ManifestRejectedError, match=r"not signed|not base64|does not verify"):
        verify_manifest(_bytes(document), keys)


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        (_fields(sha256="AB" * 32), "sha256"),  # upper case: the tool writes lower case
        (_fields(sha256="ab" * 31), "sha256"),
        (_fields(sha256="zz" * 32), "sha256"),
        (_fields(version="9.0.0-beta"), "version number"),
        (_fields(version="latest"), "version number"),
        (_fields(url="http://downloads.example.org/x.tar.gz"), "https"),
        ({"url": URL, "sha256": SHA}, "'version' is missing"),
        (_fields(version=9), "not text"),
    ],
)
def test_signed_but_malformed_fields_are_rejected(key, keys, fields, reason: str) -> None:
    with pytest.raises(ManifestRejectedError, match=reason):
        verify_manifest(_bytes(_signed(key, fields)), keys)


@pytest.mark.parametrize(
    ("document", "reason"),
    [
        (b"<html>hello</html>", "not JSON"),
        (b"[1, 2]", "no manifest object"),
        (json.dumps({"format": 2, "manifest": {}, "signature": "x"}).encode(), "format"),
        (b" " * (64 * 1024 + 1), "larger than"),
    ],
)
def test_documents_that_are_not_manifests_are_rejected(keys, document: bytes, reason) -> None:
    with pytest.raises(ManifestRejectedError, match=reason):
        verify_manifest(document, keys)


def test_versions_compare_as_numbers() -> None:
    assert parse_version("0.10.0") > parse_version("0.9.9")
    assert parse_version("1.0") == parse_version("1.0.0")
    with pytest.raises(ManifestRejectedError):
        parse_version("1.0.0.0.1")


# -- the check over HTTP ---------------------------------------------------------------------------
async def _check(url: str, current: str, keys: tuple[str, ...]):
    async with httpx.AsyncClient() as http:
        return await check_for_update(http, url, current, keys)


async def test_a_newer_signed_release_is_offered_with_its_url_and_sha256(key, keys, host) -> None:
    url = host.serve("/stable.json", _bytes(_signed(key, _fields())))
    result = await _check(url, "0.1.0", keys)
    assert result.status == "available"
    assert result.manifest is not None and result.manifest.sha256 == SHA
    assert "9.0.0" in result.message and URL in result.message and SHA in result.message
    assert host.hits["/stable.json"] == 1


@pytest.mark.parametrize("served", ["0.1.0", "0.0.9", "0.1"])
async def test_an_equal_or_older_release_is_not_offered(key, keys, host, served: str) -> None:
    url = host.serve("/stable.json", _bytes(_signed(key, _fields(version=served))))
    result = await _check(url, "0.1.0", keys)
    assert result.status == "up_to_date"
    assert "newest" in result.message


async def test_a_tampered_manifest_is_ignored_with_the_reason_logged(
    key, keys, host, caplog: pytest.LogCaptureFixture
) -> None:
    document = _signed(key, _fields())
    document["manifest"]["url"] = "https://evil.example.org/x.tar.gz"
    url = host.serve("/stable.json", _bytes(document))
    with caplog.at_level(logging.WARNING, logger="core.updates"):
        result = await _check(url, "0.1.0", keys)
    assert result.status == "rejected" and result.manifest is None
    assert "does not verify" in result.reason
    assert any("ignored the manifest" in r.getMessage() for r in caplog.records)


async def test_an_unsigned_manifest_is_ignored(key, keys, host, caplog) -> None:
    document = _signed(key, _fields())
    del document["signature"]
    url = host.serve("/stable.json", _bytes(document))
    with caplog.at_level(logging.WARNING, logger="core.updates"):
        result = await _check(url, "0.1.0", keys)
    assert result.status == "rejected" and "not signed" in result.reason
    assert any("not signed" in r.getMessage() for r in caplog.records)


async def test_http_errors_and_dead_hosts_are_reported_not_raised(keys, host) -> None:
    missing = await _check(host.url("/nothing.json"), "0.1.0", keys)
    assert missing.status == "unreachable" and "404" in missing.reason
    broken = await _check(host.serve("/x.json", b"oops", status=500), "0.1.0", keys)
    assert broken.status == "unreachable" and "500" in broken.reason


async def test_no_address_means_no_request_at_all(keys, host) -> None:
    result = await _check("", "0.1.0", keys)
    assert result.status == "disabled"
    assert sum(host.hits.values()) == 0


# -- through the facade, the settings and the CLI --------------------------------------------
def test_the_manifest_address_is_a_setting_off_by_default(data_dir: Path) -> None:
    settings = load_settings(data_dir)
    assert settings.update_manifest_url == ""
    save_settings(data_dir, replace(settings, update_manifest_url="https://example.org/m.json"))
    assert load_settings(data_dir).update_manifest_url == "https://example.org/m.json"
    with pytest.raises(ConfigError, match="release manifest"):
        save_settings(data_dir, replace(settings, update_manifest_url="ftp://example.org/m"))


async def test_the_facade_checks_the_address_from_settings(data_dir, key, keys, host) -> None:
    url = host.serve("/stable.json", _bytes(_signed(key, _fields())))
    app = CoreApp(data_dir, background=False, update_keys=keys)
    await app.start()
    try:
        assert (await app.check_for_update()).status == "disabled"
        await app.update_settings(replace(app.settings(), update_manifest_url=url))
        result = await app.check_for_update()
    finally:
        await app.stop()
    assert result.status == "available" and result.current == __version__


def test_cli_update_check_ignores_a_manifest_not_signed_by_the_release_key(
    data_dir, key, host
) -> None:
    from typer.testing import CliRunner

    from core.cli import build_cli

    url = host.serve("/stable.json", _bytes(_signed(key, _fields())))
    runner = CliRunner()
    args = ["--data-dir", str(data_dir), "update-check", "--url", url, "--save-url", "--json"]
    result = runner.invoke(build_cli(), args)
    assert result.exit_code == 1, result.output
    report = json.loads(result.output.strip().splitlines()[-1])
    assert report["status"] == "rejected" and report["manifest"] is None
    assert load_settings(data_dir).update_manifest_url == url
    off = runner.invoke(build_cli(), ["--data-dir", str(data_dir / "other"), "update-check"])
    assert off.exit_code == 3 and "off" in off.output
