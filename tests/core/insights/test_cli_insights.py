"""`insights evaluate` on the shipped real extract and on bad files; `train` and `show`."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from core.cli import run_cli
from core.insights.csv_data import read_ohlcv_csv
from core.insights.errors import InsightsError

SAMPLE = (
    Path(__file__).resolve().parents[3]
    / "core/insights/sample/ohlcv_daily_coinbase_pro_2015_2020.csv.gz"
)


def test_evaluate_on_the_shipped_extract_prints_a_table_then_json(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "--data-dir",
        str(data_dir),
        "insights",
        "evaluate",
        "--csv",
        str(SAMPLE),
        "--folds",
        "2",
        "--max-epochs",
        "15",
    ]
    assert run_cli(argv=argv) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert "dropped 8 with no positive close" in lines[0]
    header = next(i for i, line in enumerate(lines) if line.startswith("metric"))
    for offset, metric in enumerate(("qlike", "mse_log_vol", "brier", "log_loss", "pinball")):
        assert lines[header + 1 + offset].startswith(metric)
    report = json.loads(lines[-1])
    assert report["symbols"] == ["BTCUSD", "ETHUSD", "LTCUSD"]
    assert report["bar_seconds"] == 86400 and report["folds"] == 2
    assert report["test_rows"] == sum(f["rows"] for f in report["per_fold"]) > 500
    for side in ("model", "baseline"):
        assert set(report[side]) == {"qlike", "mse_log_vol", "brier", "log_loss", "pinball"}
    assert report["coin_flip"]["brier"] == pytest.approx(0.25)
    assert report["beats"]["volatility"] == (report["model"]["qlike"] < report["baseline"]["qlike"])


def test_evaluate_refuses_a_file_without_the_columns(
    tmp_path: Path, data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("date,price\n2020-01-01,1\n")
    argv = ["--data-dir", str(data_dir), "insights", "evaluate", "--csv", str(bad)]
    assert run_cli(argv=argv) == 2
    err = capsys.readouterr().err
    assert "lacks the column(s) timestamp, symbol, open, high, low, close, volume" in err


def test_csv_reader_cleans_and_counts(tmp_path: Path) -> None:
    path = tmp_path / "x.csv.gz"
    rows = ["timestamp,symbol,open,high,low,close,volume"]
    rows += [f"{1_600_000_000 + 3600 * i},AAA,1,1,1,{1 + i % 7},1" for i in range(100)]
    rows += ["1600000000,AAA,1,1,1,5,1", "1600003600,AAA,1,1,1,0,1", "1600007200,AAA,1,1,1,,1"]
    path.write_bytes(gzip.compress("\n".join(rows).encode()))
    loaded = read_ohlcv_csv(path)
    assert loaded.rows == 103 and loaded.dropped_bad_close == 2
    assert loaded.dropped_duplicates == 1 and loaded.bar_seconds == 3600
    times, closes = loaded.series["AAA"]
    assert times.size == 100 and closes[0] == 5.0  # the repeated timestamp kept its last row
    with pytest.raises(InsightsError, match=r"No file at"):
        read_ohlcv_csv(tmp_path / "missing.csv")


def test_evaluate_refuses_too_short_a_file(tmp_path: Path) -> None:
    from core.cli_insights import evaluate_csv
    from models.training import TrainConfig

    path = tmp_path / "short.csv"
    lines = ["timestamp,symbol,open,high,low,close,volume"]
    lines += [f"2020-01-{d:02d},AAA,1,1,1,{d},1" for d in range(1, 29)]
    path.write_text("\n".join(lines))
    with pytest.raises(InsightsError, match="at least 500"):
        evaluate_csv(path, 7, 3, TrainConfig())


def test_train_and_show_on_the_demo(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["--data-dir", str(data_dir)]
    assert run_cli(argv=[*base, "insights", "show"]) == 0
    assert "no held assets" in capsys.readouterr().out
    assert run_cli(argv=[*base, "insights", "train"]) == 0
    out = capsys.readouterr()
    assert "trained at" in out.out and "epoch 1/" in out.err
    assert run_cli(argv=[*base, "insights", "show", "--demo"]) == 0
    assert "no held assets" in capsys.readouterr().out  # demo not loaded yet: said plainly
