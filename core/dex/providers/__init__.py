"""One module per aggregator, each behind the DexProvider protocol in base.py."""
