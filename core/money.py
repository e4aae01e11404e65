"""Exact money: integer base units plus token decimals; Decimal for prices and display.

Floats never touch an amount. Parsing a human amount refuses more fractional digits than the
token has, negative numbers and anything that is not a plain decimal number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, Inexact, InvalidOperation, localcontext

from core.errors import InvalidAmountError

__all__ = ["Amount", "format_units", "parse_amount", "parse_units", "to_decimal"]

_DECIMAL_RE = re.compile(r"^(\d+)(?:\.(\d*))?$|^\.(\d+)$")
MAX_DECIMALS = 77  # uint256 has 78 digits; no real token uses more than 36


def _check_decimals(decimals: int) -> None:
    if not 0 <= decimals <= MAX_DECIMALS:
        raise InvalidAmountError(f"A token cannot have {decimals} decimals.")


def parse_amount(text: str) -> Decimal:
    """A human amount checked for form and sign before its token's decimals are known."""
    cleaned = text.strip().replace("_", "")
    if cleaned.startswith("-"):
        raise InvalidAmountError(f"Amount must not be negative: {text!r}.")
    if not _DECIMAL_RE.match(cleaned):
        raise InvalidAmountError(f"{text!r} is not a number like 1.25.")
    return Decimal(cleaned)


def parse_units(text: str, decimals: int, *, symbol: str = "") -> int:
    """Turn a human amount like ``"1.5"`` into base units, refusing anything inexact."""
    _check_decimals(decimals)
    cleaned = text.strip().replace("_", "")
    if cleaned.startswith("-"):
        raise InvalidAmountError(f"Amount must not be negative: {text!r}.")
    match = _DECIMAL_RE.match(cleaned)
    if not match:
        raise InvalidAmountError(f"{text!r} is not a number like 1.25.")
    whole = match.group(1) or "0"
    frac = match.group(2) if match.group(1) is not None else match.group(3)
    frac = frac or ""
    if len(frac.rstrip("0")) > decimals:
        unit = f" {symbol}" if symbol else ""
        raise InvalidAmountError(
            f"{text}{unit} has more than {decimals} decimal places, the most this token allows."
        )
    frac = frac[:decimals].ljust(decimals, "0")
    value: int = int(whole) * 10**decimals + (int(frac) if frac else 0)
    if value >= 2**256:
        raise InvalidAmountError(f"{text!r} is larger than any on-chain amount.")
    return value


def to_decimal(base_units: int, decimals: int) -> Decimal:
    _check_decimals(decimals)
    with localcontext() as ctx:
        ctx.prec = 100
        return Decimal(base_units).scaleb(-decimals)


def format_units(base_units: int, decimals: int, *, max_fraction: int | None = None) -> str:
    """Exact decimal text of an amount; trailing zeros trimmed; optionally rounded down."""
    value = to_decimal(base_units, decimals)
    if max_fraction is not None:
        with localcontext() as ctx:
            ctx.prec = 100
            value = value.quantize(Decimal(1).scaleb(-max_fraction), rounding=ROUND_DOWN)
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


@dataclass(frozen=True)
class Amount:
    """An exact token amount. Arithmetic and comparison only between amounts of the same
    decimals (2 units of a 6-decimal token are not more than 1 unit of a 0-decimal one)."""

    base_units: int
    decimals: int

    def __post_init__(self) -> None:
        _check_decimals(self.decimals)
        if self.base_units < 0:
            raise InvalidAmountError("Amount must not be negative.")

    @classmethod
    def parse(cls, text: str, decimals: int, *, symbol: str = "") -> Amount:
        return cls(parse_units(text, decimals, symbol=symbol), decimals)

    def to_decimal(self) -> Decimal:
        return to_decimal(self.base_units, self.decimals)

    def value_in(self, price: Decimal) -> Decimal:
        """The amount times a unit price, exact (no float)."""
        if not price.is_finite():
            raise InvalidAmountError("Price is not a finite number.")
        try:
            with localcontext() as ctx:
                # Exact or an error: a value that would need rounding is refused, not trimmed.
                ctx.prec = 200
                ctx.traps[Inexact] = True
                return self.to_decimal() * price
        except (Inexact, InvalidOperation) as exc:
            raise InvalidAmountError("The value is too large to compute exactly.") from exc

    def __add__(self, other: Amount) -> Amount:
        self._same(other)
        return Amount(self.base_units + other.base_units, self.decimals)

    def __sub__(self, other: Amount) -> Amount:
        self._same(other)
        return Amount(self.base_units - other.base_units, self.decimals)

    def __lt__(self, other: Amount) -> bool:
        self._same(other)
        return self.base_units < other.base_units

    def __le__(self, other: Amount) -> bool:
        self._same(other)
        return self.base_units <= other.base_units

    def __gt__(self, other: Amount) -> bool:
        self._same(other)
        return self.base_units > other.base_units

    def __ge__(self, other: Amount) -> bool:
        self._same(other)
        return self.base_units >= other.base_units

    def _same(self, other: Amount) -> None:
        if other.decimals != self.decimals:
            raise InvalidAmountError("Cannot combine amounts of tokens with different decimals.")

    def __str__(self) -> str:
        return format_units(self.base_units, self.decimals)
