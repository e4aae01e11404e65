"""The built bundle: its size, and its start to a shown window against running from source.

Both are started the same way, `--self-test` offscreen, alternating, RUNS times each in this one
run; the time is taken from process launch to the self-test's "window shown" line (imports, Qt,
the core with a fresh migrated database, the window painted), and to the process exit (the model
runtime too). The first run of each is reported apart: it is the coldest the page cache gets here.
Does not build anything: without dist/ it says how to build and prints a JSON line saying so.
Prints one JSON line last.
"""

from __future__ import annotations

import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from desktop.self_test import WINDOW_SHOWN_MARK

BUNDLE = REPO / "dist" / "cryptoorchestrator"
BUNDLE_EXE = BUNDLE / (
    "cryptoorchestrator.exe" if sys.platform == "win32" else "cryptoorchestrator"
)
SOURCE_EXE = Path(sys.executable).parent / "cryptoorchestrator"
RUNS = 3


def _bundle_size_tool():  # packaging/ is scripts, not a package (it would shadow PyPA's)
    spec = importlib.util.spec_from_file_location(
        "bundle_size", REPO / "packaging" / "bundle_size.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def start_once(executable: Path) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(executable), "--self-test"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    shown = None
    last = ""
    for line in process.stdout:
        if line.strip() == WINDOW_SHOWN_MARK and shown is None:
            shown = time.perf_counter() - started
        last = line
    code = process.wait(timeout=600)
    ended = time.perf_counter() - started
    if code != 0 or shown is None:
        raise SystemExit(f"{executable} --self-test failed ({code}): {last.strip()}")
    steps = json.loads(last)["steps_ms"]
    return {"window_s": shown, "exit_s": ended, "model_ms": steps["model runtime"]}


def main() -> None:
    if not BUNDLE_EXE.exists():
        print(f"bench_bundle: no bundle at {BUNDLE_EXE}; build it with `make package` first")
        print(json.dumps({"bench": "bundle", "skipped": "bundle not built (make package)"}))
        return
    size = _bundle_size_tool().measure(BUNDLE)
    runs: dict[str, list[dict[str, float]]] = {"bundle": [], "source": []}
    for _ in range(RUNS):
        for name, exe in (("bundle", BUNDLE_EXE), ("source", SOURCE_EXE)):
            runs[name].append(start_once(exe))
            figures = runs[name][-1]
            print(
                f"{name}: window shown {figures['window_s']:.2f} s, exit {figures['exit_s']:.2f} s"
            )

    def summary(name: str) -> dict[str, float]:
        window = [r["window_s"] for r in runs[name]]
        exits = [r["exit_s"] for r in runs[name]]
        return {
            "first_window_s": round(window[0], 2),
            "median_window_s": round(statistics.median(window), 2),
            "median_exit_s": round(statistics.median(exits), 2),
        }

    bundle, source = summary("bundle"), summary("source")
    result = {
        "bench": "bundle",
        "runs": RUNS,
        "size": size.as_dict(top=6),
        "bundle": bundle,
        "source": source,
        "window_bundle_over_source": round(
            bundle["median_window_s"] / source["median_window_s"], 2
        ),
        "first_window_bundle_over_source": round(
            bundle["first_window_s"] / source["first_window_s"], 2
        ),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
