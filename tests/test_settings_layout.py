"""Settings do not break screens: every screen laid out again after a live theme or text-size change, at +0, +2
and +4 in light and dark; headings and verdicts scale; no tile keeps a stale look."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QStyleFactory, QWidget
from ui_helpers import digit, open_window, press

from trainer.model import CardKind, QuizMode, Rating, Settings
from trainer.ui.quiz import flow as quiz_flow
from trainer.ui.quiz.setup import QuizChoice
from trainer.ui.settings_dialog import SettingsDialog
from trainer.ui.theme import apply_theme

BASE_SIZE = 10.0


@pytest.fixture
def look(qapp):
    palette, sheet, font, style = qapp.palette(), qapp.styleSheet(), qapp.font(), qapp.style().name()
    apply_theme(qapp, "light", 0, BASE_SIZE)
    yield
    qapp.setStyle(QStyleFactory.create(style))
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


def change_settings(qtbot, window, monkeypatch, settings: Settings) -> None:
    monkeypatch.setattr(SettingsDialog, "ask", classmethod(lambda cls, parent, current, personal=None: settings))
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    for _ in range(3):
        QApplication.processEvents()


def clipped(root: QWidget) -> list[str]:
    """Visible labels shorter than their wrapped text needs, and buttons narrower or lower than their text."""
    for _ in range(3):
        QApplication.processEvents()
    found = []
    for widget in root.findChildren(QWidget):
        if not widget.isVisibleTo(root) or widget.width() <= 0:
            continue
        if isinstance(widget, QLabel) and widget.wordWrap() and widget.text():
            needed = widget.heightForWidth(widget.width())
            if widget.height() < needed - 1:
                found.append(f"label {widget.text()[:40]!r}: {widget.height()} < {needed}")
        elif isinstance(widget, QPushButton) and widget.text():
            hint = widget.sizeHint()
            if widget.width() < hint.width() - 1 or widget.height() < hint.height() - 1:
                found.append(f"button {widget.text()!r}: {widget.size().toTuple()} < {hint.toTuple()}")
    return found


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("text_size", [0, 2, 4])
def test_every_screen_is_laid_out_again_after_a_settings_change(
    qtbot, collection, library, look, monkeypatch, theme, text_size
):
    topics = tuple(library.taxonomy.topics)
    monkeypatch.setattr(quiz_flow.QuizFlow, "ask_setup", staticmethod(lambda *_: QuizChoice(10, topics, QuizMode.EXAM)))
    window = open_window(qtbot, collection)
    window.resize(1280, 800)
    home_title = window.home.column.itemAt(0).widget()
    settings = Settings(theme=theme, text_size=text_size)
    change_settings(qtbot, window, monkeypatch, settings)
    size = BASE_SIZE + text_size
    assert QApplication.font().pointSizeF() == pytest.approx(size)
    assert home_title.font().pointSizeF() == pytest.approx(size * 1.8)
    window.home.study_button.setFocus()
    assert not (problems := clipped(window.home)), "\n".join(problems)

    press(qtbot, Qt.Key.Key_S)
    study = window.study
    while study.card.kind != CardKind.CHOICE:
        study.reveal()
        study.rate(Rating.GOOD)
    QApplication.processEvents()
    problems = clipped(study)
    assert problems == [], "\n".join(problems)

    press(qtbot, digit(1))
    QApplication.processEvents()
    assert study.explanation.principle.font().pointSizeF() == pytest.approx(size * 1.15)
    assert study.tiles[0].verdict.font().pointSizeF() == pytest.approx(size)
    assert not (problems := clipped(study)), "\n".join(problems)
    # A live change with the feedback on screen, then the choice taken back: no tile keeps a tier's look.
    other = Settings(theme="dark" if theme == "light" else "light", text_size=text_size)
    change_settings(qtbot, window, monkeypatch, other)
    assert not (problems := clipped(study)), "\n".join(problems)
    assert study.take_back()
    base = QApplication.palette().color(QPalette.ColorRole.Base)
    for tile in study.tiles[: len(study.order)]:
        assert tile.state() == ""
        assert tile.isEnabled()
        assert not tile.verdict.isVisible()
        assert tile.palette().color(QPalette.ColorRole.Base) == base
        assert tile.badge.height() >= tile.badge.fontMetrics().height()

    press(qtbot, Qt.Key.Key_Escape)
    press(qtbot, Qt.Key.Key_Q)
    assert not (problems := clipped(window.quiz.view)), "\n".join(problems)
    while window.pages.currentWidget() is window.quiz.view:
        press(qtbot, digit(1))
        press(qtbot, digit(4))
    assert not (problems := clipped(window.pages.currentWidget())), "\n".join(problems)


def overlaps(root: QWidget) -> list[str]:
    """Visible child widgets of `root` (a grid of cells) drawn over one another, or narrower than their text."""
    for _ in range(3):
        QApplication.processEvents()
    cells = [w for w in root.findChildren(QWidget) if w.parentWidget() is root and w.isVisibleTo(root)]
    found = []
    for n, widget in enumerate(cells):
        text = getattr(widget, "text", lambda: "")()
        if widget.width() < widget.sizeHint().width() - 1:
            found.append(f"{text!r} clipped: {widget.width()} < {widget.sizeHint().width()}")
        for other in cells[n + 1 :]:
            if widget.geometry().intersects(other.geometry()):
                found.append(f"{text!r} over {getattr(other, 'text', lambda: '')()!r}")
    return found


@pytest.mark.parametrize("size", [(1024, 640), (1366, 768), (1920, 1080)])
@pytest.mark.parametrize("text_size", [0, 2, 4])
def test_the_deck_list_on_home_never_overlaps(qtbot, collection, look, monkeypatch, size, text_size):
    """The decks' due and new counts under their headers, at every text size and window size, also right after a
    live text-size change (the old rows once showed through the new: "00", "99")."""
    window = open_window(qtbot, collection)
    window.resize(*size)
    change_settings(qtbot, window, monkeypatch, Settings(theme="dark", text_size=text_size))
    decks = window.home.deck_list
    assert not (problems := overlaps(decks)), "\n".join(problems)
    assert not (problems := clipped(window.home)), "\n".join(problems)
    cells = [w for w in decks.findChildren(QWidget) if w.parentWidget() is decks and w.isVisibleTo(decks)]
    assert len(cells) == 2 + 2 + 4 * len(decks.rows)  # title, note, the two headers and four cells a deck
    due = decks.grid.itemAtPosition(0, 1).widget()
    for row in range(1, len(decks.rows) + 1):  # each count sits right under its header
        count = decks.grid.itemAtPosition(row, 1).widget()
        assert count.geometry().right() == pytest.approx(due.geometry().right(), abs=1)
    # Turning a deck off and on updates the row in place: nothing is rebuilt, nothing jumps.
    first = decks.rows[0].id
    switch = decks.switches[first]
    switch.click()
    assert decks.switches[first] is switch
    assert decks.counts[first][0].text() == "–"
    switch.click()
    assert decks.counts[first][0].text() != "–"
    assert not (problems := overlaps(decks)), "\n".join(problems)
