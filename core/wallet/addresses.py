"""Address checks: EIP-55 mixed-case checksums are verified, never silently 'fixed'."""

from __future__ import annotations

import re

from eth_utils import is_checksum_address, to_checksum_address

from core.errors import InvalidAddressError

__all__ = ["checksum_address"]

_HEX_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")


def checksum_address(text: str) -> str:
    """Return the EIP-55 form; refuse malformed input and a mixed-case address whose checksum
    is wrong (a sign of a typo). All-lower or all-upper input has no checksum and is accepted."""
    value = text.strip()
    if not _HEX_ADDRESS.match(value):
        raise InvalidAddressError(
            f"{value[:50]!r} is not an address: it must be 0x followed by 40 hex digits."
        )
    body = value[2:]
    if body != body.lower() and body != body.upper() and not is_checksum_address(value):
        raise InvalidAddressError(
            f"{value} has a wrong EIP-55 checksum (upper/lower case letters): check for a typo."
        )
    return str(to_checksum_address(value))
