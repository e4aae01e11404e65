"""Inside a private D-Bus session with its own gnome-keyring: lock it, then try to import a key.

Run by test_locked_keychain.py. Prints one JSON line.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import secretstorage

from core.app import CoreApp
from core.errors import CoreError
from core.wallet.secret import Secret
from tests.core.wallet.conftest import ANVIL_KEY_1


async def main(data_dir: Path) -> dict[str, object]:
    app = CoreApp(data_dir, background=False)
    await app.start()
    try:
        connection = secretstorage.dbus_init()
        collection = secretstorage.get_default_collection(connection)
        collection.lock()
        error: dict[str, str] = {}
        try:
            await app.wallets.import_private_key("Locked out", Secret(ANVIL_KEY_1))
        except CoreError as exc:
            error = {"type": type(exc).__name__, "message": exc.user_message}
        phrase_error: dict[str, str] = {}
        try:  # no phrase may be shown for a wallet that could never be saved
            await app.wallets.generate_mnemonic()
        except CoreError as exc:
            phrase_error = {"type": type(exc).__name__, "message": exc.user_message}
        return {
            "locked": collection.is_locked(),
            "error": error,
            "phrase_error": phrase_error,
            "wallets": [w.name for w in await app.wallets.list()],
        }
    finally:
        await app.stop()


if __name__ == "__main__":
    print(json.dumps(asyncio.run(main(Path(sys.argv[1])))))
