"""Portfolio: balances, prices, snapshots, PnL, CSV."""
