"""The on-chain side the fakes trade against: TestRouter, its allowance holder, two tokens."""

from __future__ import annotations

from dataclasses import dataclass

from eth_abi import encode
from eth_utils import function_signature_to_4byte_selector, to_checksum_address

from tests.harness.anvil import AnvilNode
from tests.harness.solidity import call, compile_contracts, deploy, transact

NATIVE = "0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE"
ATTACKER = "0x000000000000000000000000000000000000bEEF"
DEPLOYER = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
_SWAP = function_signature_to_4byte_selector("swap(address,address,uint256,uint256,address)")
_REVERT = function_signature_to_4byte_selector("alwaysReverts()")


@dataclass(frozen=True)
class Token:
    address: str
    symbol: str
    decimals: int


@dataclass(frozen=True)
class DexWorld:
    anvil: AnvilNode
    router: str
    holder: str
    usd: Token  # 6 decimals
    weth: Token  # 18 decimals

    @property
    def chain_id(self) -> int:
        return self.anvil.chain_id

    def decimals(self, address: str) -> int:
        if _norm(address) == NATIVE:
            return 18
        for token in (self.usd, self.weth):
            if token.address.lower() == address.lower():
                return token.decimals
        raise KeyError(address)

    def fund(self, account: str) -> None:
        """10,000 DUSD and 100 ETH for a trader (idempotent enough for tests: it only adds)."""
        compiled = compile_contracts("TestRouter.sol", "TestToken.sol")["TestToken"]
        transact(
            self.anvil.url,
            compiled,
            self.usd.address,
            "mint",
            account,
            10_000 * 10**6,
            sender=DEPLOYER,
        )
        self.anvil.rpc("anvil_setBalance", [account, hex(100 * 10**18)])

    def quote(self, sell: str, buy: str, amount: int) -> int:
        compiled = compile_contracts("TestRouter.sol", "TestToken.sol")["TestRouter"]
        return int(
            call(self.anvil.url, compiled, self.router, "quote", _norm(sell), _norm(buy), amount)
        )

    def allowance(self, token: str, owner: str) -> int:
        if token.lower() == NATIVE.lower():
            return 2**256 - 1
        compiled = compile_contracts("TestRouter.sol", "TestToken.sol")["TestToken"]
        return int(call(self.anvil.url, compiled, token, "allowance", owner, self.holder))


def _norm(address: str) -> str:
    zero = "0x0000000000000000000000000000000000000000"
    if address.lower() in (NATIVE.lower(), zero):
        return NATIVE
    return str(to_checksum_address(address))


def swap_calldata(sell: str, buy: str, amount: int, min_out: int, recipient: str) -> str:
    args = encode(
        ["address", "address", "uint256", "uint256", "address"],
        [_norm(sell), _norm(buy), amount, min_out, recipient],
    )
    return "0x" + (_SWAP + args).hex()


def revert_calldata() -> str:
    return "0x" + _REVERT.hex()


def deploy_world(anvil: AnvilNode) -> DexWorld:
    compiled = compile_contracts("TestRouter.sol", "TestToken.sol")
    router = deploy(anvil.url, compiled["TestRouter"], sender=DEPLOYER)
    holder = str(to_checksum_address(call(anvil.url, compiled["TestRouter"], router, "holder")))
    usd = Token(
        deploy(anvil.url, compiled["TestToken"], "Dex USD", "DUSD", 6, sender=DEPLOYER), "DUSD", 6
    )
    weth = Token(
        deploy(anvil.url, compiled["TestToken"], "Dex WETH", "DWETH", 18, sender=DEPLOYER),
        "DWETH",
        18,
    )
    for token in (usd, weth):
        transact(
            anvil.url,
            compiled["TestToken"],
            token.address,
            "mint",
            router,
            10**9 * 10**token.decimals,
            sender=DEPLOYER,
        )
    anvil.rpc("anvil_setBalance", [router, hex(10**6 * 10**18)])
    # rate[sell][buy] = buy units per 1e18 sell units. 1 ETH = 3000 DUSD = 1 DWETH.
    rates = [
        (NATIVE, usd.address, 3000 * 10**6),
        (usd.address, NATIVE, 10**18 * 10**18 // (3000 * 10**6)),
        (NATIVE, weth.address, 10**18),
        (weth.address, usd.address, 3000 * 10**6),
        (usd.address, weth.address, 10**18 * 10**18 // (3000 * 10**6)),
    ]
    for sell, buy, rate in rates:
        transact(
            anvil.url, compiled["TestRouter"], router, "setRate", sell, buy, rate, sender=DEPLOYER
        )
    return DexWorld(anvil, router, holder, usd, weth)
