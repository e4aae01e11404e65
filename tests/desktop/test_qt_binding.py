"""Guards against binding bugs that would crash the app, found the hard way."""

from __future__ import annotations

import subprocess
import sys

from tests.harness.parts import REPO

# qasync's call_soon_threadsafe emits Signal(object, tuple); every aiosqlite completion goes
# through it. PySide6 6.12.0 over-released bools inside such tuples and aborted the interpreter
# ("bool_dealloc") after a few thousand emits.
PROBE = """
import sys
from PySide6.QtCore import QCoreApplication, QObject, Signal
app = QCoreApplication([])
class S(QObject):
    sig = Signal(object, tuple)
s = S()
s.sig.connect(lambda cb, args: None)
before = sys.getrefcount(True)
for _ in range(20000):
    s.sig.emit(print, (True, False, None))
after = sys.getrefcount(True)
print(before, after)
sys.exit(0 if abs(after - before) < 50 else 3)
"""


def test_signal_tuples_keep_refcounts() -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"binding refcount bug: {result.stdout} {result.stderr[-500:]}"
