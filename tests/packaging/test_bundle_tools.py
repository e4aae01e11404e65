"""What the spec keeps and drops, and the size budget check, on real files in a temp folder."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[2]


def test_qt_plugins_kept_are_the_ones_a_desktop_needs(bundle_filter: ModuleType) -> None:
    keep = bundle_filter.keep_binary
    plugins = "PySide6/Qt/plugins/"
    for needed in (
        "platforms/libqxcb.so",
        "platforms/libqwayland.so",
        "platforms/libqoffscreen.so",
        "platforms/qwindows.dll",
        "platforms/libqcocoa.dylib",
        "imageformats/libqico.so",
        "platformthemes/libqxdgdesktopportal.so",
        "platforminputcontexts/libibusplatforminputcontextplugin.so",
        "wayland-shell-integration/libxdg-shell.so",
    ):
        assert keep(plugins + needed), needed
    for unused in (
        "platforms/libqvnc.so",
        "platforms/libqeglfs.so",
        "platformthemes/libqgtk3.so",
        "platforminputcontexts/libqtvirtualkeyboardplugin.so",
        "imageformats/libqpdf.so",
        "imageformats/libqtiff.so",
        "sqldrivers/libqsqlite.so",
        "multimedia/libffmpegmediaplugin.so",
        "egldeviceintegrations/libqeglfs-kms-integration.so",
        "tls/libqopensslbackend.so",
    ):
        assert not keep(plugins + unused), unused
    assert keep("PySide6/Qt/translations/qtbase_de.qm")
    assert not keep("PySide6/Qt/translations/qtwebengine_de.qm")
    assert keep("PySide6\\Qt\\plugins\\platforms\\qwindows.dll")  # Windows separators


def test_torch_keeps_its_runtime_and_drops_tests_and_headers(bundle_filter: ModuleType) -> None:
    keep = bundle_filter.keep_binary
    for needed in (
        "torch/lib/libtorch_cpu.so",
        "torch/lib/libc10.so",
        "torch/_C.so",
        "torch/bin/torch_shm_manager",  # `import torch` refuses to start without it
    ):
        assert keep(needed)
    for unused in (
        "torch/bin/test_api",
        "torch/lib/libtorchbind_test.so",
        "torch/lib/libjitbackend_test.so",
        "torch/include/ATen/ATen.h",
        "torch/test/test_nn.py",
        "torch/_inductor/codegen/cpp_prefix.h",
    ):
        assert not keep(unused), unused


def test_libraries_only_a_dropped_plugin_needed_go_with_it(bundle_filter: ModuleType) -> None:
    links = {
        "/src/libqxcb.so": {"libQt6XcbQpa.so.6", "libQt6Gui.so.6"},
        "/src/libQt6XcbQpa.so.6": {"libxcb.so.1", "libQt6Gui.so.6"},
        "/src/libqgtk3.so": {"libgtk-3.so.0", "libQt6Gui.so.6"},
        "/src/libgtk-3.so.0": {"libcairo.so.2", "libxcb.so.1"},
        "/src/libcairo.so.2": set(),
        "/src/libxcb.so.1": set(),
        "/src/libQt6Gui.so.6": set(),
        "/src/libffi.so.8": set(),  # loaded through ctypes: nothing links to it
    }

    def entry(name: str, dest_dir: str = "") -> tuple[str, str, str]:
        return (f"{dest_dir}{name}", f"/src/{name}", "BINARY")

    plugin_dir = "PySide6/Qt/plugins/platforms/"
    kept = [
        entry("libqxcb.so", plugin_dir),
        entry("libQt6XcbQpa.so.6"),
        entry("libQt6Gui.so.6"),
        entry("libgtk-3.so.0"),
        entry("libcairo.so.2"),
        entry("libxcb.so.1"),
        entry("libffi.so.8"),
        ("libgtk-3.so", "libgtk-3.so.0", "SYMLINK"),
    ]
    dropped = [entry("libqgtk3.so", "PySide6/Qt/plugins/platformthemes/")]
    result = bundle_filter.prune_orphans(kept, dropped, lambda src: links.get(src, set()))
    names = {Path(dest).name for dest, _src, _code in result}
    assert names == {
        "libqxcb.so",
        "libQt6XcbQpa.so.6",
        "libQt6Gui.so.6",
        "libxcb.so.1",
        "libffi.so.8",
    }


def test_size_report_lists_the_biggest_parts_and_enforces_the_budget(
    bundle_size: ModuleType, tmp_path: Path
) -> None:
    bundle = tmp_path / "cryptoorchestrator"
    (bundle / "_internal" / "torch" / "lib").mkdir(parents=True)
    (bundle / "_internal" / "PySide6" / "Qt").mkdir(parents=True)
    (bundle / "_internal" / "torch" / "lib" / "libtorch_cpu.so").write_bytes(b"t" * 3_000_000)
    (bundle / "_internal" / "PySide6" / "Qt" / "libQt6Gui.so.6").write_bytes(b"q" * 1_000_000)
    (bundle / "cryptoorchestrator").write_bytes(b"e" * 500_000)
    (bundle / "_internal" / "libQt6Gui.so.6").symlink_to("PySide6/Qt/libQt6Gui.so.6")

    size = bundle_size.measure(bundle)
    assert size.total == 4_500_000 and size.files == 3  # the symlink is not counted twice
    assert size.parts.most_common(1)[0][0] == "torch/lib"
    tool = [sys.executable, str(REPO / "packaging" / "bundle_size.py"), str(bundle)]
    within = subprocess.run([*tool, "--budget-mb", "5", "--json"], capture_output=True, text=True)
    report = json.loads(within.stdout)
    assert within.returncode == 0 and report["total_mb"] == 4.3 and not report["over_budget"]
    assert report["top_parts_mb"]["torch/lib"] == 2.9
    over = subprocess.run([*tool, "--budget-mb", "4"], capture_output=True, text=True)
    assert over.returncode == 1 and "OVER the budget of 4.0 MB" in over.stdout
    missing = subprocess.run([*tool[:2], str(tmp_path / "nothing")], capture_output=True, text=True)
    assert missing.returncode == 2 and "make package" in missing.stderr
