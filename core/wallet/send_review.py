"""What a send will do, worked out before the person confirms it: nothing is signed or written.

The review reads the token's decimals and symbol, the sender's balance and the network fee from
the chain, so the amount is checked against the token's real decimals and the real balance while
the form is still open. The sender checks again at send time (balances move), so a review is
advice for the person, never a promise.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eth_typing import ChecksumAddress, HexAddress, HexStr

from core.chains.clients import ChainClients
from core.errors import ChainError, InsufficientFundsError, InvalidAmountError, WalletError
from core.money import format_units, parse_units
from core.wallet import erc20
from core.wallet.accounts import WalletService
from core.wallet.addresses import checksum_address
from core.wallet.fees import Speed, suggest_fees
from core.wallet.sender import GAS_MARGIN_PERCENT, NATIVE_TRANSFER_GAS, SendRequest

__all__ = ["SendReview", "review_send"]


@dataclass(frozen=True)
class SendReview:
    request: SendRequest  # to and token in their EIP-55 form
    from_address: str
    symbol: str
    decimals: int
    amount: int  # base units
    balance: int  # of what is sent, base units
    native_balance: int
    native_symbol: str
    gas: int
    expected_fee: int  # wei: gas x (base fee + tip)
    max_fee: int  # wei: gas x maxFeePerGas, the most it can cost
    speed: Speed

    def text(self) -> str:
        amount = format_units(self.amount, self.decimals)
        fee = format_units(self.expected_fee, 18, max_fraction=8)
        ceiling = format_units(self.max_fee, 18, max_fraction=8)
        return (
            f"Send {amount} {self.symbol} from {self.from_address} to {self.request.to} on chain "
            f"{self.request.chain_id}. Network fee ({self.speed}): about {fee} "
            f"{self.native_symbol}, at most {ceiling} {self.native_symbol}."
        )


async def review_send(
    clients: ChainClients, wallets: WalletService, request: SendRequest, native_symbol: str
) -> SendReview:
    wallet = await wallets.get(request.wallet_id)
    if not wallet.can_sign:
        raise WalletError(f"{wallet.name} is watch-only and cannot send.")
    to = checksum_address(request.to)
    token = checksum_address(request.token) if request.token else None
    client = clients.get(request.chain_id)
    try:
        native_balance = int(
            await client.eth.get_balance(ChecksumAddress(HexAddress(HexStr(wallet.address))))
        )
    except Exception as exc:
        raise ChainError(
            f"The RPC for chain {request.chain_id} is not reachable ({type(exc).__name__})."
        ) from exc
    if token:
        decimals = await erc20.decimals(client, token)
        symbol = await erc20.symbol(client, token)
        balance = await erc20.balance_of(client, token, wallet.address)
    else:
        decimals, symbol, balance = 18, native_symbol, native_balance
    amount = parse_units(request.amount, decimals, symbol=symbol)
    if amount == 0:
        raise InvalidAmountError("The amount must be more than zero.")
    if amount > balance:
        raise InsufficientFundsError(
            f"Not enough {symbol}: sending {format_units(amount, decimals)}, "
            f"have {format_units(balance, decimals)}."
        )
    gas = await _estimate(client, wallet.address, to, token, amount)
    fees = await suggest_fees(client, request.speed)
    expected, ceiling = gas * fees.expected_per_gas, gas * fees.ceiling_per_gas
    spend = ceiling + (0 if token else amount)
    if spend > native_balance:
        raise InsufficientFundsError(
            f"Not enough {native_symbol} for amount plus network fee: need up to "
            f"{format_units(spend, 18)}, have {format_units(native_balance, 18)}."
        )
    checked = SendRequest(
        request.chain_id, request.wallet_id, to, request.amount, token, request.speed
    )
    return SendReview(
        checked,
        wallet.address,
        symbol,
        decimals,
        amount,
        balance,
        native_balance,
        native_symbol,
        gas,
        expected,
        ceiling,
        request.speed,
    )


async def _estimate(client: Any, sender: str, to: str, token: str | None, amount: int) -> int:
    call: dict[str, Any] = (
        {"from": sender, "to": token, "value": 0, "data": erc20.transfer_data(to, amount)}
        if token
        else {"from": sender, "to": to, "value": amount, "data": b""}
    )
    try:
        estimate = int(await client.eth.estimate_gas(call))
    except Exception as exc:
        raise WalletError(
            "The network says this transfer would fail (gas estimation reverted): "
            "check the balance and the recipient."
        ) from exc
    if not token:
        return max(estimate, NATIVE_TRANSFER_GAS)
    return estimate * (100 + GAS_MARGIN_PERCENT) // 100  # the sender's own margin
