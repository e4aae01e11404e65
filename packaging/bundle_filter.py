"""What the spec drops from what PyInstaller's hooks collect wholesale.

The Qt hooks collect every plugin of a category the used Qt modules might load, and the torch hook
collects every file in the wheel. The app uses QtCore, QtGui and QtWidgets (plus pyqtgraph on top
of them) and runs small models on the CPU, so the lists below say what a person's machine needs
and drop the rest. Each entry is a path inside the bundle, as PyInstaller's destination names.
"""

from __future__ import annotations

from collections.abc import Callable
from fnmatch import fnmatch
from pathlib import PurePosixPath

__all__ = ["keep_binary", "keep_data", "prune_orphans"]

_QT_PLUGINS = "PySide6/Qt/plugins/"

# Plugin categories kept, and within a category the plugins kept (None: all of them).
_QT_KEEP: dict[str, tuple[str, ...] | None] = {
    # xcb (X11), wayland, offscreen (self-test, CI), windows, cocoa; not vnc/eglfs/linuxfb.
    "platforms": ("*qxcb*", "*qwayland*", "*qoffscreen*", "*qwindows*", "*qcocoa*", "*qminimal.*"),
    # Native file dialogs through the desktop portal (GNOME, KDE). Not gtk3: it would bundle
    # the build machine's GTK stack, which breaks on other distributions.
    "platformthemes": ("*qxdgdesktopportal*",),
    # Compose keys and input methods; not the virtual keyboard (it drags in QtQuick and QML).
    "platforminputcontexts": ("*compose*", "*ibus*"),
    "xcbglintegrations": None,
    "wayland-decoration-client": None,
    # Client-side GL on Wayland; the *-server plugins serve compositor buffers we never use.
    "wayland-graphics-integration-client": ("*wayland-egl*",),
    "wayland-shell-integration": ("*xdg-shell*",),  # what every desktop compositor speaks
    "styles": None,  # the Windows and macOS native styles
    "iconengines": None,  # themed icons in file dialogs are SVG
    # png is built into QtGui; the icon needs ico/icns on their platforms, dialogs jpeg/svg.
    "imageformats": ("*qico*", "*qicns*", "*qjpeg*", "*qsvg*", "*qgif*"),
}

# torch files that only its own test suite, C++ extension builds or other hardware use.
_TORCH_DROP = (
    "torch/bin/test_*",  # torch_shm_manager stays: `import torch` looks for it
    "torch/bin/*Test",
    "torch/bin/protoc*",
    "torch/bin/*.pt",
    "torch/bin/*.ptl",
    "torch/test/*",
    "torch/include/*",
    "torch/share/*",
    "torch/lib/*test*",
    "torch/lib/libbackend_with_compiler*",
    "torch/lib/libjitbackend_test*",
    "torch/lib/libaoti_custom_ops*",
    "torch/lib/libshm_windows/*",
    "torch/_inductor/*",
    "torch/utils/benchmark/*",
    "*.pyi",
)


def _keep_qt(dest: str) -> bool:
    if dest.startswith("PySide6/Qt/translations/"):
        # Our UI is English; keep Qt's own strings (dialog buttons) for the person's language.
        return PurePosixPath(dest).name.startswith("qtbase_")
    if not dest.startswith(_QT_PLUGINS):
        return True
    category, _, name = dest[len(_QT_PLUGINS) :].partition("/")
    if category not in _QT_KEEP:
        return False
    wanted = _QT_KEEP[category]
    return wanted is None or any(fnmatch(name, pattern) for pattern in wanted)


def _normalise(dest: str) -> str:
    return dest.replace("\\", "/")


def keep_binary(dest: str) -> bool:
    dest = _normalise(dest)
    return _keep_qt(dest) and not any(fnmatch(dest, p) for p in _TORCH_DROP)


def keep_data(dest: str) -> bool:
    return keep_binary(dest)


Entry = tuple[str, str, str]  # PyInstaller's (destination, source, type code)


def _name(dest: str) -> str:
    return PurePosixPath(_normalise(dest)).name


def prune_orphans(
    kept: list[Entry], dropped: list[Entry], imports_of: Callable[[str], set[str]]
) -> list[Entry]:
    """Drop the shared libraries that were collected only because a dropped file linked to them.

    Dependency analysis runs before the spec can filter, so dropping the gtk3 theme plugin
    leaves GTK, cairo and pango behind. A library reached from a dropped file is kept only if a
    kept file still needs it (directly or through other libraries); a library nothing links to
    (loaded with dlopen or ctypes) was never reached from a dropped file and is left alone.
    ``imports_of(source_path)`` gives the library names a binary links to.
    """

    def closure(starts: list[Entry], by_name: dict[str, Entry]) -> set[str]:
        seen: set[str] = set()
        todo = [src for _dest, src, code in starts if code != "SYMLINK"]
        while todo:
            for name in imports_of(todo.pop()):
                if name in by_name and name not in seen:
                    seen.add(name)
                    todo.append(by_name[name][1])
        return seen

    everything = {_name(e[0]): e for e in (*kept, *dropped)}
    suspects = closure(dropped, everything)
    roots = [e for e in kept if _name(e[0]) not in suspects]
    needed = closure(roots, {_name(e[0]): e for e in kept})
    result = [e for e in kept if _name(e[0]) not in suspects or _name(e[0]) in needed]
    # A symbolic link whose target went is dropped with it.
    present = {_normalise(e[0]) for e in result}
    return [e for e in result if e[2] != "SYMLINK" or _normalise(e[1]) in present]
