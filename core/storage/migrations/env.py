"""Alembic environment: the app hands us an open connection; we never build our own engine."""

from alembic import context

from core.storage.schema import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reached by a misconfigured dev command
    raise RuntimeError("Run migrations through core.storage.db.Database, not the alembic CLI.")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copy; batch mode does that safely
)
with context.begin_transaction():
    context.run_migrations()
