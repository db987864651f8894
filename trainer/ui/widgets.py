"""Small reusable widgets: option tiles, tag chips, plain-text labels and a centred column."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable

from PySide6.QtCore import QElapsedTimer, QEvent, QSize, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QMouseEvent, QShortcut, QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QBoxLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from typing_extensions import override

COLUMN_WIDTH = 760


LONG_WORD = re.compile(r"\S{30,}")
BREAK_EVERY = 24


def breakable(text: str) -> str:
    """Let a word too long for any line wrap: a zero-width space every few characters of it."""
    return LONG_WORD.sub(lambda m: "\u200b".join(textwrap.wrap(m.group(0), BREAK_EVERY)), text)


class WrappingLabel(QLabel):
    """A plain-text label that wraps at words, and inside a word too long for a line."""

    @override
    def setText(self, text: str) -> None:
        super().setText(breakable(text))


class KeyGuard:
    """Ignores keys that arrive within `quiet_ms` of a screen change: a double press, or a key meant for the
    screen before, never answers the new one."""

    quiet_ms = 300

    def __init__(self) -> None:
        self._since = QElapsedTimer()
        self._since.start()

    def changed(self) -> None:
        """The screen just changed: keys are ignored for a moment."""
        self._since.restart()

    def ready(self) -> bool:
        return self._since.elapsed() >= self.quiet_ms


def text_label(text: str = "", *, scale: float = 1.0, bold: bool = False, muted: bool = False) -> QLabel:
    """A word-wrapped label that shows its text literally: card text is never read as markup."""
    label = WrappingLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setText(text)
    font = QFont(label.font())
    if scale != 1.0:
        font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(bold)
    label.setFont(font)
    if muted:
        label.setProperty("muted", True)
    policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    policy.setHeightForWidth(True)  # its height follows its width: a page is exactly as tall as its text
    label.setSizePolicy(policy)
    return label


def clear_layout(layout: QLayout) -> None:
    """Empty a layout that is filled again: its widgets are hidden at once and deleted later.

    (`deleteLater` alone leaves the old widgets painted where they were until the event loop comes round;
    after a text-size change they showed through the new ones, e.g. "00" and "99" in the deck list.)
    """
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()
            widget.deleteLater()


def set_style_property(widget: QWidget, name: str, value: object) -> None:
    """Set a property the stylesheet selects on, re-polishing only when it changes (polishing is slow)."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def connect_card_keys(
    view: QWidget,
    numbers: int,
    on_number: Callable[[int], None],
    on_accept: Callable[[], None],
    on_escape: Callable[[], None],
) -> None:
    """The keys of a card screen, active while focus is inside `view`: 1..numbers, Space/Enter, Esc."""
    context = Qt.ShortcutContext.WidgetWithChildrenShortcut
    for number in range(1, numbers + 1):
        QShortcut(QKeySequence(str(number)), view, context=context).activated.connect(lambda n=number: on_number(n))
    for sequence in ("Space", "Return", "Enter"):
        QShortcut(QKeySequence(sequence), view, context=context).activated.connect(on_accept)
    QShortcut(QKeySequence("Escape"), view, context=context).activated.connect(on_escape)


def scroll_page_with_wheel(chart: QWidget, event: QWheelEvent) -> None:
    """Hand a wheel turn over a chart to the scroll area round it, so the page still scrolls."""
    area = chart.parentWidget()
    while area is not None and not isinstance(area, QAbstractScrollArea):
        area = area.parentWidget()
    if area is None:
        event.ignore()
        return
    QApplication.sendEvent(area.verticalScrollBar(), event)


def side_by_side(split: QBoxLayout, column: QWidget, wide: bool) -> None:
    """Lay `split`'s two parts out side by side in a column twice as wide when `wide`, one above the other
    in a column of the reading width otherwise (nothing is touched when the direction is already right)."""
    direction = QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
    if split.direction() != direction:
        split.setDirection(direction)
        column.setMaximumWidth(2 * COLUMN_WIDTH if wide else COLUMN_WIDTH)


