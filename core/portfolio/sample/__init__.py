"""Real historical prices shipped with the app, for the demo profile only."""
