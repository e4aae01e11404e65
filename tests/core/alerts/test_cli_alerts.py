"""`cryptoorchestrator alerts ...` end to end through the real CLI and a real data dir."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from core.cli import build_cli


def cli(data_dir: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(build_cli(), ["--data-dir", str(data_dir), *args])
    return result.exit_code, result.output


def test_add_check_history_remove(data_dir: Path) -> None:
    code, out = cli(data_dir, "alerts", "add", "price_above", "--asset", "ETH", "--level", "3000")
    assert code == 0 and out.strip() == "added alert 1: ETH@1 above 3000"
    assert cli(data_dir, "portfolio", "set-price", "1", "native", "2950")[0] == 0
    code, out = cli(data_dir, "alerts", "check-now")
    assert code == 0 and "nothing fired" in out and "armed, watching" in out
    assert cli(data_dir, "portfolio", "set-price", "1", "native", "3050")[0] == 0
    code, out = cli(data_dir, "alerts", "check-now")
    assert code == 0 and "ETH@1 above 3000: ETH@1 is at 3,050 USD, above 3,000 USD" in out
    code, out = cli(data_dir, "alerts", "history")
    assert code == 0 and "is at 3,050 USD" in out
    code, out = cli(data_dir, "alerts", "list")
    assert code == 0 and "price_above" in out and "fired at" in out
    assert cli(data_dir, "alerts", "disable", "1") == (0, "disabled alert 1\n")
    assert "off" in cli(data_dir, "alerts", "list")[1]
    assert cli(data_dir, "alerts", "remove", "1") == (0, "removed alert 1\n")
    assert "no alert rules yet" in cli(data_dir, "alerts", "list")[1]
    assert "is at 3,050 USD" in cli(data_dir, "alerts", "history")[1]  # history stays


def test_bad_rules_exit_2_with_the_reason(data_dir: Path) -> None:
    code, out = cli(
        data_dir, "alerts", "add", "pct_move", "--asset", "ETH", "--level", "5", "--window", "-10m"
    )
    assert code == 2 and "The window must be longer than zero, not -10m." in out
    code, out = cli(data_dir, "alerts", "add", "price_above", "--asset", "DOGE", "--level", "1")
    assert code == 2 and "Unknown asset 'DOGE'" in out
    code, out = cli(data_dir, "alerts", "remove", "7")
    assert code == 2 and "There is no alert rule 7." in out
    assert "no alert rules yet" in cli(data_dir, "alerts", "list")[1]


def test_pause_and_resume(data_dir: Path) -> None:
    assert cli(data_dir, "alerts", "pause") == (0, "alerts paused\n")
    assert "alerts are paused" in cli(data_dir, "alerts", "list")[1]
    assert cli(data_dir, "alerts", "resume") == (0, "alerts resumed\n")
    assert "alerts are paused" not in cli(data_dir, "alerts", "list")[1]
