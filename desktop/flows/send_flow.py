"""Sending as a Qt-free state machine: edit -> review -> confirm once -> submitted -> done.

One idempotency key per confirmed form: it is made when the form is reviewed and kept until the
form changes, so a double click, or a retry after an error, re-uses it and the core sends at most
once. Editing the form again (``back``) throws the key away: a changed form is a new operation.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from core.wallet.send_review import SendReview

__all__ = ["SendFlow", "SendState"]


class SendState(enum.Enum):
    EDITING = "editing"
    REVIEWING = "reviewing"  # reading balance, decimals and fees
    CONFIRMING = "confirming"  # the review is on screen
    SENDING = "sending"
    SUBMITTED = "submitted"  # broadcast, waiting for a block
    DONE = "done"
    FAILED = "failed"


@dataclass
class SendFlow:
    on_change: Callable[[SendFlow], None] = lambda flow: None
    state: SendState = SendState.EDITING
    review: SendReview | None = None
    idempotency_key: str | None = None
    intent_id: int | None = None
    tx_hash: str | None = None
    message: str = ""

    def _changed(self) -> None:
        self.on_change(self)

    @property
    def busy(self) -> bool:
        return self.state in (SendState.REVIEWING, SendState.SENDING, SendState.SUBMITTED)

    def start_review(self) -> None:
        if self.busy:
            raise RuntimeError("a send is in progress")
        self.state, self.review, self.message = SendState.REVIEWING, None, ""
        self.idempotency_key = None
        self._changed()

    def reviewed(self, review: SendReview) -> None:
        if self.state is not SendState.REVIEWING:
            return
        self.review = review
        self.idempotency_key = f"gui-send-{uuid.uuid4()}"
        self.state = SendState.CONFIRMING
        self._changed()

    def review_failed(self, message: str) -> None:
        self.state, self.message = SendState.EDITING, message
        self._changed()

    def back(self) -> None:
        if self.state is SendState.CONFIRMING:
            self.state, self.review, self.idempotency_key = SendState.EDITING, None, None
            self._changed()

    def confirm(self) -> str | None:
        """The key to send with, or None when this click must not send (already sending)."""
        if self.state is not SendState.CONFIRMING or self.idempotency_key is None:
            return None
        self.state = SendState.SENDING
        self._changed()
        return self.idempotency_key

    def submitted(self, intent_id: int, tx_hash: str | None) -> None:
        self.intent_id, self.tx_hash = intent_id, tx_hash
        if self.state is SendState.SENDING:
            self.state = SendState.SUBMITTED
            self.message = f"Sent {tx_hash}; waiting for a block…"
        self._changed()

    def finished(self, state: str, message: str) -> None:
        self.state = SendState.DONE if state == "confirmed" else SendState.FAILED
        self.message = message
        self._changed()

    def failed(self, message: str) -> None:
        # The key stays: retrying the same reviewed form cannot send a second time.
        self.state = SendState.CONFIRMING if self.review is not None else SendState.EDITING
        self.message = message
        self._changed()

    def reset(self) -> None:
        if self.busy:
            raise RuntimeError("a send is in progress")
        self.state, self.review, self.idempotency_key = SendState.EDITING, None, None
        self.intent_id, self.tx_hash, self.message = None, None, ""
        self._changed()
