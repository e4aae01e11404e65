"""One exception root for everything the core raises at a person.

Every error that crosses a layer is a :class:`CoreError` with a ``user_message`` fit to show in the
GUI or print from the CLI. Adapters translate library errors into these and chain the original
(``raise ... from exc``) so nothing is lost for debugging, while the message itself never carries
secrets: it is built from fields we choose, never from ``str(exc)`` of a library error that might
echo a request body.
"""

from __future__ import annotations

__all__ = [
    "ChainError",
    "ConfigError",
    "CoreError",
    "IdempotencyConflictError",
    "InsufficientFundsError",
    "InvalidAddressError",
    "InvalidAmountError",
    "KeychainLockedError",
    "KeychainUnavailableError",
    "StorageError",
    "WalletError",
]


class CoreError(Exception):
    """Root of every error the core shows to a person."""

    #: a short title for dialogs and log lines
    title: str = "Something went wrong"

    def __init__(self, user_message: str, *, hint: str | None = None) -> None:
        super().__init__(user_message)
        self.user_message = user_message
        self.hint = hint

    def __str__(self) -> str:
        return self.user_message if not self.hint else f"{self.user_message} ({self.hint})"


class ConfigError(CoreError):
    title = "Invalid setting"


class InvalidAmountError(CoreError):
    title = "Invalid amount"


class StorageError(CoreError):
    title = "Storage problem"


class ChainError(CoreError):
    title = "Network problem"


class KeychainUnavailableError(CoreError):
    title = "Keychain unavailable"


class KeychainLockedError(KeychainUnavailableError):
    title = "Keychain locked"


class WalletError(CoreError):
    title = "Wallet problem"


class InvalidAddressError(WalletError):
    title = "Invalid address"


class InsufficientFundsError(WalletError):
    title = "Not enough funds"


class IdempotencyConflictError(CoreError):
    title = "Conflicting request"
