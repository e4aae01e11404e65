"""Send native coins and ERC-20 tokens: checked, journaled, signed once, tracked to the end.

Order of effects for one idempotency key (each step committed before the next):
  journal intent (pending) -> nonce + fees + gas -> sign (executor) -> record signed tx
  -> broadcast -> tx broadcast / intent submitted -> receipt -> confirmed or failed
A crash between any two steps is repaired by :meth:`TxSender.reconcile` at the next start.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from eth_typing import ChecksumAddress, HexAddress, HexStr

from core.chains.clients import ChainClients
from core.errors import (
    ChainError,
    CoreError,
    InsufficientFundsError,
    InvalidAmountError,
    WalletError,
)
from core.events import CoreEvent, EventBus
from core.faults import crash_point
from core.money import format_units, parse_amount, parse_units
from core.wallet import erc20
from core.wallet.accounts import Wallet, WalletService
from core.wallet.addresses import checksum_address
from core.wallet.fees import FeeQuote, Speed, suggest_fees
from core.wallet.journal import Intent, IntentJournal, TxRecord
from core.wallet.nonces import NonceManager
from core.wallet.signer import sign_transaction

__all__ = ["ContractCall", "SendRequest", "SendResult", "TxSender", "TxStatusChanged"]

log = logging.getLogger(__name__)
GAS_MARGIN_PERCENT = 20
NATIVE_TRANSFER_GAS = 21_000
REPLACEMENT_BUMP_PERCENT = 13  # nodes require >= 10% more on both fee fields


@dataclass(frozen=True)
class TxStatusChanged(CoreEvent):
    intent_id: int
    tx_hash: str
    state: str


@dataclass(frozen=True)
class SendRequest:
    chain_id: int
    wallet_id: int
    to: str
    amount: str  # human units, e.g. "1.5"
    token: str | None = None  # ERC-20 address; None for the native coin
    speed: Speed = "normal"


@dataclass(frozen=True)
class ContractCall:
    to: str
    data: bytes
    value: int
    kind: str  # journal kind: "approve", "swap", ...
    label: str = ""  # for the Activity list, e.g. "swap 1 ETH -> USDC via 0x"
    gas: int | None = None
    speed: Speed = "normal"


@dataclass(frozen=True)
class SendResult:
    intent_id: int
    state: str
    tx_hash: str | None
    nonce: int | None
    error: str | None = None


class TxSender:
    def __init__(
        self,
        clients: ChainClients,
        wallets: WalletService,
        journal: IntentJournal,
        bus: EventBus,
        *,
        poll_s: float = 1.0,
    ) -> None:
        self._clients = clients
        self._wallets = wallets
        self._journal = journal
        self._bus = bus
        self._nonces = NonceManager()
        self._key_locks: defaultdict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self.poll_s = poll_s

    # -- the request -------------------------------------------------------------------------------
    async def _prepare(self, request: SendRequest) -> tuple[Wallet, dict[str, Any]]:
        """Validate everything that can be checked before the journal; return the canonical
        request stored with the intent (no secrets: addresses, amounts, chain)."""
        wallet = await self._wallets.get(request.wallet_id)
        if not wallet.can_sign:
            raise WalletError(f"{wallet.name} is watch-only and cannot send.")
        to = checksum_address(request.to)
        token = checksum_address(request.token) if request.token else None
        # What can be judged without the network is judged first, so a wrong amount is named as
        # such even offline: the native coin's 18 decimals are known; a token's come from chain.
        early = parse_units(request.amount, 18) if token is None else parse_amount(request.amount)
        if early == 0:
            raise InvalidAmountError("The amount must be more than zero.")
        client = self._clients.get(request.chain_id)
        try:
            served = await client.eth.chain_id
        except Exception as exc:
            raise ChainError(
                f"The RPC for chain {request.chain_id} is not reachable ({type(exc).__name__})."
            ) from exc
        if served != request.chain_id:
            raise ChainError(
                f"The RPC configured for chain {request.chain_id} serves chain {served}; "
                "nothing was sent. Fix the chain's RPC address in Settings."
            )
        decimals = await erc20.decimals(client, token) if token else 18
        amount = parse_units(request.amount, decimals)
        if amount == 0:
            raise InvalidAmountError("The amount must be more than zero.")
        canonical = {
            "chain_id": request.chain_id,
            "from": wallet.address,
            "to": to,
            "token": token,
            "amount": str(amount),
            "decimals": decimals,
            "speed": request.speed,
        }
        return wallet, canonical

    # -- sending -----------------------------------------------------------------------------------
    async def send(self, request: SendRequest, idempotency_key: str) -> SendResult:
        wallet, canonical = await self._prepare(request)
        kind = "erc20_transfer" if canonical["token"] else "native_transfer"
        async with self._key_locks[idempotency_key]:
            intent, created = await self._journal.begin(
                idempotency_key, kind, canonical, request.chain_id, wallet.address
            )
            crash_point("after_journal")
            if not created:
                existing = await self._outcome(intent)
                if existing is not None:
                    return existing
            return await self._execute(intent, wallet)

    async def _outcome(self, intent: Intent) -> SendResult | None:
        """The first outcome of an intent, or None if it never got as far as a signed tx."""
        txs = [t for t in await self._journal.transactions(intent.id) if t.state != "rejected"]
        if intent.state == "failed" and not txs:
            return SendResult(intent.id, "failed", None, None, intent.error)
        if not txs:
            return None
        latest = txs[-1]
        return SendResult(intent.id, intent.state, latest.tx_hash, latest.nonce, intent.error)

    async def _execute(self, intent: Intent, wallet: Wallet) -> SendResult:
        client = self._clients.get(intent.chain_id)
        req = intent.request
        try:
            async with self._nonces.reserve(
                intent.chain_id,
                wallet.address,
                lambda: client.eth.get_transaction_count(_addr(wallet.address), "pending"),
                lambda: self._journal.last_nonce(intent.chain_id, wallet.address),
            ) as nonce:
                await self._precheck_balance(client, wallet.address, req)
                tx, fees = await self._build(client, intent, nonce)
                await self._check_funds(client, wallet.address, tx, fees)
                key = await self._wallets.private_key(wallet.id)
                signed = await sign_transaction(tx, key)
                del key
                crash_point("after_sign")
                record = await self._journal.record_signed(
                    intent, nonce, signed, "original", fees, int(tx["gas"])
                )
                crash_point("after_record")
                await self._broadcast(client, intent, record)
        except CoreError as exc:
            await self._journal.set_state(intent.id, "failed", exc.user_message)
            raise
        return SendResult(intent.id, "submitted", record.tx_hash, record.nonce)

    async def _build(
        self, client: Any, intent: Intent, nonce: int
    ) -> tuple[dict[str, Any], FeeQuote]:
        req = intent.request
        call = _intended_call(req)
        fees = await suggest_fees(client, req["speed"])
        try:
            estimate = await client.eth.estimate_gas({"from": req["from"], **call})
        except Exception as exc:
            raise WalletError(
                "The network says this transfer would fail (gas estimation reverted): "
                "check the balance and the recipient.",
            ) from exc
        gas = max(int(estimate) * (100 + GAS_MARGIN_PERCENT) // 100, NATIVE_TRANSFER_GAS)
        if not req["token"] and "data" not in req:
            gas = max(int(estimate), NATIVE_TRANSFER_GAS)  # a plain transfer's gas is exact
        if req.get("gas"):
            gas = max(gas, int(req["gas"]))  # never below what the provider said it needs
        tx = {
            "chainId": intent.chain_id,
            "nonce": nonce,
            "gas": gas,
            **call,
            **fees.tx_fields(),
        }
        if fees.eip1559:
            tx["type"] = 2
        return tx, fees

    async def _check_funds(
        self, client: Any, address: str, tx: dict[str, Any], fees: FeeQuote
    ) -> None:
        native = int(await client.eth.get_balance(address))
        max_gas_cost = int(tx["gas"]) * fees.ceiling_per_gas
        needed = int(tx["value"]) + max_gas_cost
        if native < needed:
            raise InsufficientFundsError(
                f"Not enough native coin: need up to {format_units(needed, 18)} "
                f"(amount plus network fee), have {format_units(native, 18)}."
            )

    async def _precheck_balance(self, client: Any, address: str, req: dict[str, Any]) -> None:
        """Before estimating gas, which would only say "reverted" for a short balance."""
        if "data" not in req and not req.get("token"):
            native = int(await client.eth.get_balance(address))
            if native < int(req["amount"]):
                raise InsufficientFundsError(
                    f"Not enough native coin: sending {format_units(int(req['amount']), 18)}, "
                    f"have {format_units(native, 18)}."
                )
        if req.get("token") and "data" not in req:
            held = await erc20.balance_of(client, req["token"], address)
            if held < int(req["amount"]):
                decimals = int(req["decimals"])
                raise InsufficientFundsError(
                    f"Not enough tokens: sending {format_units(int(req['amount']), decimals)}, "
                    f"have {format_units(held, decimals)}."
                )

    async def _broadcast(self, client: Any, intent: Intent, record: TxRecord) -> None:
        try:
            await client.eth.send_raw_transaction(record.raw_tx)
        except Exception as exc:
            text = str(exc).lower()
            if "already known" in text or "known transaction" in text:
                pass  # the node has these exact bytes already: that is success
            else:
                await self._journal.set_tx_state(record.id, "rejected")
                reason = _rejection(text)
                raise ChainError(f"The network refused the transaction: {reason}.") from exc
        crash_point("after_broadcast")
        await self._journal.set_tx_state(record.id, "broadcast")
        await self._journal.set_state(intent.id, "submitted")
        self._bus.publish(TxStatusChanged(intent.id, record.tx_hash, "broadcast"))

    async def send_call(
        self,
        chain_id: int,
        wallet_id: int,
        call: ContractCall,
        idempotency_key: str,
    ) -> SendResult:
        """Send a contract call (an approval, a swap) through the same journal as transfers."""
        wallet = await self._wallets.get(wallet_id)
        if not wallet.can_sign:
            raise WalletError(f"{wallet.name} is watch-only and cannot send.")
        canonical = {
            "chain_id": chain_id,
            "from": wallet.address,
            "to": checksum_address(call.to),
            "value": str(call.value),
            "data": "0x" + call.data.hex(),
            "gas": call.gas,
            "speed": call.speed,
            "label": call.label,
            "token": None,
            "amount": str(call.value),
            "decimals": 18,
        }
        async with self._key_locks[idempotency_key]:
            intent, created = await self._journal.begin(
                idempotency_key, call.kind, canonical, chain_id, wallet.address
            )
            if not created:
                existing = await self._outcome(intent)
                if existing is not None:
                    return existing
            return await self._execute(intent, wallet)

    # -- following up ------------------------------------------------------------------------------
    async def wait(self, intent_id: int, timeout_s: float = 120.0) -> SendResult:
        """Poll until the intent's transaction is mined (or the timeout passes)."""
        async with asyncio.timeout(timeout_s):
            while True:
                result = await self.check(intent_id)
                if result.state in ("confirmed", "failed"):
                    return result
                await asyncio.sleep(self.poll_s)

    async def check(self, intent_id: int) -> SendResult:
        """Look for a receipt of any of the intent's transactions and record what happened."""
        intent = await self._journal.get(intent_id)
        client = self._clients.get(intent.chain_id)
        txs = [t for t in await self._journal.transactions(intent_id) if t.state != "rejected"]
        for tx in txs:
            receipt = await _receipt(client, tx.tx_hash)
            if receipt is None:
                continue
            ok = int(receipt["status"]) == 1
            state = "confirmed" if ok else "failed"
            await self._journal.set_tx_state(
                tx.id, state, int(receipt["blockNumber"]), int(receipt["gasUsed"])
            )
            for other in txs:
                if other.id != tx.id and other.state in ("signed", "broadcast"):
                    await self._journal.set_tx_state(other.id, "replaced")
            error = None if ok else "The transaction was mined but reverted."
            if tx.purpose == "cancel" and ok:
                state, error = "failed", "Cancelled: the replacement with no transfer was mined."
            await self._journal.set_state(intent_id, state, error)
            self._bus.publish(TxStatusChanged(intent_id, tx.tx_hash, state))
            return SendResult(intent_id, state, tx.tx_hash, tx.nonce, error)
        latest = txs[-1] if txs else None
        return SendResult(
            intent_id,
            intent.state,
            latest.tx_hash if latest else None,
            latest.nonce if latest else None,
            intent.error,
        )

    async def reconcile(self) -> list[SendResult]:
        """At start-up: finish what a crash interrupted, never signing twice for one key."""
        results = []
        for intent in await self._journal.unfinished():
            try:
                results.append(await self._reconcile_one(intent))
            except CoreError as exc:
                log.warning("could not reconcile operation %s: %s", intent.id, exc.user_message)
        return results

    async def _reconcile_one(self, intent: Intent) -> SendResult:
        async with self._key_locks[intent.key]:
            txs = [t for t in await self._journal.transactions(intent.id) if t.state != "rejected"]
            if not txs:
                # Crashed before a signed tx was recorded: nothing can be on chain. Finish it.
                wallet = await self._wallets.by_address(intent.from_address)
                return await self._execute(intent, wallet)
            result = await self.check(intent.id)
            if result.state in ("confirmed", "failed"):
                return result
            client = self._clients.get(intent.chain_id)
            latest = txs[-1]
            mined_nonce = int(
                await client.eth.get_transaction_count(_addr(intent.from_address), "latest")
            )
            if mined_nonce > latest.nonce:
                # The nonce was used, but by none of our recorded txs: it was replaced elsewhere.
                await self._journal.set_tx_state(latest.id, "replaced")
                message = "Another transaction with the same nonce was mined instead."
                await self._journal.set_state(intent.id, "failed", message)
                return SendResult(intent.id, "failed", latest.tx_hash, latest.nonce, message)
            # Not mined and the nonce is still open: re-send the very same signed bytes.
            await self._broadcast(client, intent, latest)
            return SendResult(intent.id, "submitted", latest.tx_hash, latest.nonce)

    async def replace(self, intent_id: int, mode: str) -> SendResult:
        """Speed up (same transfer, higher fee) or cancel (0 to self, same nonce)."""
        if mode not in ("speed_up", "cancel"):
            raise WalletError("Choose speed up or cancel.")
        intent = await self._journal.get(intent_id)
        if intent.state != "submitted":
            raise WalletError("Only a pending transaction can be sped up or cancelled.")
        async with self._key_locks[intent.key]:
            txs = [t for t in await self._journal.transactions(intent_id) if t.state == "broadcast"]
            if not txs:
                raise WalletError("This operation has no pending transaction to replace.")
            latest = txs[-1]
            client = self._clients.get(intent.chain_id)
            current = await suggest_fees(client, "fast")
            bumped = latest.fees.bumped(REPLACEMENT_BUMP_PERCENT)
            fees = _max_fees(bumped, current)
            req = intent.request
            if mode == "cancel":
                call = {"to": intent.from_address, "value": 0, "data": b""}
                gas = NATIVE_TRANSFER_GAS
            else:
                call = _intended_call(req)
                gas = latest.gas_limit
            tx = {
                "chainId": intent.chain_id,
                "nonce": latest.nonce,
                "gas": gas,
                **call,
                **fees.tx_fields(),
            }
            if fees.eip1559:
                tx["type"] = 2
            wallet = await self._wallets.by_address(intent.from_address)
            key = await self._wallets.private_key(wallet.id)
            signed = await sign_transaction(tx, key)
            del key
            record = await self._journal.record_signed(
                intent, latest.nonce, signed, mode, fees, gas
            )
            await self._broadcast(client, intent, record)
            return SendResult(intent_id, "submitted", record.tx_hash, record.nonce)


