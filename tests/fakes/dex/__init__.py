"""Local servers speaking each DEX aggregator's real API (see ../shared/reference/dex-apis.md),
returning calldata for a real router deployed on anvil (tests/contracts/TestRouter.sol)."""
