"""Creating a wallet as a Qt-free state machine: generate -> show once -> type back -> saved.

The phrase is shown exactly once: leaving the SHOWING state drops it from what the page may
render, and there is no way back to SHOWING. The flow keeps the phrase (in a ``Secret``) only
until the core has compared the typed-back phrase and stored the wallet, or until cancel; then it
forgets it. Cancel at any point stores nothing, because the core stores only on a correct re-entry.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from core.wallet.secret import Secret

__all__ = ["CreateState", "CreateWalletFlow"]


class CreateState(enum.Enum):
    IDLE = "idle"
    GENERATING = "generating"
    SHOWING = "showing"  # the phrase is on screen, once
    CONFIRMING = "confirming"  # phrase hidden; the person types it back
    SAVING = "saving"
    DONE = "done"


@dataclass
class CreateWalletFlow:
    on_change: Callable[[CreateWalletFlow], None] = lambda flow: None
    state: CreateState = CreateState.IDLE
    name: str = ""
    message: str = ""
    _phrase: Secret | None = None
    #: set once the phrase was handed to the page for display; it is never handed out again
    _shown: bool = False

    def _changed(self) -> None:
        self.on_change(self)

    def start(self, name: str) -> None:
        if self.state in (CreateState.GENERATING, CreateState.SAVING):
            raise RuntimeError("a wallet is being created")
        self._forget()
        self.name, self.message = name.strip(), ""
        self.state = CreateState.GENERATING
        self._changed()

    def generated(self, phrase: Secret) -> None:
        if self.state is not CreateState.GENERATING:
            return  # cancelled while the phrase was being made: drop it
        self._phrase = phrase
        self.state = CreateState.SHOWING
        self._changed()

    def take_phrase_for_display(self) -> str | None:
        """The phrase words, the first time only (the page shows them once)."""
        if self.state is not CreateState.SHOWING or self._phrase is None or self._shown:
            return None
        self._shown = True
        return self._phrase.reveal()

    def written_down(self) -> None:
        if self.state is not CreateState.SHOWING:
            raise RuntimeError("there is no phrase on screen")
        self.state = CreateState.CONFIRMING
        self.message = "Type the whole phrase back, in order, to prove you wrote it down."
        self._changed()

    def saving(self) -> Secret:
        """The shown phrase, for the core to compare with the typed-back one and store."""
        if self.state is not CreateState.CONFIRMING or self._phrase is None:
            raise RuntimeError("type the phrase back first")
        self.state = CreateState.SAVING
        self._changed()
        return self._phrase

    def refused(self, message: str) -> None:
        """The typed-back phrase was wrong (or the save failed): nothing was stored; try again."""
        if self.state is CreateState.SAVING:
            self.state = CreateState.CONFIRMING
        self.message = message
        self._changed()

    def saved(self, message: str) -> None:
        self._forget()
        self.state = CreateState.DONE
        self.message = message
        self._changed()

    def cancel(self) -> None:
        self._forget()
        self.state = CreateState.IDLE
        self.message = "Cancelled; nothing was saved."
        self._changed()

    @property
    def holds_phrase(self) -> bool:
        return self._phrase is not None

    def _forget(self) -> None:
        self._phrase = None
        self._shown = False
