"""Helpers that start the real parts tests run against (anvil, Xvfb, trayer, Secret Service)."""
