"""A box for secret text that never shows itself by accident.

``repr``/``str``/format print ``<secret>``; the value comes out only through ``reveal()``, which
makes every place that touches a key or mnemonic easy to find and review. Pickling is refused so a
secret cannot ride along into a cache, a queue or a crash dump by way of serialization.
"""

from __future__ import annotations

from typing import NoReturn

__all__ = ["Secret"]


class Secret:
    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret(<secret>)"

    def __str__(self) -> str:
        return "<secret>"

    def __format__(self, spec: str) -> str:
        return "<secret>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(("Secret", len(self._value)))

    def __reduce__(self) -> NoReturn:
        raise TypeError("secrets cannot be pickled")
