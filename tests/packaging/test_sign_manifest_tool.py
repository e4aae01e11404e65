"""packaging/sign_manifest.py as a release owner runs it: keygen, sign, verify."""

from __future__ import annotations

import hashlib
import json
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from core.updates import verify_manifest

REPO = Path(__file__).resolve().parents[2]
TOOL = [sys.executable, str(REPO / "packaging" / "sign_manifest.py")]
URL = "https://downloads.example.org/cryptoorchestrator-9.0.0-linux-x86_64.tar.gz"


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*TOOL, *args], capture_output=True, text=True, env=env, timeout=60)


@pytest.fixture
def release_key(tmp_path: Path) -> tuple[Path, str]:
    key = tmp_path / "keys" / "release.pem"
    done = _run("keygen", "--out", str(key))
    assert done.returncode == 0, done.stderr
    public = done.stdout.strip().splitlines()[-1].rsplit(" ", 1)[-1]
    return key, public


def test_keygen_writes_an_owner_only_key_and_never_overwrites(release_key) -> None:
    key, public = release_key
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert b"PRIVATE KEY" in key.read_bytes()
    assert len(public) == 44  # base64 of 32 bytes
    again = _run("keygen", "--out", str(key))
    assert again.returncode != 0 and "refusing to overwrite" in again.stderr


def test_sign_takes_the_sha256_of_the_download_and_the_app_verifies_it(
    release_key, tmp_path: Path
) -> None:
    key, public = release_key
    download = tmp_path / "cryptoorchestrator.tar.gz"
    download.write_bytes(b"the release archive" * 1000)
    out = tmp_path / "manifest.json"
    args = ["sign", "--key", str(key), "--version", "9.0.0", "--url", URL]
    done = _run(*args, "--file", str(download), "--notes", "Faster", "--out", str(out))
    assert done.returncode == 0, done.stderr
    manifest = verify_manifest(out.read_bytes(), (public,))
    assert manifest.sha256 == hashlib.sha256(download.read_bytes()).hexdigest()
    assert (manifest.version, manifest.url, manifest.notes) == ("9.0.0", URL, "Faster")
    ok = _run("verify", str(out), "--public-key", public)
    assert ok.returncode == 0 and ok.stdout.startswith("OK: 9.0.0")


def test_verify_reports_a_tampered_manifest_and_the_app_key_rejects_a_foreign_one(
    release_key, tmp_path: Path
) -> None:
    key, public = release_key
    out = tmp_path / "manifest.json"
    args = ["sign", "--key", str(key), "--version", "9.0.0", "--url", URL, "--sha256", "ab" * 32]
    assert _run(*args, "--out", str(out)).returncode == 0
    document = json.loads(out.read_text())
    document["manifest"]["version"] = "9.9.9"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(document))
    bad = _run("verify", str(tampered), "--public-key", public)
    assert bad.returncode == 1 and "REJECTED" in bad.stdout
    # Without --public-key the app's built-in release key is used: a throwaway key never passes.
    foreign = _run("verify", str(out))
    assert foreign.returncode == 1 and "does not verify" in foreign.stdout


@pytest.mark.parametrize(
    ("flag", "value", "reason"),
    [
        ("--version", "next", "version number"),
        ("--url", "http://downloads.example.org/x.tar.gz", "https"),
    ],
)
def test_sign_refuses_what_the_app_would_reject(release_key, tmp_path, flag, value, reason) -> None:
    key, _public = release_key
    fields = {"--version": "9.0.0", "--url": URL} | {flag: value}
    args = ["sign", "--key", str(key), "--sha256", "ab" * 32, "--out", str(tmp_path / "m.json")]
    for name, text in fields.items():
        args += [name, text]
    done = _run(*args)
    assert done.returncode != 0 and reason in done.stderr
    assert not (tmp_path / "m.json").exists()


def test_a_passphrase_protected_key_needs_its_passphrase(tmp_path: Path) -> None:
    import os

    env = {**os.environ, "CO_RELEASE_KEY_PASSPHRASE": "correct horse"}
    key = tmp_path / "release.pem"
    assert _run("keygen", "--out", str(key), env=env).returncode == 0
    assert b"ENCRYPTED PRIVATE KEY" in key.read_bytes()
    args = ["sign", "--key", str(key), "--version", "9.0.0", "--url", URL, "--sha256", "ab" * 32]
    out = ["--out", str(tmp_path / "m.json")]
    assert _run(*args, *out, env=env).returncode == 0
    without = {k: v for k, v in env.items() if k != "CO_RELEASE_KEY_PASSPHRASE"}
    assert _run(*args, *out, env=without).returncode != 0
