"""Which OS keychain `keyring` would use, and whether it really works right now.

Only real OS keychains count: macOS Keychain, Windows Credential Manager, a Secret Service on
Linux (gnome-keyring, KeePassXC), KWallet. Plaintext or "encrypted file" backends from keyrings.alt
are refused, because a private key in a file next to the database is exactly what we promise not
to do. The probe writes, reads and deletes a throwaway entry; it runs in an executor because a
keychain may block (an unlock prompt, a slow D-Bus).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import keyring
import keyring.backend
import keyring.errors

__all__ = ["NO_KEYCHAIN_HELP", "KeychainStatus", "probe_keychain", "real_backend"]

PROBE_SERVICE = "CryptoOrchestrator-probe"
_REAL_BACKENDS = (
    "keyring.backends.SecretService",
    "keyring.backends.macOS",
    "keyring.backends.Windows",
    "keyring.backends.kwallet",
    "keyring.backends.libsecret",
)


@dataclass(frozen=True)
class KeychainStatus:
    backend: str
    usable: bool
    message: str


def _backend_name(backend: keyring.backend.KeyringBackend) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__name__}"


def _real_backends(backend: keyring.backend.KeyringBackend) -> list[keyring.backend.KeyringBackend]:
    inner = getattr(backend, "backends", None)  # the chainer wraps several
    candidates = list(inner) if inner else [backend]
    return [b for b in candidates if _backend_name(b).startswith(_REAL_BACKENDS)]


def real_backend(
    backend: keyring.backend.KeyringBackend,
) -> keyring.backend.KeyringBackend | None:
    """The first real OS keychain behind ``backend`` (which may be a chainer), if any."""
    found = _real_backends(backend)
    return found[0] if found else None


NO_KEYCHAIN_HELP = (
    "No usable OS keychain was found, so wallets with keys cannot be created or imported "
    "(watch-only addresses still work). On Linux, install and unlock a Secret Service such as "
    "GNOME Keyring (`sudo apt install gnome-keyring`) or enable KeePassXC's Secret Service "
    "integration, inside a desktop session with D-Bus; on macOS and Windows the system keychain "
    "is used automatically."
)


def probe_keychain(backend: keyring.backend.KeyringBackend | None = None) -> KeychainStatus:
    """Try a real write/read/delete round trip. Blocking: call it in an executor."""
    backend = backend or keyring.get_keyring()
    name = _backend_name(backend)
    real = _real_backends(backend)
    if not real:
        return KeychainStatus(name, False, f"{NO_KEYCHAIN_HELP} (keyring chose {name})")
    chosen = real[0]
    name = _backend_name(chosen)
    user = f"probe-{secrets.token_hex(4)}"
    token = secrets.token_hex(16)
    try:
        chosen.set_password(PROBE_SERVICE, user, token)
        read_back = chosen.get_password(PROBE_SERVICE, user)
        chosen.delete_password(PROBE_SERVICE, user)
    except keyring.errors.KeyringLocked:
        return KeychainStatus(name, False, "The keychain is locked; unlock it and try again.")
    except (keyring.errors.KeyringError, OSError, RuntimeError) as exc:
        return KeychainStatus(
            name, False, f"{NO_KEYCHAIN_HELP} ({name} failed: {type(exc).__name__})"
        )
    except Exception as exc:  # D-Bus and platform errors come in many types
        return KeychainStatus(
            name, False, f"{NO_KEYCHAIN_HELP} ({name} failed: {type(exc).__name__})"
        )
    if read_back != token:
        return KeychainStatus(name, False, "The keychain did not return what was stored in it.")
    return KeychainStatus(name, True, "The keychain stores and returns secrets.")
