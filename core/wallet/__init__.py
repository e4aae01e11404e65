"""Wallets: keys in the OS keychain, EIP-1559 sending, a crash-safe idempotent intent journal."""
