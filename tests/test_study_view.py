"""A whole study session through real widgets and keys, checked against the database."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from ui_helpers import digit, open_window, press

from trainer.model import CardKind, Phase, Rating
from trainer.ui.explanation import TIERS

CHOICES = ["best", "weak", "best", "best", "weak"]  # cycled over the choice cards that come up
ANSWERS = 10


def test_study_session_ten_answers_and_an_undo(qtbot, session, library, store, clock, collection):
    window = open_window(qtbot, collection)
    study = window.study
    assert "New today: 20" in window.home.summary.text()
    press(qtbot, Qt.Key.Key_S)
    assert window.pages.currentWidget() is study

    choices = 0
    for step in range(ANSWERS):
        card = study.card
        assert study.progress.value() == step
        assert study.situation.text() == card.situation
        previews = session.intervals(card)
        if card.kind != CardKind.CHOICE:
            assert not study.back.isVisible()
            press(qtbot, Qt.Key.Key_Space)
            assert study.back.isVisible()
            assert study.answer_text.text() == card.answer
            expected_rating, option = Rating.GOOD, None
        else:
            plan = CHOICES[choices % len(CHOICES)]
            choices += 1
            shown = [study.tiles[i].text.text() for i in range(len(card.options))]
            assert sorted(shown) == sorted(o.text for o in card.options)
            best_at = study.order.index(card.best_option.id)
            index = best_at if plan == "best" else next(i for i in range(len(study.order)) if i != best_at)
            option = card.option(study.order[index])
            press(qtbot, digit(index + 1))
            assert study.tiles[best_at].state() == "best"
            assert study.tiles[best_at].feedback.text() == card.best_option.feedback
            # Every option shows its tier and its feedback; the learner's own choice says so.
            for position, option_id in enumerate(study.order):
                shown_option = card.option(option_id)
                assert study.tiles[position].state() == TIERS[shown_option.quality][1]
                assert study.tiles[position].feedback.text() == shown_option.feedback
                assert ("Your choice" in study.tiles[position].verdict.text()) == (position == index)
            if plan == "weak":
                assert study.tiles[index].state() in ("acceptable", "weak", "harmful")
                assert study.tiles[index].feedback.text() == option.feedback
                assert study.explanation.verdict.text().startswith("✗ Not the best response")
                expected_rating = Rating.HARD if option.quality == 2 else Rating.AGAIN
            else:
                assert study.explanation.verdict.text().startswith("✓")
                expected_rating = Rating.GOOD
        assert study.explanation.principle.text() == card.principle
        assert study.explanation.why.text() == card.explanation
        for rating, button in study.rating_buttons.items():
            assert button.text().split("\n")[0] == previews[rating]
            assert button.property("suggested") == (rating == expected_rating)
        assert QApplication.focusWidget() is study  # nothing is pre-focused: Space accepts the highlighted rating
        press(qtbot, Qt.Key.Key_Space)

        last = store.answers()[-1]
        assert (last.card_id, last.rating, last.option_id) == (card.id, expected_rating, option and option.id)
        assert last.quality == (option.quality if option else None)
        assert store.count_answers() == step + 1
        if step < ANSWERS - 1:
            clock.advance(seconds=20)

    assert study.progress.value() == ANSWERS
    assert study.progress.maximum() == ANSWERS + session.counts().total
    answers = store.answers()
    assert len(answers) == 10
    assert sum(a.option_id is None for a in answers) >= 1  # a recall card came up
    assert {a.rating for a in answers} >= {Rating.GOOD, Rating.AGAIN}

    last = answers[-1]
    before_last = store.schedule(last.card_id)
    assert before_last.state.phase in (Phase.LEARNING, Phase.REVIEW)
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert store.count_answers() == 9
    assert store.schedule(last.card_id) is None  # it was new before that answer
    assert study.card.id == last.card_id
    assert study.progress.value() == 9
    assert study.rating_bar.isHidden()


def test_done_panel_says_when_the_next_card_is_due(qtbot, session, library, store, clock, collection):
    store.save_settings(store.settings().__class__(new_per_day=1))
    session.apply_settings(store.settings())
    window = open_window(qtbot, collection)
    window.show_study()
    study = window.study
    card = study.card
    if card.kind == CardKind.CHOICE:
        press(qtbot, digit(study.order.index(card.best_option.id) + 1))
    else:
        press(qtbot, Qt.Key.Key_Space)
    press(qtbot, Qt.Key.Key_4)  # Easy: graduates at once
    assert study.card is None
    assert study.pages.currentIndex() == 1
    text = study.done_lines.text()
    assert "You answered 1 card today." in text
    assert "Next card due:" in text
    assert "(in " in text
    assert "Tomorrow brings up to 1 new card." in text
    assert study.quiz_button.isVisible()
    study.stats_button.click()
    assert window.pages.currentWidget() is window.stats
    window.show_study()
    assert study.pages.currentIndex() == 1
    press(qtbot, Qt.Key.Key_Escape)
    assert window.pages.currentWidget() is window.home
    assert "Done today: 1" in window.home.summary.text()


def test_help_overlay_lists_every_key_and_closes_with_escape(qtbot, session, library, collection):
    window = open_window(qtbot, collection)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.help.isVisible()
    press(qtbot, Qt.Key.Key_Escape)
    assert not window.help.isVisible()


def test_card_text_is_shown_as_plain_text(qtbot, session, library, collection):
    window = open_window(qtbot, collection)
    window.show_study()
    assert window.study.situation.textFormat() == Qt.TextFormat.PlainText
    assert all(tile.text.textFormat() == Qt.TextFormat.PlainText for tile in window.study.tiles)