def _intended_call(req: dict[str, Any]) -> dict[str, Any]:
    """The call an intent asked for, rebuilt from the journaled request alone."""
    if "data" in req:  # a contract call: exactly the bytes that were journaled
        return {"to": req["to"], "value": int(req["value"]), "data": bytes.fromhex(req["data"][2:])}
    amount = int(req["amount"])
    if req["token"]:
        return {"to": req["token"], "value": 0, "data": erc20.transfer_data(req["to"], amount)}
    return {"to": req["to"], "value": amount, "data": b""}


def _addr(address: str) -> ChecksumAddress:
    return ChecksumAddress(HexAddress(HexStr(address)))


def _max_fees(a: FeeQuote, b: FeeQuote) -> FeeQuote:
    if a.eip1559 and b.eip1559:
        assert a.max_fee_per_gas and b.max_fee_per_gas is not None
        return FeeQuote(
            True,
            max(a.max_fee_per_gas, b.max_fee_per_gas),
            max(a.max_priority_fee_per_gas or 0, b.max_priority_fee_per_gas or 0),
        )
    return FeeQuote(False, gas_price=max(a.gas_price or 0, b.gas_price or 0))


async def _receipt(client: Any, tx_hash: str) -> Any:
    try:
        return await client.eth.get_transaction_receipt(tx_hash)
    except Exception as exc:
        if "not found" in str(exc).lower() or type(exc).__name__ == "TransactionNotFound":
            return None
        raise ChainError(f"Could not read the receipt ({type(exc).__name__}).") from exc


def _rejection(text: str) -> str:
    for needle, reason in (
        ("insufficient funds", "not enough funds for amount plus fee"),
        ("nonce too low", "the nonce was already used"),
        ("replacement transaction underpriced", "the replacement fee is too low"),
        ("underpriced", "the fee is too low"),
        ("intrinsic gas too low", "the gas limit is too low"),
    ):
        if needle in text:
            return reason
    return "the node did not accept it"
