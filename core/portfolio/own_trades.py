"""The person's own swaps and transfers become ledger rows, read from the chain, not from quotes.

When a transaction of ours confirms, its receipt says what really moved: ERC-20 Transfer logs to
and from the wallet, the native value sent, and (for native received, which leaves no log) the
wallet's balance change across the block plus the fee it paid. A swap becomes a sell of what left
and a buy of what arrived, both priced in USD at confirmation (a leg without a price takes the
other leg's value, since both sides of a swap are worth the same at that moment); a transfer to
someone else is a withdrawal. Transfers between the person's own wallets move nothing.
Rows are keyed by transaction hash and leg, so recording twice adds nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from core.chains.clients import ChainClients
from core.money import to_decimal
from core.portfolio.prices.base import NATIVE_KEY
from core.portfolio.prices.service import PriceService
from core.portfolio.tables import LedgerRow
from core.portfolio.tokens import TokenInfo
from core.settings import Settings
from core.storage.db import Database
from core.wallet import erc20
from core.wallet.addresses import checksum_address
from core.wallet.journal import Intent, IntentJournal

__all__ = ["Movement", "TradeRecorder", "movements_from_receipt"]

log = logging.getLogger(__name__)

TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
SOURCE = "wallet"
_LEDGER_KINDS = {"swap", "native_transfer", "erc20_transfer"}


@dataclass(frozen=True)
class Movement:
    token: str  # lower-case address, or NATIVE_KEY
    amount: int  # base units; positive arrived at the wallet, negative left it


def _hex(value: Any) -> str:
    if isinstance(value, bytes | bytearray):
        return "0x" + bytes(value).hex()
    text = str(value.hex() if hasattr(value, "hex") and not isinstance(value, str) else value)
    return text if text.startswith("0x") else "0x" + text


def _topic_address(topic: Any) -> str:
    return "0x" + _hex(topic)[-40:].lower()


def token_movements(receipt: Any, wallet: str) -> dict[str, int]:
    """Net ERC-20 units in (+) or out (-) of ``wallet`` in one receipt, by token address."""
    me = wallet.lower()
    net: defaultdict[str, int] = defaultdict(int)
    for entry in receipt["logs"]:
        topics = entry["topics"]
        if len(topics) != 3 or _hex(topics[0]).lower() != TRANSFER_TOPIC:
            continue  # ERC-721 transfers carry the id as a fourth topic: not fungible, not ours
        sender, receiver = _topic_address(topics[1]), _topic_address(topics[2])
        amount = int(_hex(entry["data"]), 16) if _hex(entry["data"]) != "0x" else 0
        token = str(entry["address"]).lower()
        if receiver == me:
            net[token] += amount
        if sender == me:
            net[token] -= amount
    return {token: amount for token, amount in net.items() if amount}


async def movements_from_receipt(
    client: Any, tx_hash: str, wallet: str
) -> tuple[list[Movement], int]:
    """What moved in or out of ``wallet`` in one mined transaction, and the fee it paid (wei)."""
    receipt = await client.eth.get_transaction_receipt(tx_hash)
    moved = [Movement(token, amount) for token, amount in token_movements(receipt, wallet).items()]
    block = int(receipt["blockNumber"])
    fee = int(receipt["gasUsed"]) * int(receipt["effectiveGasPrice"])
    before = await client.eth.get_balance(wallet, block_identifier=block - 1)
    after = await client.eth.get_balance(wallet, block_identifier=block)
    # What the block did to the native balance, with the fee put back: -value for a plain send,
    # +received for a swap paying out the native coin. (Another transaction touching this wallet
    # in the same block would be counted too; the person's own are serialised by nonce.)
    native = after - before + fee
    if native:
        moved.append(Movement(NATIVE_KEY, native))
    return moved, fee


class TradeRecorder:
    def __init__(
        self,
        db: Database,
        clients: ChainClients,
        journal: IntentJournal,
        prices: PriceService,
        settings: Callable[[], Settings],
        tokens: Callable[[int], Awaitable[list[TokenInfo]]],
        own_addresses: Callable[[], Awaitable[Sequence[str]]],
        profile: str,
    ) -> None:
        self._db = db
        self._clients = clients
        self._journal = journal
        self._prices = prices
        self._settings = settings
        self._tokens = tokens
        self._own = own_addresses
        self.profile = profile
        # One at a time: the confirmation event and a direct call may race for the same intent.
        self._lock = asyncio.Lock()

    async def record(self, intent_id: int) -> int:
        """Write the ledger rows of one confirmed intent; returns how many were new."""
        async with self._lock:
            return await self._record(intent_id)

    async def _record(self, intent_id: int) -> int:
        intent = await self._journal.get(intent_id)
        if intent.kind not in _LEDGER_KINDS or intent.state != "confirmed":
            return 0
        mined = [t for t in await self._journal.transactions(intent_id) if t.state == "confirmed"]
        if not mined or mined[0].purpose == "cancel":
            return 0
        tx_hash = mined[0].tx_hash
        if intent.kind != "swap":
            recipient = str(intent.request.get("to", "")).lower()
            if recipient in {a.lower() for a in await self._own()}:
                return 0  # between the person's own wallets: holdings did not change
        client = self._clients.get(intent.chain_id)
        moved, fee_wei = await movements_from_receipt(client, tx_hash, intent.from_address)
        if not moved:
            return 0
        rows = await self._rows(intent, tx_hash, moved, fee_wei)
        return await self._store(rows)

    async def _rows(
        self, intent: Intent, tx_hash: str, moved: list[Movement], fee_wei: int
    ) -> list[LedgerRow]:
        chain = self._settings().chain(intent.chain_id)
        known = {t.address.lower(): t for t in await self._tokens(intent.chain_id)}
        client = self._clients.get(intent.chain_id)
        wanted = sorted({m.token for m in moved} | {NATIVE_KEY})
        prices = await self._prices.prices(intent.chain_id, wanted)
        legs: list[tuple[Movement, str, Decimal]] = []
        for move in moved:
            if move.token == NATIVE_KEY:
                symbol, decimals = chain.native_symbol, 18
            elif move.token in known:
                symbol, decimals = known[move.token].symbol, known[move.token].decimals
            else:
                address = checksum_address(move.token)
                decimals = await erc20.decimals(client, address)
                symbol = await _symbol_or_address(client, address)
            legs.append((move, symbol.upper(), to_decimal(abs(move.amount), decimals)))
        values = [amount * prices[m.token] for m, _, amount in legs if m.token in prices]
        # Both sides of a swap are worth the same at the moment it fills: a leg without a price
        # is valued from the other one rather than left at zero.
        swap_value = values[0] if intent.kind == "swap" and len(values) == 1 else None
        now = datetime.now(UTC)
        native_price = prices.get(NATIVE_KEY)
        # The gas of a swap is part of what selling cost: it lowers that leg's realised PnL.
        gas_fiat = to_decimal(fee_wei, 18) * native_price if native_price is not None else None
        rows: list[LedgerRow] = []
        for index, (move, symbol, amount) in enumerate(legs):
            price = prices.get(move.token)
            if price is None and swap_value is not None and amount:
                price = swap_value / amount
            if intent.kind == "swap":
                kind = "buy" if move.amount > 0 else "sell"
            else:
                kind = "deposit" if move.amount > 0 else "withdrawal"
            rows.append(
                LedgerRow(
                    profile=self.profile,
                    occurred_at=now,
                    kind=kind,
                    asset=symbol,
                    amount=str(amount),
                    price=str(price) if price is not None else None,
                    fee=str(gas_fiat if kind == "sell" and gas_fiat is not None else 0),
                    fiat="USD",
                    source=SOURCE,
                    external_id=f"{intent.chain_id}:{tx_hash}:{index}",
                    notes=f"{intent.kind} on {chain.name}",
                )
            )
        return rows

    async def _store(self, rows: list[LedgerRow]) -> int:
        async with self._db.session() as session:
            existing = set(
                await session.scalars(
                    select(LedgerRow.external_id).where(
                        LedgerRow.profile == self.profile,
                        LedgerRow.source == SOURCE,
                        LedgerRow.external_id.in_([r.external_id for r in rows]),
                    )
                )
            )
            new = [r for r in rows if r.external_id not in existing]
            session.add_all(new)
        return len(new)


async def _symbol_or_address(client: Any, token: str) -> str:
    try:
        return await erc20.symbol(client, token)
    except Exception:  # a token without symbol(): name it by its address
        log.info("token %s has no readable symbol", token)
        return token[:10]
