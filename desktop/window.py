"""The main window: navigation on the left, one page per feature, chain status at the bottom."""

from __future__ import annotations

from core.app import CoreApp
from core.events import SettingsChanged, TaskFailed
from desktop import operations
from desktop.bridge import CoreSignals
from desktop.errors import ErrorBanner
from desktop.icon import app_icon
from desktop.operations import Operations
from desktop.pages.activity import ActivityPage
from desktop.pages.alerts_page import AlertsPage
from desktop.pages.insights_page import InsightsPage
from desktop.pages.not_built import NotBuiltPage
from desktop.pages.portfolio_page import PortfolioPage
from desktop.pages.settings_page import SettingsPage
from desktop.pages.swap_page import SwapPage
from desktop.pages.wallets_page import WalletsPage
from desktop.qt import (
    QCloseEvent,
    QHBoxLayout,
    QListWidget,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
    Signal,
)
from desktop.status import ChainStatusBar

PAGES = ("Portfolio", "Swap", "Wallets", "Alerts", "Insights", "Activity", "Settings")

_NOT_BUILT: dict[str, str] = {}


class MainWindow(QMainWindow):
    #: emitted when the window hides itself into the tray instead of closing
    hidden_to_tray = Signal()
    #: emitted when the window really closes (the app should quit)
    closed = Signal()

    def __init__(self, core: CoreApp, *, tray_available: bool = False) -> None:
        super().__init__()
        self.core = core
        self.tray_available = tray_available
        self.quitting = False
        self.ops = Operations(core)
        self.signals = CoreSignals(core)
        self.setWindowTitle("CryptoOrchestrator")
        self.setWindowIcon(app_icon())
        self.resize(1100, 720)

        self.banner = ErrorBanner()
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(170)
        self.stack = QStackedWidget()
        self.activity_page = ActivityPage(core, self.ops)
        self.settings_page = SettingsPage(core, self.ops)
        self.pages: dict[str, QWidget] = {
            "Portfolio": PortfolioPage(core, self.ops),
            "Swap": SwapPage(core, self.ops),
            "Insights": InsightsPage(core, self.ops),
            "Wallets": WalletsPage(core, self.ops),
            "Alerts": AlertsPage(core, self.ops, self.signals, self.show_page),
            "Activity": self.activity_page,
            "Settings": self.settings_page,
        }
        for name in PAGES:
            # A capability not built yet says so plainly instead of showing anything fake.
            page = self.pages.setdefault(name, NotBuiltPage(name, _NOT_BUILT.get(name, "")))
            self.nav.addItem(name)
            # A page scrolls rather than forcing its full size on the window (Settings alone
            # would otherwise make it taller than a laptop screen).
            scroller = QScrollArea()
            scroller.setWidgetResizable(True)
            scroller.setWidget(page)
            self.stack.addWidget(scroller)
        self.nav.currentRowChanged.connect(self._show_page)

        body = QHBoxLayout()
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        outer = QVBoxLayout()
        outer.addWidget(self.banner)
        outer.addLayout(body, 1)
        central = QWidget()
        central.setLayout(outer)
        self.setCentralWidget(central)

        self.chain_status = ChainStatusBar(core)
        self.statusBar().addPermanentWidget(self.chain_status)
        self.statusBar().showMessage(f"Data: {core.data_dir}")

        self.signals.chain_status.connect(self.chain_status.apply)
        self.signals.task_failed.connect(self._on_task_failed)
        self.signals.settings_changed.connect(self._on_settings_changed)
        self.signals.tx_status.connect(self.activity_page.transactions.on_tx_status)
        operations.load_chain_status(self.ops, self.chain_status.apply_stored)
        self.nav.setCurrentRow(0)

    def show_page(self, name: str) -> None:
        self.nav.setCurrentRow(PAGES.index(name))

    def current_page(self) -> str:
        return PAGES[self.stack.currentIndex()]

    def _show_page(self, row: int) -> None:
        self.stack.setCurrentIndex(row)
        # Pages that show stored data reload it when they come into view.
        on_shown = getattr(self.pages[PAGES[row]], "on_shown", None)
        if callable(on_shown):
            on_shown()

    def _on_task_failed(self, event: TaskFailed) -> None:
        self.banner.show_message(event.title, event.user_message)

    def _on_settings_changed(self, event: SettingsChanged) -> None:
        if "chains" in event.changed:
            self.chain_status.rebuild()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.quitting and self.tray_available and self.core.settings().close_to_tray:
            event.ignore()
            self.hide()
            self.hidden_to_tray.emit()
            return
        event.accept()
        self.closed.emit()
