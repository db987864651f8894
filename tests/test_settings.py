"""Settings: the dialog's fields and validation, Ctrl+, saving them, and every one applied at once."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QStyleFactory

from trainer.model import Rating, Settings
from trainer.storage.store import Store
from trainer.ui.main_window import MainWindow
from trainer.ui.settings_dialog import SettingsDialog
from trainer.ui.theme import apply_theme, is_dark

BASE_SIZE = 10.0
CHANGED = Settings(
    desired_retention=0.80, new_per_day=5, max_reviews_per_day=50, day_start_hour=10, theme="dark", text_size=2
)


@pytest.fixture
def look(qapp):
    """The light theme at a known size for one test; the app's look is put back afterwards."""
    palette, sheet, font, style = qapp.palette(), qapp.styleSheet(), qapp.font(), qapp.style().name()
    apply_theme(qapp, "light", 0, BASE_SIZE)
    yield
    qapp.setStyle(QStyleFactory.create(style))
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)
    qapp.setFont(font)


def test_dialog_shows_the_settings_and_returns_the_edited_ones(qtbot):
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    assert dialog.values() == {
        "desired_retention": 0.90,
        "new_per_day": 20,
        "max_reviews_per_day": 200,
        "day_start_hour": 4,
        "theme": "system",
        "text_size": 0,
    }
    dialog.retention.setValue(0.80)
    dialog.new_per_day.setValue(5)
    dialog.max_reviews.setValue(50)
    dialog.day_start.setValue(10)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.text_size.setValue(2)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.chosen == CHANGED
    assert dialog.result() == SettingsDialog.DialogCode.Accepted


def test_fields_cannot_leave_their_ranges(qtbot):
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.retention.setValue(0.99)
    dialog.day_start.setValue(24)
    dialog.text_size.setValue(-10)
    assert (dialog.retention.value(), dialog.day_start.value(), dialog.text_size.value()) == (0.97, 23, -4)


def test_an_invalid_value_is_refused_with_its_name_and_the_dialog_stays_open(qtbot, monkeypatch):
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.show()
    monkeypatch.setattr(dialog, "values", lambda: {"desired_retention": 0.99})
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    assert dialog.chosen is None
    assert dialog.isVisible()
    assert "desired_retention" in dialog.error.text()
    assert not dialog.error.isHidden()


def test_ctrl_comma_saves_the_settings_and_applies_them_at_once(
    qtbot, session, library, store, data_dir, look, monkeypatch, collection
):
    review_card = library.cards[next(iter(library.cards))]
    session.answer(review_card, Rating.EASY)  # a card in review, to see the retention change its intervals
    intervals_before = session.intervals(review_card)
    window = MainWindow(collection)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    heading = window.home.column.itemAt(0).widget()  # the title, 1.8 times the base size
    assert heading.font().pointSizeF() == pytest.approx(BASE_SIZE * 1.8)
    asked = []

    def ask(cls, parent, settings: Settings, personal=None) -> Settings:
        asked.append(settings)
        return CHANGED

    monkeypatch.setattr(SettingsDialog, "ask", classmethod(ask))
    qtbot.keyClick(window, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    assert asked == [Settings()]

    assert store.settings() == CHANGED
    with Store.open(data_dir) as reopened:
        assert reopened.settings() == CHANGED
    assert session.settings == CHANGED
    # Lower desired retention: longer intervals for the same card and rating.
    assert session.intervals(review_card) != intervals_before
    # The learning day now starts at 10:00: at 09:00 UTC it is still yesterday.
    assert session.today() == date(2026, 11, 22)
    # Five new cards a day, one already studied in this (now longer) learning day; the streak keeps today's answer.
    assert "New today: 4   ·   Done today: 1   ·   Streak: 1 day" in window.home.summary.text()
    assert is_dark(QApplication.palette())
    assert QApplication.palette().color(QPalette.ColorRole.Window).name() != "#f4f5f7"
    assert QApplication.font().pointSizeF() == pytest.approx(BASE_SIZE + 2)
    assert heading.font().pointSizeF() == pytest.approx((BASE_SIZE + 2) * 1.8)


def test_cancelling_changes_nothing(qtbot, session, library, store, look, monkeypatch, collection):
    window = MainWindow(collection)
    qtbot.addWidget(window)
    monkeypatch.setattr(SettingsDialog, "ask", classmethod(lambda cls, parent, settings, personal=None: None))
    window._on_settings()
    assert store.settings() == Settings()
    assert not is_dark(QApplication.palette())
    assert QApplication.font().pointSizeF() == pytest.approx(BASE_SIZE)