def centred_scroll(
    column: QWidget,
    *,
    width: int = COLUMN_WIDTH,
    holder: QWidget | None = None,
    margin: int | None = None,
    name: str = "Page",
) -> QScrollArea:
    """A scroll area that keeps `column` at most `width` wide and centred inside `holder`.

    The holder claims no minimum size (a `WrappingPanel`), so the page is as tall as its wrapped text at the
    width it has: no scroll bar when everything fits, and no blank half page below the end.
    """
    column.setMaximumWidth(width)
    holder = holder or WrappingPanel()
    row = QHBoxLayout(holder)
    if margin is not None:
        row.setContentsMargins(margin, margin, margin, margin)
    row.addStretch(1)
    row.addWidget(column, 100)
    row.addStretch(1)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(holder)
    scroll.setAccessibleName(name)  # focusable (arrow keys scroll it): screen readers need a name
    scroll.setAccessibleDescription("Scroll with the arrow keys, Page Up and Page Down")
    return scroll


class Chip(QLabel):
    """A quiet tag, e.g. the context or the counterpart's move."""

    def __init__(self, text: str = ""):
        super().__init__(text)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setObjectName("chip")


class OptionTile(QFrame):
    """A full-width, keyboard-focusable response tile with a number badge and wrapping text."""

    sig_chosen = Signal()
    """Emitted when the learner picks this tile (click, Space or Enter while focused)."""

    def __init__(self, number: int):
        super().__init__()
        self.setObjectName("tile")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.number = number
        self.badge = QLabel(str(number))
        self.badge.setObjectName("badge")
        self.badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._fit_badge()
        self.text = text_label()
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.verdict = text_label(bold=True)
        self.verdict.setObjectName("verdict")
        self.feedback = text_label()
        self.feedback.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        body = QVBoxLayout()
        body.setSpacing(4)
        body.addWidget(self.verdict)
        body.addWidget(self.text)
        body.addWidget(self.feedback)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        layout.setSpacing(12)
        layout.addWidget(self.badge, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(body, 1)
        self.show_option("")

    def _fit_badge(self) -> None:
        """A round badge that grows with the text size (its number is never clipped)."""
        side = max(28, self.fontMetrics().height() + 10)
        self.badge.setFixedSize(side, side)
        self.badge.setStyleSheet(f"border-radius: {side // 2}px;")

    @override
    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._fit_badge()
        super().changeEvent(event)

    def show_option(self, text: str, total: int = 4) -> None:
        """Reset to the question state with a new text (`total`: how many options the card has)."""
        self.text.setText(text)
        self.setAccessibleName(f"Option {self.number} of {total}: {text}")
        self.setAccessibleDescription(f"Press {self.number}, or Space while focused, to choose this response")
        self.verdict.hide()
        self.feedback.hide()
        self.setEnabled(True)
        self._set_state("")
        set_style_property(self, "mine", False)

    def show_result(self, state: str, verdict: str = "", feedback: str = "", *, mine: bool = False) -> None:
        """Mark the tile: 'chosen' while answering; after it, a quality tier ('best', 'acceptable', 'weak',
        'harmful') or 'dimmed'. `mine` draws a heavier border round the learner's own choice."""
        set_style_property(self, "mine", mine)
        self._set_state(state)
        self.verdict.setVisible(bool(verdict))
        self.verdict.setText(verdict)
        self.feedback.setVisible(bool(feedback))
        self.feedback.setText(feedback)
        if verdict:  # read out with the option: its quality in words and why
            self.setAccessibleDescription(f"{verdict}. {feedback}".strip())

    def _set_state(self, state: str) -> None:
        if self.property("state") == state:
            return
        set_style_property(self, "state", state)
        if state:  # the verdict is hidden in the question state: it is polished when a state shows it
            self.verdict.style().unpolish(self.verdict)
            self.verdict.style().polish(self.verdict)

    def state(self) -> str:
        return str(self.property("state") or "")

    @override
    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.sig_chosen.emit()
        super().mouseReleaseEvent(event)

    @override
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.sig_chosen.emit()
            return
        super().keyPressEvent(event)


class WrappingPanel(QWidget):
    """Content for a resizable scroll area holding wrapped text: it claims no minimum size, so the scroll
    area sizes it by height-for-width and scrolls only when the text really is taller than the view."""

    @override
    def minimumSizeHint(self) -> QSize:
        return QSize(0, 0)
