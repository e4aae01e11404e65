"""Optional end-to-end encrypted sync of non-secret data between a person's devices.

The server sees opaque blobs only. Keys, mnemonics, API secrets and the sync passphrase never leave
the device: they are not records (see records.py), and the derived key lives in the keychain.
"""
