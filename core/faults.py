"""Named crash points for fault-injection tests.

``crash_point("after_sign")`` kills the process on the spot (SIGKILL: no cleanup, no flush) when
``CRYPTOORCHESTRATOR_CRASH_AT`` names that point. Tests use it to prove that a crash at each step
of sending loses nothing and never leads to a second signed transaction. Unset, it does nothing.
"""

from __future__ import annotations

import os
import signal

__all__ = ["ENV_CRASH_AT", "crash_point"]

ENV_CRASH_AT = "CRYPTOORCHESTRATOR_CRASH_AT"


def crash_point(name: str) -> None:
    if os.environ.get(ENV_CRASH_AT) == name:
        os.kill(os.getpid(), signal.SIGKILL)
