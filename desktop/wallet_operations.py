"""User actions of the Wallets page and the transactions table: one thin function each.

Each runs in the background through core.tasks (desktop.operations.Operations); a CoreError
reaches the error banner through TaskFailed and ``on_failure`` lets the page restore its state.
Secrets travel from the widget to the core inside ``Secret`` boxes and are never logged.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from core.errors import ChainError
from core.wallet.accounts import Wallet
from core.wallet.balances import native_balances
from core.wallet.keystore import StoredSecret
from core.wallet.secret import Secret
from core.wallet.send_review import SendReview, review_send
from core.wallet.sender import SendRequest, SendResult, TxSender
from core.wallet.tx_history import TxHistory, TxView
from desktop.operations import Operations

__all__ = [
    "create_wallet",
    "delete_wallet",
    "export_secret",
    "generate_phrase",
    "import_key",
    "import_phrase",
    "load_balances",
    "load_tx_page",
    "load_tx_view",
    "new_transactions",
    "rename_wallet",
    "replace_tx",
    "review",
    "send",
    "watch_address",
]

log = logging.getLogger(__name__)
Done = Callable[[BaseException], None]
#: how long a send follows its transaction before leaving it to the Activity table
FOLLOW_S = 600.0


def generate_phrase(ops: Operations, on_done: Callable[[Secret], None], on_failure: Done) -> None:
    ops.run("generate recovery phrase", ops.core.wallets.generate_mnemonic(), on_done, on_failure)


def create_wallet(
    ops: Operations,
    name: str,
    shown: Secret,
    typed: Secret,
    on_done: Callable[[Wallet], None],
    on_failure: Done,
) -> None:
    ops.run(
        "create wallet",
        ops.core.wallets.create_from_mnemonic(name, shown, typed),
        on_done,
        on_failure,
    )


def import_phrase(
    ops: Operations,
    name: str,
    phrase: Secret,
    account_index: int,
    path_template: str | None,
    on_done: Callable[[Wallet], None],
    on_failure: Done,
) -> None:
    ops.run(
        "import recovery phrase",
        ops.core.wallets.import_mnemonic(name, phrase, account_index, path_template),
        on_done,
        on_failure,
    )


def import_key(
    ops: Operations, name: str, key: Secret, on_done: Callable[[Wallet], None], on_failure: Done
) -> None:
    ops.run(
        "import private key", ops.core.wallets.import_private_key(name, key), on_done, on_failure
    )


def watch_address(
    ops: Operations, name: str, address: str, on_done: Callable[[Wallet], None], on_failure: Done
) -> None:
    ops.run(
        "add watch-only address",
        ops.core.wallets.add_watch_only(name, address),
        on_done,
        on_failure,
    )


def rename_wallet(
    ops: Operations, wallet_id: int, name: str, on_done: Callable[[Wallet], None], on_failure: Done
) -> None:
    ops.run("rename wallet", ops.core.wallets.rename(wallet_id, name), on_done, on_failure)


def delete_wallet(
    ops: Operations,
    wallet_id: int,
    typed_name: str,
    on_done: Callable[[None], None],
    on_failure: Done,
) -> None:
    ops.run(
        "delete wallet",
        ops.core.wallets.delete(wallet_id, confirm_name=typed_name),
        on_done,
        on_failure,
    )


def export_secret(
    ops: Operations,
    wallet_id: int,
    typed_address: str,
    on_done: Callable[[StoredSecret], None],
    on_failure: Done,
) -> None:
    ops.run(
        "export wallet secret",
        ops.core.wallets.export_secret(wallet_id, confirm_address=typed_address),
        on_done,
        on_failure,
    )


def review(
    ops: Operations,
    request: SendRequest,
    native_symbol: str,
    on_done: Callable[[SendReview], None],
    on_failure: Done,
) -> None:
    core = ops.core
    ops.run(
        "review send",
        review_send(core.clients, core.wallets, request, native_symbol),
        on_done,
        on_failure,
    )


def send(
    ops: Operations,
    request: SendRequest,
    idempotency_key: str,
    on_submitted: Callable[[SendResult], None],
    on_done: Callable[[SendResult], None],
    on_failure: Done,
) -> None:
    """Send, report the broadcast at once, then follow the transaction to its block."""
    sender = ops.core.sender

    async def work() -> SendResult:
        result = await sender.send(request, idempotency_key)
        on_submitted(result)
        if result.state in ("confirmed", "failed"):
            return result  # a repeat of a finished send: its first outcome
        return await _follow(sender, result)

    ops.run("send", work(), on_done, on_failure)


async def _follow(sender: TxSender, sent: SendResult) -> SendResult:
    """Poll for the receipt. A failed read (a flaky RPC) is retried, not reported as a failed
    send: the transaction is out there either way, and Activity keeps following it."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + FOLLOW_S
    latest = sent
    while loop.time() < deadline:
        try:
            latest = await sender.check(sent.intent_id)
        except ChainError as exc:
            log.info("receipt check for %s failed, retrying: %s", sent.intent_id, exc.user_message)
        if latest.state in ("confirmed", "failed"):
            return latest
        await asyncio.sleep(sender.poll_s)
    return latest


def replace_tx(
    ops: Operations,
    intent_id: int,
    mode: str,
    on_done: Callable[[SendResult], None],
    on_failure: Done,
) -> None:
    ops.run(mode.replace("_", " "), ops.core.sender.replace(intent_id, mode), on_done, on_failure)


def _history(ops: Operations) -> TxHistory:
    return TxHistory(ops.core.db, ops.core.profile)


def load_tx_page(
    ops: Operations,
    before_id: int | None,
    limit: int,
    on_done: Callable[[tuple[int, list[TxView]]], None],
    on_failure: Done | None = None,
) -> asyncio.Task[tuple[int, list[TxView]]]:
    """One page of the transactions table; the first page also brings the total count
    (-1 on later pages: counting 100k rows again for every page would be wasted work)."""
    history = _history(ops)

    async def work() -> tuple[int, list[TxView]]:
        total = await history.count() if before_id is None else -1
        return total, await history.page(before_id, limit)

    return ops.run("load transactions", work(), on_done, on_failure)


def load_tx_view(ops: Operations, intent_id: int, on_done: Callable[[TxView | None], None]) -> None:
    ops.run("load transaction", _history(ops).one(intent_id), on_done)


def new_transactions(
    ops: Operations, after_id: int, on_done: Callable[[list[TxView]], None]
) -> None:
    ops.run("load new transactions", _history(ops).newer_than(after_id), on_done)


def load_balances(
    ops: Operations,
    chain_ids: list[int],
    addresses: list[str],
    on_done: Callable[[dict[tuple[str, int], int | None]], None],
) -> None:
    ops.run("read balances", native_balances(ops.core.clients, chain_ids, addresses), on_done)
