"""Every screen, walked: each focusable widget has an accessible name; tiles read as "Option 2 of 4: …";
focus follows reading order; a tier is never shown by colour alone. Also the help and the first-run welcome."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QPushButton, QWidget
from ui_helpers import digit, open_window, press

from trainer.model import CardKind, QuizMode, Rating, Settings
from trainer.ui import window_state
from trainer.ui.help_overlay import HOW_IT_WORKS, WELCOME
from trainer.ui.main_window import MainWindow
from trainer.ui.quiz import flow as quiz_flow
from trainer.ui.quiz.setup import QuizChoice
from trainer.ui.settings_dialog import SettingsDialog


def unnamed(root: QWidget) -> list[str]:
    """The focusable, visible, enabled widgets under `root` that a screen reader could not name."""
    missing = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not (widget.isVisibleTo(root) and widget.isEnabled() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            continue
        parent = widget.parentWidget()
        if isinstance(parent, QAbstractSpinBox):
            widget = parent  # a spin box's line edit: the spin box is what is read out
        interface = QAccessible.queryAccessibleInterface(widget)
        name = interface.text(QAccessible.Text.Name) if interface is not None else ""
        if not name.strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


def test_every_screen_names_every_focusable_widget(qtbot, collection, library, monkeypatch):
    collection.save_settings(Settings(new_per_day=4))
    topics = tuple(library.taxonomy.topics)
    monkeypatch.setattr(quiz_flow.QuizFlow, "ask_setup", staticmethod(lambda *_: QuizChoice(10, topics, QuizMode.EXAM)))
    window = open_window(qtbot, collection)
    screens: dict[str, list[str]] = {"home": unnamed(window)}
    study = window.study
    press(qtbot, Qt.Key.Key_S)
    seen_recall = seen_choice = False
    while study.card is not None:
        if study.card.kind == CardKind.CHOICE:
            screens.setdefault("question", unnamed(window))
            press(qtbot, digit(1))
            screens.setdefault("feedback", unnamed(window))
            seen_choice = True
        else:
            press(qtbot, Qt.Key.Key_Space)
            screens.setdefault("recall back", unnamed(window))
            seen_recall = True
        study.rate(Rating.EASY)
        if study.card is None and not seen_recall:  # make sure a recall card comes up
            card = next(c for c in library.cards.values() if c.kind != CardKind.CHOICE)
            study._show(card)
    assert seen_choice
    assert seen_recall
    screens["done panel"] = unnamed(window)
    press(qtbot, Qt.Key.Key_Escape)
    press(qtbot, Qt.Key.Key_Q)
    screens["quiz item"] = unnamed(window)
    view = window.quiz.view
    press(qtbot, digit(1))
    screens["quiz confidence"] = unnamed(window)
    while window.pages.currentWidget() is view:
        press(qtbot, digit(1))
        press(qtbot, digit(4))
    screens["quiz report"] = unnamed(window)
    window.quiz.extra.wrong_only.click()
    dialog = SettingsDialog(collection.settings, window, collection.personal)
    qtbot.addWidget(dialog)
    dialog.show()
    screens["settings"] = unnamed(dialog)
    dialog.reject()
    window.help.toggle()
    screens["help"] = unnamed(window)
    assert {name: missing for name, missing in screens.items() if missing} == {}


def test_option_tiles_read_as_option_n_of_total_with_their_quality_after_a_choice(qtbot, collection):
    window = open_window(qtbot, collection)
    study = window.study
    press(qtbot, Qt.Key.Key_S)
    while study.card.kind != CardKind.CHOICE:
        study.reveal()
        study.rate(Rating.GOOD)
    total = len(study.order)
    for index, tile in enumerate(study.tiles[:total]):
        assert tile.accessibleName() == f"Option {index + 1} of {total}: {tile.text.text()}"
    press(qtbot, digit(1))
    for tile in study.tiles[:total]:
        verdict = tile.verdict.text()
        assert verdict[0] in "✓~✗⚠"  # an icon and a word, never colour alone
        assert tile.accessibleDescription().startswith(verdict)
    suggested = next(b for b in study.rating_buttons.values() if b.property("suggested"))
    assert "Space accepts it" in suggested.accessibleDescription()
    assert suggested.font().bold() or suggested.property("suggested")  # weight and border, not only colour


def test_tab_walks_the_options_in_reading_order_then_the_ratings(qtbot, collection):
    window = open_window(qtbot, collection)
    study = window.study
    press(qtbot, Qt.Key.Key_S)
    while study.card.kind != CardKind.CHOICE:
        study.reveal()
        study.rate(Rating.GOOD)
    visited = []
    for _ in range(len(study.order) + 1):
        press(qtbot, Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    assert visited[0] is study.card_scroll  # the card first (arrow keys scroll it), then its options in order
    assert visited[1:] == study.tiles[: len(study.order)]
    press(qtbot, Qt.Key.Key_Space)  # chooses the focused (last) tile
    buttons = list(study.rating_buttons.values())
    order = []
    widget = buttons[0]
    for _ in range(4):
        order.append(widget)
        widget = widget.nextInFocusChain()
        while widget not in buttons and widget is not buttons[0]:
            widget = widget.nextInFocusChain()
    assert order == buttons  # Again, Hard, Good, Easy: left to right


def test_the_welcome_shows_on_the_first_start_only_and_help_offers_it_again(qtbot, collection):
    window = open_window(qtbot, collection)
    window.welcome_if_first_run()
    assert window.help.isVisible()
    assert window.help.page() == WELCOME
    texts = " ".join(w.text() for w in window.help.page_names[WELCOME].findChildren(type(window.home.summary)))
    for words in ("Situation cards", "A study session", "What the quiz measures", "Where to start"):
        assert words in texts
    press(qtbot, Qt.Key.Key_Escape)
    assert not window.help.isVisible()
    assert window_state.flag("welcome_seen")
    again = MainWindow(collection)
    qtbot.addWidget(again)
    again.welcome_if_first_run()
    assert not again.help.isVisible()
    window.help.show_page(WELCOME)
    press(qtbot, Qt.Key.Key_S)  # "Start studying (S)"
    assert not window.help.isVisible()
    assert window.pages.currentWidget() is window.study


def test_help_has_a_how_it_works_page_beside_the_keyboard(qtbot, collection):
    window = open_window(qtbot, collection)
    actions = [
        a.text()
        for menu in window.menuBar().findChildren(type(window.menuBar().actions()[0].menu()))
        for a in menu.actions()
    ]
    assert "&How it works" in actions
    assert "&Welcome" in actions
    assert "&Keyboard shortcuts" in actions
    window.help.show_page(HOW_IT_WORKS)
    texts = " ".join(w.text() for w in window.help.page_names[HOW_IT_WORKS].findChildren(type(window.home.summary)))
    assert "Scheduling" in texts
    assert "Mastery" in texts
    assert "stability of at least 21 days" in texts
    assert "The quiz's scoring" in texts


def test_home_esc_is_in_one_place_on_every_screen_but_home(qtbot, collection):
    window = open_window(qtbot, collection)
    corner = window.menuBar().cornerWidget(Qt.Corner.TopRightCorner)
    assert corner is window.home_corner
    assert not corner.isVisible()
    window.show_study()
    assert corner.isVisible()
    assert corner.text() == "Home (Esc)"
    corner.click()
    assert window.pages.currentWidget() is window.home
    assert not corner.isVisible()
    # No screen has a Home button of its own beside the corner's; Esc still goes home from each.
    for show, page in ((window.show_statistics, window.stats), (window.show_browser, window.browser)):
        show()
        assert window.pages.currentWidget() is page
        assert corner.isVisible()
        homes = [b for b in page.findChildren(QPushButton) if "Home" in b.text() and b.isVisibleTo(window)]
        assert homes == []
        press(qtbot, Qt.Key.Key_Escape)
        assert window.pages.currentWidget() is window.home


@pytest.mark.parametrize("size", [(640, 480), (1024, 640)])
def test_the_f1_overlay_is_never_clipped(qtbot, collection, size):
    window = open_window(qtbot, collection)
    window.resize(*size)
    window.help.toggle()
    QApplication.processEvents()
    panel = window.help.panel
    assert window.help.rect().contains(panel.geometry())
    for label in window.help.page_names["keyboard"].findChildren(type(window.home.summary)):
        assert label.width() >= min(label.sizeHint().width(), label.minimumSizeHint().width())
