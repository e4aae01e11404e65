// SPDX-License-Identifier: MIT
// A stand-in for an aggregator's on-chain router, for tests only. It swaps at a fixed rate from
// its own reserves, pulls the sell token through a separate allowance holder (like OKX's
// TokenApproveProxy or 0x's AllowanceHolder), and has the failure modes the guard must catch:
// paying someone other than the taker, and reverting.
pragma solidity ^0.8.20;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function allowance(address owner, address spender) external view returns (uint256);
}

contract TestAllowanceHolder {
    address public immutable router;

    constructor(address router_) {
        router = router_;
    }

    function pull(address token, address from, uint256 amount) external {
        require(msg.sender == router, "only router");
        require(IERC20(token).transferFrom(from, router, amount), "pull failed");
    }
}

contract TestRouter {
    address public constant NATIVE = 0xEeeeeEeeeEeEeeEeEeEeeEEEeeeeEeeeeeeeEEeE;
    TestAllowanceHolder public immutable holder;
    // rate[sell][buy] = buy units per 1e18 sell units
    mapping(address => mapping(address => uint256)) public rate;

    event Swapped(address indexed payer, address indexed recipient, uint256 amountIn, uint256 amountOut);

    constructor() {
        holder = new TestAllowanceHolder(address(this));
    }

    receive() external payable {}

    function setRate(address sell, address buy, uint256 buyPer1e18) external {
        rate[sell][buy] = buyPer1e18;
    }

    function quote(address sell, address buy, uint256 amountIn) public view returns (uint256) {
        return amountIn * rate[sell][buy] / 1e18;
    }

    function swap(address sell, address buy, uint256 amountIn, uint256 minOut, address recipient)
        external
        payable
        returns (uint256 amountOut)
    {
        if (sell == NATIVE) {
            require(msg.value == amountIn, "value mismatch");
        } else {
            require(msg.value == 0, "unexpected value");
            // Routers that are their own spender (KyberSwap, 1inch) pull directly; others go
            // through a separate allowance holder (OKX's approve proxy, 0x's AllowanceHolder).
            if (IERC20(sell).allowance(msg.sender, address(this)) >= amountIn) {
                require(IERC20(sell).transferFrom(msg.sender, address(this), amountIn), "pull failed");
            } else {
                holder.pull(sell, msg.sender, amountIn);
            }
        }
        amountOut = quote(sell, buy, amountIn);
        require(amountOut > 0, "no rate");
        require(amountOut >= minOut, "slippage");
        if (buy == NATIVE) {
            (bool ok,) = recipient.call{value: amountOut}("");
            require(ok, "native payout failed");
        } else {
            require(IERC20(buy).transfer(recipient, amountOut), "payout failed");
        }
        emit Swapped(msg.sender, recipient, amountIn, amountOut);
    }

    function alwaysReverts() external pure {
        revert("route expired");
    }
}
