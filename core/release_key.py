"""The public half of the release signing key: update manifests must verify against one of these.

Ed25519, raw 32 bytes, base64. Made with `python packaging/sign_manifest.py keygen`; the private
half is kept offline by the release owner. To rotate: add the new key here, ship a release signed
with the old key, then sign with the new one and drop the old key in a later release.
"""

__all__ = ["RELEASE_PUBLIC_KEYS"]

RELEASE_PUBLIC_KEYS: tuple[str, ...] = ("ucuk3ii6A43FdzP732aBiVqUhzZ6UV3XYzPy7r5gbCw=",)
