"""The F1 keyboard help: a panel drawn over the window, closed with F1, Esc or a click."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QColor, QKeyEvent, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QGridLayout, QVBoxLayout, QWidget
from typing_extensions import override

from trainer.ui.keys import KEYS
from trainer.ui.widgets import text_label


class HelpOverlay(QWidget):
    """Covers its parent with a dimmed backdrop and the keyboard table."""

    def __init__(self, parent: QWidget):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        panel = QWidget()
        panel.setObjectName("overlayPanel")
        panel.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        panel.setMinimumWidth(620)
        panel.setMaximumWidth(720)
        grid = QGridLayout(panel)
        grid.setContentsMargins(24, 20, 24, 20)
        grid.setHorizontalSpacing(24)
        grid.setVerticalSpacing(10)
        grid.addWidget(text_label("Keyboard", bold=True, scale=1.3), 0, 0, 1, 2)
        for row, (key, action) in enumerate(KEYS, start=1):
            grid.addWidget(text_label(key, bold=True), row, 0, Qt.AlignmentFlag.AlignTop)
            description = text_label(action)
            description.setWordWrap(False)
            grid.addWidget(description, row, 1)
        grid.addWidget(text_label("Press F1 or Esc to close.", muted=True), len(KEYS) + 1, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(panel, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(1)
        parent.installEventFilter(self)
        self.hide()

    def toggle(self) -> None:
        if self.isVisible():
            self.hide()
            return
        self._fit_parent()
        self.raise_()
        self.show()
        self.setFocus()

    @override
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self._fit_parent()
        return False

    def _fit_parent(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())

    @override
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(0, 0, 0, 140))

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_F1):
            self.hide()
            return
        super().keyPressEvent(event)

    @override
    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.hide()
