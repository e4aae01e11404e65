"""The whole schema in one metadata: importing this registers every feature's ORM tables.

Features keep their tables next to their code (core/portfolio/tables.py, ...); this module is the
one list of them, used by Alembic's environment and by the test that compares the ORM with the
migrated database.
"""

from __future__ import annotations

# Each import registers that feature's tables (or indexes) on Base.metadata.
from core.alerts import tables as _alert_tables  # noqa: F401
from core.portfolio import tables as _portfolio_tables  # noqa: F401
from core.storage.tables import Base
from core.sync import tables as _sync_tables  # noqa: F401
from core.wallet import tx_history as _tx_history  # noqa: F401

__all__ = ["Base"]
