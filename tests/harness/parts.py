"""The rule for real parts: missing locally means skip; missing in CI (CI=true) means fail."""

from __future__ import annotations

import os
import socket
from typing import NoReturn

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def missing_part(what: str) -> NoReturn:
    message = f"real part missing: {what}"
    if in_ci():
        pytest.fail(message + " (CI=true: a test that needs a real part must not skip)")
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
