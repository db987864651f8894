"""Every answer is the learner's own: no key, focus or double press records an answer nobody chose (issue 12)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_helpers import digit, open_window, press

from trainer.model import CardKind, QuizMode
from trainer.storage.quizzes import QuizStore
from trainer.ui.quiz import flow as quiz_flow
from trainer.ui.quiz.setup import QuizChoice
from trainer.ui.widgets import KeyGuard


@pytest.fixture
def guarded(monkeypatch):
    """The real 300 ms guard (the suite turns it off elsewhere)."""
    monkeypatch.setattr(KeyGuard, "quiet_ms", 300)


def first_choice_card(window):
    study = window.study
    for _ in range(40):
        if study.card is not None and study.card.kind == CardKind.CHOICE:
            return study
        study.session.answer(study.card, study.suggested)
        study.start()
    raise AssertionError("no choice card came up")


def test_space_and_enter_on_a_fresh_card_record_nothing(qtbot, collection, store):
    window = open_window(qtbot, collection)
    press(qtbot, Qt.Key.Key_S)
    study = first_choice_card(window)
    before = store.count_answers()
    assert not any(tile.hasFocus() for tile in study.tiles)  # no option is pre-focused
    for key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
        press(qtbot, key)
    assert study.chosen is None
    assert store.count_answers() == before
    assert "Choose a response with 1" in study.status.text()


def test_a_double_number_press_chooses_but_never_rates(qtbot, collection, store, guarded):
    window = open_window(qtbot, collection)
    press(qtbot, Qt.Key.Key_S)
    study = first_choice_card(window)
    qtbot.wait(350)  # the learner has read the card
    before = store.count_answers()
    press(qtbot, digit(2))
    press(qtbot, digit(2))  # the second press arrives within a few milliseconds of the feedback
    press(qtbot, Qt.Key.Key_Space)
    assert study.chosen == study.order[1]
    assert study.rating_bar.isVisible()
    assert store.count_answers() == before  # the feedback is on screen, nothing is saved yet
    qtbot.wait(350)
    press(qtbot, Qt.Key.Key_Space)
    assert store.count_answers() == before + 1


def test_undo_on_the_feedback_takes_back_the_choice_before_it_is_rated(qtbot, collection, store):
    window = open_window(qtbot, collection)
    press(qtbot, Qt.Key.Key_S)
    study = first_choice_card(window)
    card, before = study.card, store.count_answers()
    press(qtbot, digit(1))
    assert study.chosen is not None
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert study.card is card
    assert study.chosen is None
    assert not study.rating_bar.isVisible()
    assert all(tile.state() == "" for tile in study.tiles[: len(study.order)])
    assert store.count_answers() == before
    press(qtbot, digit(2))
    press(qtbot, Qt.Key.Key_Backspace)  # Backspace takes it back too
    assert study.chosen is None
    assert store.count_answers() == before


def test_a_new_card_opens_at_its_top(qtbot, collection, store):
    window = open_window(qtbot, collection)
    window.resize(1024, 640)
    press(qtbot, Qt.Key.Key_S)
    study = first_choice_card(window)
    press(qtbot, digit(1))
    qtbot.wait(10)
    assert study.card_scroll.verticalScrollBar().value() > 0  # the lesson was brought into view
    press(qtbot, Qt.Key.Key_Space)
    assert study.card_scroll.verticalScrollBar().value() == 0


def test_quiz_keys_that_nobody_chose_record_nothing(qtbot, collection, store, library, monkeypatch, guarded):
    topics = tuple(library.taxonomy.topics)
    monkeypatch.setattr(quiz_flow.QuizFlow, "ask_setup", staticmethod(lambda *_: QuizChoice(10, topics, QuizMode.EXAM)))
    window = open_window(qtbot, collection)
    press(qtbot, Qt.Key.Key_Q)
    view = window.quiz.view
    qtbot.wait(350)
    for key in (Qt.Key.Key_Space, Qt.Key.Key_Return):
        press(qtbot, key)
    assert view.chosen is None
    press(qtbot, digit(1))
    press(qtbot, digit(1))  # a double press: the confidence step has just appeared
    press(qtbot, Qt.Key.Key_Return)
    attempt = QuizStore(store).open_attempt()
    assert attempt is not None
    assert attempt.answered == 0
    assert view.confidence_box.isVisible()
    qtbot.wait(350)
    press(qtbot, digit(3))
    assert QuizStore(store).open_attempt().answered == 1
