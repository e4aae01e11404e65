"""The app icon, drawn in code so the tray, window and bundle share one source and no binary."""

from __future__ import annotations

from desktop.qt import QColor, QFont, QIcon, QPainter, QPixmap, Qt


def app_icon(status_color: str | None = None) -> QIcon:
    icon = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor("#1f6feb"))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(0, 0, size, size, size * 0.22, size * 0.22)
        painter.setPen(QColor("white"))
        font = QFont()
        font.setBold(True)
        font.setPixelSize(int(size * 0.48))
        painter.setFont(font)
        painter.drawText(pixmap.rect(), Qt.AlignmentFlag.AlignCenter, "CO")
        if status_color:
            painter.setBrush(QColor(status_color))
            painter.setPen(Qt.PenStyle.NoPen)
            dot = max(4, size // 4)
            painter.drawEllipse(size - dot, size - dot, dot, dot)
        painter.end()
        icon.addPixmap(pixmap)
    return icon
