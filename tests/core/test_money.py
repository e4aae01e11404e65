"""Amounts are exact: base-unit integers, refusals for anything inexact, Decimal for value."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import InvalidAmountError
from core.money import Amount, format_units, parse_units

MAX_UINT = 2**256 - 1


@given(value=st.integers(min_value=0, max_value=MAX_UINT), decimals=st.integers(0, 36))
def test_format_then_parse_is_exact(value: int, decimals: int) -> None:
    text = format_units(value, decimals)
    assert "e" not in text.lower()
    assert parse_units(text, decimals) == value


@pytest.mark.parametrize(
    ("text", "decimals", "expected"),
    [
        ("1.5", 6, 1_500_000),
        ("1.500000000", 6, 1_500_000),  # zeros beyond the token's decimals change nothing
        (".25", 2, 25),
        ("7", 0, 7),
        ("0.000000000000000001", 18, 1),
        (" 2.5 ", 18, 2_500_000_000_000_000_000),
        (str(MAX_UINT), 0, MAX_UINT),
    ],
)
def test_parse_units_accepts_plain_decimals(text: str, decimals: int, expected: int) -> None:
    assert parse_units(text, decimals) == expected


@pytest.mark.parametrize(
    ("text", "decimals"),
    [
        ("1.0000001", 6),  # one digit more than USDC has
        ("-1", 18),
        ("-0.5", 18),
        ("", 18),
        ("   ", 18),
        ("1e5", 18),
        ("abc", 18),
        ("1.2.3", 18),
        ("0x10", 18),
        ("1,5", 6),
        ("nan", 18),
        ("inf", 18),
        (str(2**256), 0),
        ("1" + "0" * 60, 18),  # 1e60 tokens of 18 decimals is 1e78 base units > 2**256
    ],
)
def test_parse_units_refuses_inexact_or_invalid_text(text: str, decimals: int) -> None:
    with pytest.raises(InvalidAmountError):
        parse_units(text, decimals)


def test_too_many_decimals_message_names_the_limit_and_symbol() -> None:
    with pytest.raises(InvalidAmountError) as caught:
        parse_units("1.0000001", 6, symbol="USDC")
    assert "1.0000001 USDC" in caught.value.user_message
    assert "6 decimal places" in caught.value.user_message


def test_format_units_trims_zeros_and_rounds_down_on_request() -> None:
    assert format_units(1_500_000, 6) == "1.5"
    assert format_units(0, 18) == "0"
    assert format_units(10**18, 18) == "1"
    assert format_units(1_999_999, 6, max_fraction=2) == "1.99"


def test_amounts_of_the_same_token_add_and_subtract() -> None:
    a = Amount.parse("1.5", 6)
    b = Amount.parse("0.25", 6)
    assert a + b == Amount(1_750_000, 6)
    assert str(a - b) == "1.25"


def test_amounts_of_different_decimals_are_never_combined() -> None:
    usdc = Amount.parse("1", 6)
    eth = Amount.parse("1", 18)
    with pytest.raises(InvalidAmountError):
        usdc + eth
    with pytest.raises(InvalidAmountError):
        eth - usdc


def test_amount_refuses_negative_results() -> None:
    with pytest.raises(InvalidAmountError):
        Amount(1, 6) - Amount(2, 6)
    with pytest.raises(InvalidAmountError):
        Amount(-1, 6)


def test_value_in_is_exact_decimal_arithmetic() -> None:
    price = Decimal("3456.789012345678901234")
    amount = Amount(MAX_UINT, 18)
    value = amount.value_in(price)
    assert isinstance(value, Decimal)
    # Fraction is exact: any float or rounding on the way would show here.
    assert Fraction(value) == Fraction(MAX_UINT, 10**18) * Fraction(price)
    assert Amount(1, 18).value_in(Decimal("0.1")) == Decimal("1E-19")


def test_amounts_of_different_decimals_do_not_compare() -> None:
    with pytest.raises(InvalidAmountError):
        _ = Amount(2, 6) > Amount(1, 0)
    assert Amount(2, 6) > Amount(1, 6)
    assert sorted([Amount(3, 6), Amount(1, 6)]) == [Amount(1, 6), Amount(3, 6)]


def test_value_in_is_exact_or_refused() -> None:
    huge = Amount(2**255, 0)
    with pytest.raises(InvalidAmountError, match="exactly"):
        huge.value_in(Decimal("1." + "3" * 150))
    assert Amount(15, 1).value_in(Decimal("2.5")) == Decimal("3.75")
