"""Settings: valid defaults, exact round trip, refusals that never destroy a person's file."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

import core.settings as settings_module
from core.errors import ConfigError
from core.settings import (
    ChainSettings,
    ProviderSettings,
    Settings,
    default_settings,
    load_settings,
    save_settings,
    to_dict,
    validate,
)

LOCAL = ChainSettings(31337, "Local", ("http://127.0.0.1:8545",), "ETH", True, True)


def write_raw(data_dir: Path, raw: Any) -> Path:
    path = data_dir / "settings.json"
    path.write_text(json.dumps(raw), encoding="utf-8")
    return path


def test_defaults_are_valid_and_cover_the_main_chains() -> None:
    defaults = validate(default_settings())
    assert {c.chain_id for c in defaults.chains} == {1, 10, 56, 137, 8453, 42161}
    assert defaults.fiat == "USD"


def test_missing_file_gives_defaults(data_dir: Path) -> None:
    assert load_settings(data_dir) == default_settings()


def test_save_and_load_round_trip(data_dir: Path) -> None:
    custom = replace(default_settings().with_chain(LOCAL), fiat="EUR", close_to_tray=False)
    save_settings(data_dir, custom)
    assert load_settings(data_dir) == custom


def test_damaged_json_is_refused_and_left_alone(data_dir: Path) -> None:
    path = data_dir / "settings.json"
    damaged = b'{"fiat": "EUR", "chains": [ \n'
    path.write_bytes(damaged)
    with pytest.raises(ConfigError, match="not valid JSON") as caught:
        load_settings(data_dir)
    assert caught.value.hint is not None and "will not overwrite" in caught.value.hint
    assert path.read_bytes() == damaged


def test_a_file_from_a_newer_app_is_refused(data_dir: Path) -> None:
    path = write_raw(data_dir, {"version": 99, "fiat": "EUR"})
    before = path.read_bytes()
    with pytest.raises(ConfigError, match="newer"):
        load_settings(data_dir)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "raw",
    [
        [1, 2, 3],
        {"version": "1"},
        {"version": 0},
        {"chains": [{"name": "No id", "rpc_urls": ["https://x.org"]}]},
        {"chains": [{"chain_id": "one", "name": "X", "rpc_urls": ["https://x.org"]}]},
        {"chains": 5},
        {"chains": ["https://x.org"]},
        {"providers": [{"name": "0x"}]},
        {"rpc_timeout_s": "fast"},
        {"rpc_timeout_s": None},
        {"rpc_timeout_s": 0},
        {"status_poll_s": 1e9},
        {"fiat": "XYZ"},
    ],
)
def test_malformed_files_are_config_errors(data_dir: Path, raw: Any) -> None:
    write_raw(data_dir, raw)
    with pytest.raises(ConfigError):
        load_settings(data_dir)


def test_stored_versions_are_upgraded_step_by_step(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def v1_to_v2(raw: dict[str, Any]) -> dict[str, Any]:
        raw["fiat"] = raw.pop("currency")  # version 2 renamed the field
        return raw

    monkeypatch.setattr(settings_module, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(settings_module.UPGRADES, 1, v1_to_v2)
    write_raw(data_dir, {"version": 1, "currency": "CHF"})

    loaded = load_settings(data_dir)
    assert loaded.version == 2 and loaded.fiat == "CHF"

    write_raw(data_dir, {"version": 3})
    with pytest.raises(ConfigError, match="newer"):
        load_settings(data_dir)


def test_with_chain_adds_or_replaces_and_without_chain_removes() -> None:
    base = default_settings()
    added = base.with_chain(LOCAL)
    assert added.chain(31337) == LOCAL
    assert added.chains[-1] == LOCAL  # custom chains come after the built-in ones
    assert base.chains == default_settings().chains  # settings are values: no mutation

    own_node = replace(base.chain(1), rpc_urls=("https://my-node.example/rpc",))
    replaced = added.with_chain(own_node)
    assert replaced.chain(1).rpc_urls == ("https://my-node.example/rpc",)
    assert [c.chain_id for c in replaced.chains].count(1) == 1

    removed = replaced.without_chain(31337)
    assert 31337 not in {c.chain_id for c in removed.chains}
    with pytest.raises(ConfigError):
        removed.without_chain(31337)


@pytest.mark.parametrize("url", ["ftp://x", "notaurl", "http://", ""])
def test_bad_rpc_urls_are_refused(url: str) -> None:
    with pytest.raises(ConfigError):
        default_settings().with_chain(replace(LOCAL, rpc_urls=(url,)))
    with pytest.raises(ConfigError):
        validate(replace(default_settings(), chains=(replace(LOCAL, rpc_urls=(url,)),)))


@pytest.mark.parametrize(
    "settings",
    [
        replace(default_settings(), chains=(LOCAL, replace(LOCAL, name="Again"))),
        replace(default_settings(), chains=(replace(LOCAL, chain_id=0),)),
        replace(default_settings(), chains=(replace(LOCAL, chain_id=-5),)),
        replace(default_settings(), chains=(replace(LOCAL, rpc_urls=()),)),
        replace(default_settings(), fiat="XYZ"),
        replace(default_settings(), providers=(ProviderSettings("x", "ftp://x"),)),
    ],
    ids=["duplicate-id", "zero-id", "negative-id", "no-rpc", "unknown-fiat", "bad-provider"],
)
def test_validate_refuses(settings: Settings) -> None:
    with pytest.raises(ConfigError):
        validate(settings)


def test_refused_settings_are_never_saved(data_dir: Path) -> None:
    with pytest.raises(ConfigError):
        save_settings(data_dir, replace(default_settings(), fiat="XYZ"))
    assert not (data_dir / "settings.json").exists()


def test_no_secret_is_a_setting(data_dir: Path) -> None:
    words = ("key", "secret", "password", "token", "mnemonic", "private", "seed")
    for cls in (Settings, ChainSettings, ProviderSettings):
        for f in dataclasses.fields(cls):
            if any(w in f.name for w in words):
                assert (cls, f.name) == (ProviderSettings, "api_key_ref")

    save_settings(data_dir, default_settings())
    stored = json.loads((data_dir / "settings.json").read_text(encoding="utf-8"))
    refs = {p["name"]: p["api_key_ref"] for p in stored["providers"]}
    assert refs["0x"] == "provider:0x:api-key"  # the name of a keychain entry, not a key


@pytest.mark.parametrize(
    ("field", "value"),
    [("close_to_tray", "false"), ("fiat", 5), ("rpc_timeout_s", True), ("rpc_timeout_s", "8")],
)
def test_wrong_json_types_are_refused_not_coerced(
    tmp_path: Path, field: str, value: object
) -> None:
    raw = to_dict(default_settings())
    raw[field] = value
    (tmp_path / "settings.json").write_text(json.dumps(raw))
    with pytest.raises(ConfigError, match=field):
        load_settings(tmp_path)


@pytest.mark.parametrize(
    ("field", "value"), [("chain_id", True), ("chain_id", 1.9), ("enabled", "no")]
)
def test_chain_fields_are_not_coerced(tmp_path: Path, field: str, value: object) -> None:
    raw = to_dict(default_settings())
    raw["chains"][0][field] = value
    (tmp_path / "settings.json").write_text(json.dumps(raw))
    with pytest.raises(ConfigError, match=field):
        load_settings(tmp_path)
