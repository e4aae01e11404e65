"""The command line: version, chain management with clear errors, the GUI hand-off."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from core.cli import build_cli
from core.settings import load_settings
from core.version import __version__


@pytest.fixture
def run(data_dir: Path):
    runner = CliRunner()
    cli = build_cli()

    def invoke(*args: str) -> Result:
        return runner.invoke(cli, ["--data-dir", str(data_dir), *args])

    return invoke


def test_version() -> None:
    result = CliRunner().invoke(build_cli(), ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"cryptoorchestrator {__version__}"


def test_add_a_custom_chain_then_list_it(run, data_dir: Path) -> None:
    added = run("chains", "add", "31337", "Local", "http://127.0.0.1:8545", "--symbol", "GO")
    assert added.exit_code == 0, added.output
    assert "saved chain 31337 (Local)" in added.stdout

    listed = run("chains", "list")
    assert listed.exit_code == 0, listed.output
    [line] = [ln for ln in listed.stdout.splitlines() if ln.startswith("31337")]
    assert line.split() == ["31337", "on", "Local", "http://127.0.0.1:8545"]

    stored = load_settings(data_dir).chain(31337)
    assert stored.custom and stored.native_symbol == "GO"


def test_replacing_a_built_in_chain_rpc_keeps_it_built_in(run, data_dir: Path) -> None:
    result = run("chains", "add", "1", "Ethereum", "https://a.example", "https://b.example")
    assert result.exit_code == 0, result.output
    chain = load_settings(data_dir).chain(1)
    assert chain.rpc_urls == ("https://a.example", "https://b.example")
    assert not chain.custom


def test_a_bad_rpc_address_is_refused_clearly(run, data_dir: Path) -> None:
    result = run("chains", "add", "5", "X", "ftp://bad")
    assert result.exit_code == 2
    assert "Error: 'ftp://bad' is not an RPC address" in result.stderr
    assert "Traceback" not in result.output
    assert not (data_dir / "settings.json").exists()


def test_removing_an_unknown_chain_is_refused_clearly(run) -> None:
    result = run("chains", "remove", "999")
    assert result.exit_code == 2
    assert "No chain with id 999 is configured" in result.stderr


def test_remove_a_chain(run, data_dir: Path) -> None:
    assert run("chains", "add", "31337", "Local", "http://127.0.0.1:8545").exit_code == 0
    result = run("chains", "remove", "31337")
    assert result.exit_code == 0 and "removed chain 31337" in result.stdout
    assert 31337 not in {c.chain_id for c in load_settings(data_dir).chains}


def test_no_command_opens_the_window_with_the_data_dir(data_dir: Path) -> None:
    opened: list[Path | None] = []

    def gui(path: Path | None) -> int:
        opened.append(path)
        return 3

    result = CliRunner().invoke(build_cli(gui), ["--data-dir", str(data_dir)])
    assert result.exit_code == 3
    assert opened == [data_dir]
