"""The `cryptoorchestrator` console script: the window by default, the CLI for subcommands."""

from __future__ import annotations

import sys
from pathlib import Path

from core.cli import run_cli


def _run_gui(data_dir: Path | None) -> int:
    from desktop.main import run  # Qt is imported only when the window is wanted

    return run(data_dir)


def main() -> None:
    sys.exit(run_cli(_run_gui))


if __name__ == "__main__":
    main()
