"""CSV import of trades and transfers, and CSV export of holdings, history and PnL.

Import formats:
- ``generic`` (documented in README): timestamp, type (buy|sell|deposit|withdrawal), asset,
  amount, price, fee, fiat, id, notes. timestamp is ISO 8601 (UTC if no zone). price and fee are
  in ``fiat`` units. ``id`` makes re-imports idempotent (a row hash is used when it is empty).
- ``coinbase``: Coinbase's transaction history export (columns Timestamp, Transaction Type, Asset,
  Quantity Transacted, Spot Price Currency, Spot Price at Transaction, Fees and/or Spread, ...),
  with its preamble lines before the header skipped.
Every row is checked before anything is written: one bad row means nothing is imported and every
bad row is reported with its line number.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from core.errors import CoreError

__all__ = ["CsvImportError", "ImportedRow", "parse_trades", "write_csv"]

GENERIC_COLUMNS = ("timestamp", "type", "asset", "amount", "price", "fee", "fiat", "id", "notes")
KINDS = ("buy", "sell", "deposit", "withdrawal")
MAX_ROWS = 200_000
COINBASE_KINDS = {
    "buy": "buy",
    "advanced trade buy": "buy",
    "sell": "sell",
    "advanced trade sell": "sell",
    "receive": "deposit",
    "deposit": "deposit",
    "send": "withdrawal",
    "withdrawal": "withdrawal",
    "rewards income": "deposit",
    "staking income": "deposit",
    "learning reward": "deposit",
}


class CsvImportError(CoreError):
    title = "CSV not imported"

    def __init__(self, problems: list[str]) -> None:
        shown = problems[:20]
        more = f" (and {len(problems) - 20} more)" if len(problems) > 20 else ""
        super().__init__("Nothing was imported. " + "; ".join(shown) + more)
        self.problems = problems


@dataclass(frozen=True)
class ImportedRow:
    occurred_at: datetime
    kind: str
    asset: str
    amount: Decimal
    price: Decimal | None
    fee: Decimal
    fiat: str
    external_id: str
    notes: str


def _decimal(text: str, what: str, *, required: bool) -> Decimal | None:
    cleaned = text.strip().replace(",", "").lstrip("$€£")
    if not cleaned:
        if required:
            raise ValueError(f"{what} is empty")
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{what} {text.strip()!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{what} is not finite")
    return value


def _timestamp(text: str) -> datetime:
    cleaned = text.strip().replace(" UTC", "+00:00").replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(cleaned)
    except ValueError:
        raise ValueError(f"timestamp {text.strip()!r} is not ISO 8601") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _row_id(values: Iterable[str]) -> str:
    return hashlib.sha256("\x1f".join(values).encode()).hexdigest()[:32]


def _generic(row: dict[str, str]) -> ImportedRow:
    kind = row.get("type", "").strip().lower()
    if kind not in KINDS:
        raise ValueError(f"type {row.get('type')!r} is not one of {', '.join(KINDS)}")
    amount = _decimal(row.get("amount", ""), "amount", required=True)
    assert amount is not None
    if amount <= 0:
        raise ValueError("amount must be more than zero")
    price = _decimal(row.get("price", ""), "price", required=kind in ("buy", "sell"))
    if price is not None and price < 0:
        raise ValueError("price must not be negative")
    fee = _decimal(row.get("fee", ""), "fee", required=False) or Decimal(0)
    asset = row.get("asset", "").strip().upper()
    if not asset or len(asset) > 32:
        raise ValueError("asset is empty or too long")
    fiat = (row.get("fiat") or "USD").strip().upper()
    external = row.get("id", "").strip() or _row_id(row.get(c, "") for c in GENERIC_COLUMNS)
    return ImportedRow(
        _timestamp(row.get("timestamp", "")),
        kind,
        asset,
        amount,
        price,
        fee,
        fiat,
        external[:128],
        row.get("notes", "").strip()[:500],
    )


def _coinbase(row: dict[str, str]) -> ImportedRow:
    raw_kind = row.get("Transaction Type", "").strip().lower()
    kind = COINBASE_KINDS.get(raw_kind)
    if kind is None:
        raise ValueError(f"transaction type {row.get('Transaction Type')!r} is not supported")
    amount = _decimal(row.get("Quantity Transacted", ""), "quantity", required=True)
    assert amount is not None
    amount = abs(amount)
    if amount == 0:
        raise ValueError("quantity is zero")
    price = _decimal(
        row.get("Spot Price at Transaction") or row.get("Price at Transaction") or "",
        "spot price",
        required=kind in ("buy", "sell"),
    )
    fee = _decimal(row.get("Fees and/or Spread") or row.get("Fees") or "", "fees", required=False)
    asset = row.get("Asset", "").strip().upper()
    if not asset:
        raise ValueError("asset is empty")
    fiat = (row.get("Spot Price Currency") or row.get("Price Currency") or "USD").strip().upper()
    external = (row.get("ID") or "").strip() or _row_id(row.values())
    return ImportedRow(
        _timestamp(row.get("Timestamp", "")),
        kind,
        asset,
        amount,
        price,
        abs(fee or Decimal(0)),
        fiat,
        external[:128],
        (row.get("Notes") or "").strip()[:500],
    )


def parse_trades(text: str, fmt: str) -> list[ImportedRow]:
    """Parse every row; raise CsvImportError listing every bad row. Blocking: use an executor."""
    if fmt not in ("generic", "coinbase"):
        raise CsvImportError([f"unknown format {fmt!r} (use generic or coinbase)"])
    lines = text.lstrip("\ufeff").splitlines()
    header_at = 0
    if fmt == "coinbase":
        header_at = next(
            (i for i, line in enumerate(lines) if line.startswith(("Timestamp,", "ID,Timestamp"))),
            -1,
        )
        if header_at < 0:
            raise CsvImportError(["no Coinbase header row (Timestamp, Transaction Type, ...)"])
    reader = csv.DictReader(io.StringIO("\n".join(lines[header_at:])))
    if fmt == "generic":
        missing = [
            c
            for c in ("timestamp", "type", "asset", "amount")
            if c not in (reader.fieldnames or [])
        ]
        if missing:
            raise CsvImportError([f"missing column(s): {', '.join(missing)}"])
    parse = _generic if fmt == "generic" else _coinbase
    rows: list[ImportedRow] = []
    problems: list[str] = []
    for number, row in enumerate(reader, start=header_at + 2):
        if number - header_at > MAX_ROWS:
            problems.append(f"more than {MAX_ROWS} rows")
            break
        if not any((v or "").strip() for v in row.values()):
            continue
        try:
            rows.append(parse({k: v or "" for k, v in row.items() if k is not None}))
        except ValueError as exc:
            problems.append(f"line {number}: {exc}")
    if problems:
        raise CsvImportError(problems)
    if not rows:
        raise CsvImportError(["the file has no rows"])
    return rows


def write_csv(columns: list[str], rows: Iterable[Iterable[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        # Plain notation without trailing zeros: 300 not 300.0 or 3E+2.
        text = f"{value:f}"
        return text.rstrip("0").rstrip(".") if "." in text else text
    return str(value)
