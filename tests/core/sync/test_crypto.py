"""Sealing: a change opens only with its key and its own identity; every alteration is refused."""

from __future__ import annotations

import dataclasses

import pytest

from core.sync.changes import Change, Envelope, new_change_id, open_envelope, seal_change
from core.sync.crypto import (
    KdfParams,
    SyncKeys,
    derive_root_key,
    make_key_check,
    verify_key_check,
)
from core.sync.errors import SyncIntegrityError, WrongPassphraseError
from core.sync.hlc import Clock
from core.wallet.secret import Secret

FAST = KdfParams(b"s" * 16, iterations=1, memory_kib=1024)


def _keys(passphrase: str = "correct horse battery", params: KdfParams = FAST) -> SyncKeys:  # noqa: S107
    return SyncKeys(derive_root_key(Secret(passphrase), params))


def _change() -> Change:
    clock = Clock("dev1")
    return Change(new_change_id(), "wallet", "0xabc", clock.now(), {"name": "Savings"}, {})


def test_round_trip_and_opaque_blob() -> None:
    keys = _keys()
    change = _change()
    envelope = seal_change(keys, change)
    assert b"Savings" not in envelope.blob and "0xabc" not in envelope.record_tag
    assert open_envelope(keys, Envelope.from_wire(envelope.to_wire())) == change


@pytest.mark.parametrize(
    "alter",
    [
        lambda e: dataclasses.replace(e, blob=e.blob[:-1] + bytes([e.blob[-1] ^ 1])),
        lambda e: dataclasses.replace(e, blob=e.blob[:20]),
        lambda e: dataclasses.replace(e, blob=e.blob[: len(e.blob) // 2]),
        lambda e: dataclasses.replace(e, change_id=new_change_id()),  # replayed under a new id
        lambda e: dataclasses.replace(e, device="dev2"),
        lambda e: dataclasses.replace(e, version="000000000000001-000000-dev1"),
        lambda e: dataclasses.replace(e, record_tag="0" * 32),
        lambda e: dataclasses.replace(e, blob=b"\x02" + e.blob[1:]),
    ],
)
def test_altered_envelopes_are_refused(alter: object) -> None:
    keys = _keys()
    envelope = seal_change(keys, _change())
    with pytest.raises(SyncIntegrityError) as info:
        open_envelope(keys, alter(envelope))  # type: ignore[operator]
    assert "not applied" in info.value.user_message


def test_wrong_key_is_refused_and_key_check_names_the_passphrase() -> None:
    keys, other = _keys(), _keys("another passphrase")
    with pytest.raises(SyncIntegrityError):
        open_envelope(other, seal_change(keys, _change()))
    check = make_key_check(keys)
    verify_key_check(keys, check)
    with pytest.raises(WrongPassphraseError):
        verify_key_check(other, check)


def test_argon2id_depends_on_salt_and_refuses_short_passphrases() -> None:
    one = derive_root_key(Secret("passphrase-1"), FAST)
    two = derive_root_key(Secret("passphrase-1"), dataclasses.replace(FAST, salt=b"t" * 16))
    assert one != two and one == derive_root_key(Secret("passphrase-1"), FAST)
    with pytest.raises(WrongPassphraseError):
        derive_root_key(Secret("short"), FAST)
    assert KdfParams.from_dict(FAST.as_dict()) == FAST
    assert "passphrase" not in repr(one) and "<secret>" in repr(one)
