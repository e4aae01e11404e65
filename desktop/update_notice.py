"""Tell the person, in the status bar, when a verified release manifest offers a newer version.

The check runs once at start, in the background, and only when a manifest address is set in
settings (off by default). A manifest the core rejects (unsigned, wrong key, tampered) or cannot
reach is logged there and shown nowhere: a stranger's file is no news to the person.
"""

from __future__ import annotations

import html

from core.updates import UpdateCheck
from desktop.operations import Operations
from desktop.qt import QLabel, QMainWindow, Qt


class UpdateNotice(QLabel):
    """A permanent status-bar note: version, download address and its sha256."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("update-notice")
        self.setOpenExternalLinks(True)
        # Links clickable and the sha256 selectable, so the person can compare it to the file.
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.hide()

    def apply(self, result: UpdateCheck) -> None:
        if result.status != "available" or result.manifest is None:
            return
        manifest = result.manifest
        url = html.escape(manifest.url, quote=True)
        self.setText(
            f'Version {html.escape(manifest.version)} is available: <a href="{url}">{url}</a>'
            f" sha256 {manifest.sha256}"
        )
        self.setToolTip(f"{manifest.url}\nsha256 {manifest.sha256}\n{manifest.notes}".strip())
        self.setAccessibleName(result.message)
        self.show()


def check_for_updates(window: QMainWindow, ops: Operations) -> UpdateNotice:
    """Add the note to ``window``'s status bar and start the check if one is configured."""
    notice = UpdateNotice()
    window.statusBar().addPermanentWidget(notice)
    if ops.core.settings().update_manifest_url:
        ops.run("update-check", ops.core.check_for_update(), on_success=notice.apply)
    return notice
