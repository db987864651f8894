"""Help drawn over the window: the keyboard (F1), how the trainer works, and the first-run welcome.

Closed with F1, Esc, its Close button or a click on the dimmed backdrop. The panel scrolls when the window
is small or the text large, so nothing is ever clipped.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

from trainer.collection import MASTERY_DEFINITION
from trainer.ui.keys import KEYS
from trainer.ui.widgets import WrappingPanel, text_label

KEYBOARD, HOW_IT_WORKS, WELCOME = "keyboard", "how", "welcome"
PANEL_WIDTH = 760

WELCOME_TEXT: tuple[tuple[str, str], ...] = (
    (
        "Situation cards",
        "Each card shows what a counterpart has just done (a concession, a refusal, an extreme anchor, anger, "
        "an ask for something for nothing) and asks what you say next. Choice cards offer four responses; "
        "recall cards ask you to say or write your own.",
    ),
    (
        "A study session",
        "Press S. Read the situation and choose with 1 to 4. Every option then shows how good it is and why, "
        "with the principle behind the best one. Rate how well you knew it (Space takes the suggestion); the "
        "scheduler brings each card back just before you would forget it.",
    ),
    (
        "What the quiz measures",
        "The quiz (Q) asks situations you never study, so its score measures judgement in new situations, with "
        "partial credit for good-but-not-best answers and a check of how well your confidence matches it.",
    ),
    (
        "Where to start",
        "Study today's new cards (S), a few minutes a day. After a week or two, take a 20-item quiz to see what "
        "carries over. Help ▸ How it works explains the scheduling, mastery and the quiz's scoring.",
    ),
)

HOW_IT_WORKS_TEXT: tuple[tuple[str, str], ...] = (
    (
        "Scheduling",
        "The FSRS-6 scheduler estimates, for every card, how likely you are to recall it now and how stable that "
        "memory is. A card comes back when its predicted recall falls to your desired retention (0.90 unless "
        "you change it in Settings). Again brings it back in minutes; Good and Easy push it further out each "
        "time. Each day brings up to 20 new cards.",
    ),
    ("Mastery", MASTERY_DEFINITION + " Home shows the share of each topic's cards that are mastered."),
    (
        "The quiz's scoring",
        "Each item scores the chosen option's quality out of 3 (best 100%, acceptable 67%, weak 33%, harmful 0%), "
        "or, in best-and-worst, +1 for each right pick and −1 for swapping them. The score is the mean, with a 95% "
        "interval and a band: developing below 60%, proficient from 60%, strong from 80%. 'Best answers' is the "
        "share of items where you chose the best response; calibration compares it with your stated confidence.",
    ),
)


def _sections(title: str, sections: tuple[tuple[str, str], ...]) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(10)
    layout.addWidget(text_label(title, bold=True, scale=1.3))
    for heading, text in sections:
        layout.addWidget(text_label(heading, bold=True))
        layout.addWidget(text_label(text))
    layout.addStretch(1)
    return page


def fit_keys(labels: list[QLabel]) -> None:
    """One column of keys, as wide as the widest at the current text size."""
    width = max(label.sizeHint().width() for label in labels) + 8
    for label in labels:
        label.setFixedWidth(width)


def _keyboard() -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(10)
    layout.addWidget(text_label("Keyboard", bold=True, scale=1.3))
    keys = [text_label(key, bold=True) for key, _ in KEYS]
    for key_label, (_, action) in zip(keys, KEYS, strict=True):
        row = QHBoxLayout()
        row.setSpacing(16)
        key_label.setObjectName("helpKey")
        key_label.setWordWrap(False)
        row.addWidget(key_label, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(text_label(action), 1)
        layout.addLayout(row)
    layout.addStretch(1)
    return page


class HelpOverlay(QWidget):
    """Covers its parent with a dimmed backdrop and one help page in a scrollable panel."""

    sig_study_requested = Signal()
    """Emitted by the welcome's "Start studying" button."""

    sig_closed = Signal()
    """Emitted when the overlay is closed (the welcome then counts as seen)."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName("Help")
        panel = QFrame()
        panel.setObjectName("overlayPanel")
        panel.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        panel.setMaximumWidth(PANEL_WIDTH)
        self.panel = panel
        self.pages = QWidget()  # one page shown at a time; the hidden ones take no room
        pages_layout = QVBoxLayout(self.pages)
        pages_layout.setContentsMargins(0, 0, 0, 0)
        self.current = KEYBOARD
        self.page_names = {KEYBOARD: _keyboard(), HOW_IT_WORKS: _sections("How it works", HOW_IT_WORKS_TEXT)}
        self.page_names[WELCOME] = _sections("Welcome to Reciprocity Trainer", WELCOME_TEXT)
        for page in self.page_names.values():
            pages_layout.addWidget(page)
            page.hide()
        content = WrappingPanel()
        content_layout = QVBoxLayout(content)
        content_layout.setContentsMargins(24, 20, 24, 12)
        content_layout.addWidget(self.pages)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.scroller.setFrameShape(QFrame.Shape.NoFrame)
        self.scroller.setWidget(content)
        self.content = content
        self.scroller.setAccessibleName("Help text")
        self.scroller.viewport().setAutoFillBackground(False)
        content.setAutoFillBackground(False)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(24, 4, 24, 16)
        self.tabs: dict[str, QPushButton] = {}
        for name, text in ((KEYBOARD, "Keyboard (F1)"), (HOW_IT_WORKS, "How it works"), (WELCOME, "Welcome")):
            tab = QPushButton(text)
            tab.setCheckable(True)
            tab.setAccessibleDescription(f"Show the {text.split(' (')[0].lower()} help page")
            tab.clicked.connect(lambda _=False, n=name: self.show_page(n))
            self.tabs[name] = tab
            buttons.addWidget(tab)
        buttons.addStretch(1)
        self.start_button = QPushButton("Start studying (S)")
        self.start_button.setObjectName("primary")
        self.start_button.setAccessibleDescription("Close the welcome and study today's cards")
        self.start_button.clicked.connect(self._on_start)
        buttons.addWidget(self.start_button)
        self.close_button = QPushButton("Close (Esc)")
        self.close_button.setAccessibleDescription("Close the help and go back to where you were")
        self.close_button.clicked.connect(self.hide)
        buttons.addWidget(self.close_button)
        panel_layout = QVBoxLayout(panel)
        panel_layout.setContentsMargins(0, 0, 0, 0)
        panel_layout.setSpacing(0)
        panel_layout.addWidget(self.scroller, 1)
        panel_layout.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addStretch(1)
        layout.addWidget(panel, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        parent.installEventFilter(self)
        self.hide()

    def page(self) -> str:
        return self.current

    def show_page(self, name: str) -> None:
        """Show the overlay on a page: KEYBOARD, HOW_IT_WORKS or WELCOME."""
        self.current = name
        for page_name, page in self.page_names.items():  # the panel as tall as this page, not the tallest
            page.setVisible(page_name == name)
        for tab_name, tab in self.tabs.items():
            tab.setChecked(tab_name == name)
        self.start_button.setVisible(name == WELCOME)
        self.scroller.verticalScrollBar().setValue(0)
        fit_keys(self.page_names[KEYBOARD].findChildren(QLabel, "helpKey"))  # for the text size now
        self._fit_parent()
        self.raise_()
        self.show()
        self.setFocus()

    def toggle(self) -> None:
        """F1: the keyboard page, or close."""
        if self.isVisible():
            self.hide()
            return
        self.show_page(KEYBOARD)

    def _on_start(self) -> None:
        self.hide()
        self.sig_study_requested.emit()

    @override
    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.sig_closed.emit()

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._fit_parent()
        return False

    def _fit_parent(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
            width = min(PANEL_WIDTH, max(parent.width() - 48, 0))
            self.panel.setFixedWidth(width)
            # As tall as the page needs at that width, up to the window's height (then the page scrolls).
            layout = self.content.layout()
            if layout is not None:
                layout.invalidate()  # the page shown may have just changed
            needed = layout.totalHeightForWidth(width) if layout is not None else self.content.sizeHint().height()
            buttons = self.close_button.sizeHint().height() + 24
            self.panel.setFixedHeight(max(min(needed + buttons, parent.height() - 48), 0))

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 140))

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_F1):
            self.hide()
            return
        if event.key() == Qt.Key.Key_S and self.page() == WELCOME:
            self._on_start()
            return
        super().keyPressEvent(event)

    @override
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if not self.panel.geometry().contains(event.position().toPoint()):
            self.hide()
