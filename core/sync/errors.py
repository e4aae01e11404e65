"""Sync errors, each with a message fit for a person (and never a secret in it)."""

from __future__ import annotations

from core.errors import CoreError

__all__ = [
    "SyncAuthError",
    "SyncConfigError",
    "SyncError",
    "SyncIntegrityError",
    "SyncUnavailableError",
    "WrongPassphraseError",
]


class SyncError(CoreError):
    title = "Sync problem"


class SyncConfigError(SyncError):
    title = "Sync is not set up"


class SyncUnavailableError(SyncError):
    """The server could not be reached or is busy: retried later with backoff."""

    title = "Sync server unavailable"

    def __init__(
        self, user_message: str, *, hint: str | None = None, retry_after_s: float | None = None
    ) -> None:
        super().__init__(user_message, hint=hint)
        self.retry_after_s = retry_after_s


class SyncAuthError(SyncError):
    title = "Sync account refused"


class WrongPassphraseError(SyncError):
    title = "Wrong sync passphrase"


class SyncIntegrityError(SyncError):
    """A blob failed authentication: tampered, truncated, replayed elsewhere, or another key."""

    title = "Sync data rejected"
