"""The one place the version lives; packaging and `--version` read it from here."""

__version__ = "0.1.0"
