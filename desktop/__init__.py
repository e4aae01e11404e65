"""The PySide6 desktop shell. Reaches the core only through core.app and the types it exports."""
