"""packaging/codesign.py: GPG signing for real with a throwaway key; clear skips elsewhere."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.harness.parts import missing_part

REPO = Path(__file__).resolve().parents[2]
TOOL = [sys.executable, str(REPO / "packaging" / "codesign.py")]


class Keyring:
    def __init__(self, home: Path, fingerprint: str, passphrase: str) -> None:
        self.home = home
        self.fingerprint = fingerprint
        self.passphrase = passphrase

    def env(self, **extra: str) -> dict[str, str]:
        base = {k: v for k, v in os.environ.items() if not k.startswith("CO_")}
        return {**base, "GNUPGHOME": str(self.home), **extra}

    def gpg(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["gpg", "--batch", *args], capture_output=True, text=True, env=self.env(), timeout=60
        )


def _new_keyring(passphrase: str = "") -> Iterator[Keyring]:
    if shutil.which("gpg") is None:
        missing_part("gpg (apt-get install gnupg)")
    # A short path: gpg-agent's socket path must fit in a Unix socket address.
    home = Path(tempfile.mkdtemp(prefix="co-gpg-", dir="/tmp"))
    home.chmod(0o700)
    ring = Keyring(home, "", passphrase)
    made = ring.gpg(
        "--pinentry-mode", "loopback", "--passphrase", passphrase,
        "--quick-gen-key", "CryptoOrchestrator Test <release@example.invalid>",
        "ed25519", "sign", "never",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    # A fresh agent: the one that made the key may still hold its passphrase in its cache.
    subprocess.run(["gpgconf", "--kill", "gpg-agent"], env=ring.env(), check=False)
    listing = ring.gpg("--with-colons", "--list-secret-keys").stdout
    ring.fingerprint = next(
        line.split(":")[9] for line in listing.splitlines() if line.startswith("fpr:")
    )
    try:
        yield ring
    finally:
        subprocess.run(["gpgconf", "--kill", "gpg-agent"], env=ring.env(), check=False)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def keyring() -> Iterator[Keyring]:
    yield from _new_keyring()


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "dist" / "cryptoorchestrator"
    (folder / "_internal").mkdir(parents=True)
    (folder / "cryptoorchestrator").write_bytes(b"\x7fELF fake launcher" * 100)
    (folder / "_internal" / "base_library.zip").write_bytes(os.urandom(4096))
    return folder


def _sign(bundle: Path, out: Path, env: dict[str, str], *extra: str):
    args = [*TOOL, "--platform", "linux", "--out", str(out), *extra, str(bundle)]
    return subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)


def test_gpg_signature_verifies_and_a_tampered_archive_fails(keyring, bundle, tmp_path) -> None:
    out = tmp_path / "release"
    done = _sign(bundle, out, keyring.env(CO_GPG_KEY=keyring.fingerprint))
    assert done.returncode == 0, done.stdout + done.stderr
    (archive,) = out.glob("*.tar.gz")
    signature = archive.with_name(archive.name + ".asc")
    assert signature.read_text().startswith("-----BEGIN PGP SIGNATURE-----")
    assert "sha256 " in done.stdout and "linux signing done" in done.stdout

    good = keyring.gpg("--status-fd", "1", "--verify", str(signature), str(archive))
    assert good.returncode == 0
    assert f"VALIDSIG {keyring.fingerprint}" in good.stdout

    tampered = tmp_path / "tampered.tar.gz"
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tampered.write_bytes(bytes(data))
    bad = keyring.gpg("--status-fd", "1", "--verify", str(signature), str(tampered))
    assert bad.returncode != 0
    assert "BADSIG" in bad.stdout


def test_a_user_with_only_the_public_key_can_verify(keyring, bundle, tmp_path) -> None:
    out = tmp_path / "release"
    assert _sign(bundle, out, keyring.env(CO_GPG_KEY=keyring.fingerprint)).returncode == 0
    (archive,) = out.glob("*.tar.gz")
    public = keyring.gpg("--armor", "--export", keyring.fingerprint).stdout
    user_home = Path(tempfile.mkdtemp(prefix="co-gpg-user-", dir="/tmp"))
    user_home.chmod(0o700)
    user = Keyring(user_home, keyring.fingerprint, "")
    try:
        imported = subprocess.run(
            ["gpg", "--batch", "--import"], input=public, capture_output=True, text=True,
            env=user.env(), timeout=60,
        )  # fmt: skip
        assert imported.returncode == 0, imported.stderr
        assert user.gpg("--list-secret-keys", "--with-colons").stdout.strip() == ""
        verified = user.gpg("--verify", str(archive) + ".asc", str(archive))
        assert verified.returncode == 0, verified.stderr
    finally:
        subprocess.run(["gpgconf", "--kill", "gpg-agent"], env=user.env(), check=False)
        shutil.rmtree(user_home, ignore_errors=True)


def test_a_passphrase_protected_key_signs_with_the_passphrase_only(bundle, tmp_path) -> None:
    for ring in _new_keyring(passphrase="release night"):
        out = tmp_path / "release"
        wrong = _sign(bundle, out, ring.env(CO_GPG_KEY=ring.fingerprint, CO_GPG_PASSPHRASE="no"))
        assert wrong.returncode == 1 and "gpg failed" in wrong.stdout
        right = _sign(
            bundle, out, ring.env(CO_GPG_KEY=ring.fingerprint, CO_GPG_PASSPHRASE="release night")
        )
        assert right.returncode == 0, right.stdout + right.stderr
        assert "release night" not in right.stdout + right.stderr
        (archive,) = out.glob("*.tar.gz")
        assert ring.gpg("--verify", str(archive) + ".asc", str(archive)).returncode == 0


def test_without_credentials_signing_is_skipped_clearly_unless_required(bundle, tmp_path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CO_")}
    for plat, variable in (
        ("linux", "CO_GPG_KEY"),
        ("windows", "CO_WINDOWS_PFX"),
        ("macos", "CO_MACOS_IDENTITY"),
    ):
        args = [*TOOL, "--platform", plat, "--out", str(tmp_path / "o"), str(bundle)]
        skipped = subprocess.run(args, capture_output=True, text=True, env=env, timeout=60)
        assert skipped.returncode == 0
        assert f"{plat} signing skipped" in skipped.stdout and variable in skipped.stdout
        required = subprocess.run(
            [*args, "--require"], capture_output=True, text=True, env=env, timeout=60
        )
        assert required.returncode == 1 and "FAILED (signing is required)" in required.stdout
    assert not (tmp_path / "o").exists()  # nothing half-made


def test_windows_and_macos_commands_hide_their_passwords(codesign: ModuleType, tmp_path) -> None:
    bundle = tmp_path / "cryptoorchestrator"
    bundle.mkdir()
    (bundle / "cryptoorchestrator.exe").write_bytes(b"MZ")
    (bundle / "python311.dll").write_bytes(b"MZ")
    env = {"CO_WINDOWS_PFX": "C:/keys/co.pfx", "CO_WINDOWS_PFX_PASSWORD": "pfx-secret"}
    sign, verify = codesign.windows_steps(bundle, env)
    assert sign.argv[:2] == ["signtool", "sign"] and "pfx-secret" in sign.argv
    assert "pfx-secret" not in sign.shown() and "***" in sign.shown()
    assert {"/fd", "/tr", "/td"} <= set(sign.argv) and verify.argv[1:3] == ["verify", "/pa"]

    app = tmp_path / "CryptoOrchestrator.app"
    mac_env = {
        "CO_MACOS_IDENTITY": "Developer ID Application: Example (TEAM123456)",
        "CO_NOTARY_APPLE_ID": "release@example.org",
        "CO_NOTARY_TEAM_ID": "TEAM123456",
        "CO_NOTARY_PASSWORD": "app-specific-secret",
    }
    steps = codesign.macos_steps(app, mac_env)
    tools = [" ".join(step.argv[:2]) for step in steps]
    assert tools == [
        "codesign --force", "codesign --verify", "ditto -c", "xcrun notarytool", "xcrun stapler",
    ]  # fmt: skip
    assert "runtime" in steps[0].argv and "--timestamp" in steps[0].argv
    assert all("app-specific-secret" not in step.shown() for step in steps)
