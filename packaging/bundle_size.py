"""Measure a built bundle, list its biggest parts and fail above the size budget.

    python packaging/bundle_size.py dist/cryptoorchestrator [--budget-mb N] [--top N] [--json]

The budget is set from a measured build (see BUDGET_MB) with some headroom; a change that pushes
the bundle past it (a new dependency dragging in half of CUDA, a Qt module nobody uses) fails
`make package` and has to raise the budget on purpose, in review.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

__all__ = ["BUDGET_MB", "BundleSize", "measure"]

#: 800.5 MB measured on Linux x86_64 (torch 2.13.0 CPU, PySide6 6.11.3, 2026-11-26), plus 10%
BUDGET_MB = 880.0
MB = 1024 * 1024


class BundleSize:
    def __init__(self, total: int, files: int, parts: Counter[str], biggest: list[tuple[str, int]]):
        self.total = total
        self.files = files
        self.parts = parts
        self.biggest = biggest

    def as_dict(self, top: int = 10) -> dict[str, object]:
        return {
            "total_mb": round(self.total / MB, 1),
            "files": self.files,
            "top_parts_mb": {k: round(v / MB, 1) for k, v in self.parts.most_common(top)},
            "biggest_files_mb": {k: round(v / MB, 1) for k, v in self.biggest[:top]},
        }


def _part(relative: Path) -> str:
    """Group a file under the package or folder it belongs to (two levels for torch and Qt)."""
    parts = relative.parts
    if parts and parts[0] == "_internal":  # PyInstaller 6 puts everything but the exe in here
        parts = parts[1:]
    if len(parts) <= 1:
        return parts[0] if parts else "?"
    if parts[0] in ("torch", "PySide6") and len(parts) > 2:
        return "/".join(parts[:2])
    return parts[0]


def measure(bundle: Path) -> BundleSize:
    if not bundle.is_dir():
        raise FileNotFoundError(f"{bundle} is not a built bundle; run `make package` first")
    parts: Counter[str] = Counter()
    sizes: list[tuple[str, int]] = []
    total = 0
    for path in bundle.rglob("*"):
        if path.is_symlink() or not path.is_file():
            continue  # symlinks point at files already counted
        size = path.stat().st_size
        relative = path.relative_to(bundle)
        parts[_part(relative)] += size
        sizes.append((relative.as_posix(), size))
        total += size
    sizes.sort(key=lambda item: item[1], reverse=True)
    return BundleSize(total, len(sizes), parts, sizes)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("bundle", type=Path)
    parser.add_argument("--budget-mb", type=float, default=BUDGET_MB)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--json", action="store_true", help="print only one JSON object")
    args = parser.parse_args(argv)
    try:
        size = measure(args.bundle)
    except FileNotFoundError as exc:
        print(f"bundle-size: {exc}", file=sys.stderr)
        return 2
    figures = size.as_dict(args.top)
    over = size.total / MB > args.budget_mb
    if args.json:
        print(json.dumps({**figures, "budget_mb": args.budget_mb, "over_budget": over}))
    else:
        print(f"bundle-size: {args.bundle}: {figures['total_mb']} MB in {size.files} files")
        print("bundle-size: biggest parts:")
        for name, mb in figures["top_parts_mb"].items():  # type: ignore[attr-defined]
            print(f"  {mb:8.1f} MB  {name}")
        print("bundle-size: biggest files:")
        for name, mb in figures["biggest_files_mb"].items():  # type: ignore[attr-defined]
            print(f"  {mb:8.1f} MB  {name}")
        verdict = "OVER" if over else "within"
        print(f"bundle-size: {figures['total_mb']} MB, {verdict} the budget of {args.budget_mb} MB")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
