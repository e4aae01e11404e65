"""Qt-free state machines for multi-step user flows, tested headless."""
