"""DEX aggregation: quotes from many providers, ranked by net value, checked before signing."""
