// SPDX-License-Identifier: MIT
// The parts of Multicall3 (mds1/multicall, deployed at 0xcA11bde05977b3631167028862bE2a173976CA11
// on every major chain) that CryptoOrchestrator uses, with the canonical signatures, so tests can
// place it at the canonical address on anvil.
pragma solidity ^0.8.20;

contract Multicall3 {
    struct Call3 {
        address target;
        bool allowFailure;
        bytes callData;
    }

    struct Result {
        bool success;
        bytes returnData;
    }

    function aggregate3(Call3[] calldata calls) public payable returns (Result[] memory returnData) {
        uint256 length = calls.length;
        returnData = new Result[](length);
        for (uint256 i = 0; i < length; ++i) {
            Call3 calldata calli = calls[i];
            Result memory result = returnData[i];
            (result.success, result.returnData) = calli.target.call(calli.callData);
            if (!calli.allowFailure) {
                require(result.success, "Multicall3: call failed");
            }
        }
    }

    function getEthBalance(address addr) public view returns (uint256 balance) {
        balance = addr.balance;
    }

    function getBlockNumber() public view returns (uint256 blockNumber) {
        blockNumber = block.number;
    }
}
