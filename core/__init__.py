"""The embedded async core of CryptoOrchestrator.

Nothing under this package imports Qt: the desktop shell and the CLI both reach the core only
through :mod:`core.app`.
"""

from core.version import __version__

__all__ = ["__version__"]
