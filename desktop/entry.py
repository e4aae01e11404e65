"""The `cryptoorchestrator` console script: the window by default, the CLI for subcommands."""

from __future__ import annotations

import sys
from pathlib import Path


def _run_gui(data_dir: Path | None) -> int:
    from desktop.main import run  # Qt is imported only when the window is wanted

    return run(data_dir)


def main() -> None:
    if "--self-test" in sys.argv[1:]:
        # Before the CLI: the self-test opens the window, so it lives on the desktop side.
        from desktop.self_test import run_self_test

        sys.exit(run_self_test())
    if sys.argv[1:] == ["--version"]:
        # Answered before the CLI loads the core (web3, torch...), which takes seconds.
        from core.version import __version__

        print(f"cryptoorchestrator {__version__}")
        sys.exit(0)
    from core.cli import run_cli

    sys.exit(run_cli(_run_gui))


if __name__ == "__main__":
    main()
