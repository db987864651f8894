"""Negotiation rounds through real widgets and keys, on a real SQLite file with a fixed clock: a whole game,
the debrief, leaving and resuming, and no key making a move the learner did not choose."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QStackedWidget, QWidget
from ui_helpers import digit, press

from trainer.games import Games, StrategyName
from trainer.storage.games import GameStore
from trainer.ui import messages
from trainer.ui.rounds import flow as rounds_flow
from trainer.ui.rounds.chooser import RoundsChoice
from trainer.ui.rounds.debrief import DebriefView
from trainer.ui.rounds.progress import ProgressView
from trainer.ui.rounds.view import RoundView

SCENARIO = "office-chairs"
ASK = {"kind": "ask", "tone": "warm"}
TRADE = {"kind": "trade", "issue": "delivery", "steps": 1, "get_issue": "price", "get_steps": 1}
CONCEDE = {"kind": "concede", "issue": "price", "steps": 1, "tone": "firm"}
HOLD = {"kind": "hold"}
ACCEPT = {"kind": "accept"}


class Harness:
    """The pages of a main window: a home page and the rounds flow, shown and active."""

    def __init__(self, qtbot, store, library, clock, seed: int = 1):
        self.pages = QStackedWidget()
        self.home = QWidget()
        self.home.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.pages.addWidget(self.home)
        self.games = Games(store, library, clock=clock)
        self.flow = rounds_flow.RoundsFlow(self.pages, self.games, self.go_home, rng=random.Random(seed))
        self.pages.resize(1280, 800)
        qtbot.addWidget(self.pages)
        with qtbot.waitActive(self.pages):
            self.pages.show()
            self.pages.activateWindow()
        self.qtbot = qtbot

    def go_home(self) -> None:
        self.pages.setCurrentWidget(self.home)
        self.home.setFocus()

    @property
    def view(self) -> RoundView:
        return self.flow.view

    def keys(self, *keys: Qt.Key) -> None:
        """Type keys one by one, each after the screen has settled (as a learner reading it would)."""
        for key in keys:
            self.qtbot.wait(self.view.guard_ms + 20)
            press(self.qtbot, key)


@pytest.fixture
def chosen(monkeypatch):
    pick = RoundsChoice(SCENARIO, StrategyName.EXPLOITER)
    monkeypatch.setattr(rounds_flow.RoundsFlow, "ask_scenario", staticmethod(lambda *_: pick))
    monkeypatch.setattr(rounds_flow.RoundsFlow, "ask_resume", staticmethod(lambda *_: messages.RESUME))


def test_a_whole_game_by_keyboard_left_resumed_debriefed_and_played_again(qtbot, store, library, clock, chosen):
    first = Harness(qtbot, store, library, clock)
    first.flow.start()
    view = first.view
    assert first.pages.currentWidget() is view
    assert view.status.text().startswith("Round 1 of 10")
    assert "For 400 chairs we can offer unit price €285" in view.message.text()
    first.keys(Qt.Key.Key_W, digit(5))  # warm, ask what matters to them
    assert view.status.text().startswith("Round 2 of 10")
    first.keys(digit(3), digit(1), digit(1), digit(1), digit(1))  # if you move 1 on price, I move 1 on delivery
    assert "I can do something on unit price" in view.message.text()
    first.keys(Qt.Key.Key_Escape)  # leave mid-way: the game stays open
    assert first.pages.currentWidget() is first.home
    stored = GameStore(store)
    record = stored.open_game()
    assert record is not None
    assert stored.moves(record.id) == [ASK, TRADE]

    clock.advance(hours=2)
    second = Harness(qtbot, store, library, clock)
    second.flow.start()
    view = second.view
    assert view.status.text().startswith("Round 3 of 10")
    second.keys(Qt.Key.Key_F, digit(2), digit(1), digit(1))  # firm: concede 1 level on unit price
    assert "look at our numbers again" in view.message.text()
    second.keys(digit(4))  # hold
    second.keys(digit(7))  # accept: asks to confirm first
    assert view.composer_box.isVisible()
    assert "Worth 32.5 to you" in view.step_prompt.text()
    second.keys(digit(1))
    debrief = second.pages.currentWidget()
    assert isinstance(debrief, DebriefView)
    assert stored.open_game() is None
    [finished] = stored.finished_games()
    assert finished.id == record.id
    assert stored.moves(record.id) == [ASK, TRADE, CONCEDE, HOLD, ACCEPT]
    assert (finished.deal, finished.rounds, finished.learner_value, finished.mistakes) == (True, 5, 32.5, ("E13",))

    before = debrief.text()
    assert "Deal in round 5: worth 32 to you" in before
    assert "Before the reveal: which strategy" in before
    assert "They were playing" not in before
    assert not debrief.reveal_box.isVisible()
    second.keys(Qt.Key.Key_P)  # no playing again before the guess
    assert second.pages.currentWidget() is debrief
    exploiter = [name for name, _ in debrief.choices].index(StrategyName.EXPLOITER)
    second.keys(digit(exploiter + 1))
    assert stored.game(record.id).guess_right is True
    text = debrief.text()
    assert "✓ Right: it was exploiter." in text
    assert "you left 48 points on the table. Joint value: 111 of a possible 125." in text
    assert "E13 · Trading on when you should stop (round 5)" in text
    assert "Remedy: " in text
    assert "They were playing exploiter" in text
    assert "It showed in round 3: they raised their demand" in text
    assert "3 study card(s) on these patterns now come first" in text
    assert stored.mistake_card_ids() == set(stored.game_cards(record.id))

    second.keys(Qt.Key.Key_G)
    progress = second.pages.currentWidget()
    assert isinstance(progress, ProgressView)
    assert progress.table.rowCount() == 1
    second.keys(Qt.Key.Key_Escape)
    assert second.pages.currentWidget() is second.home
    assert second.games.last_result().startswith("Last negotiation: Four hundred office chairs: deal worth 32")


def test_play_again_same_and_another_counterpart_are_one_key_each(qtbot, store, library, clock, chosen):
    harness = Harness(qtbot, store, library, clock, seed=2)
    harness.flow.start()
    harness.keys(digit(8), digit(1))  # walk away, confirmed
    debrief = harness.pages.currentWidget()
    assert isinstance(debrief, DebriefView)
    harness.keys(digit(1))
    harness.keys(Qt.Key.Key_P)
    assert harness.pages.currentWidget() is harness.view
    same = harness.view.session
    assert same is not None
    assert same.game.strategy is StrategyName.EXPLOITER
    assert same.game.round == 0
    harness.keys(digit(8), digit(1), digit(2), Qt.Key.Key_N)
    other = harness.view.session
    assert other is not None
    assert other is not same
    assert other.game.strategy is not StrategyName.EXPLOITER
    assert [g.strategy for g in GameStore(store).finished_games()] == ["exploiter", "exploiter"]


def test_no_key_makes_a_move_the_learner_did_not_choose(qtbot, store, library, clock, chosen):
    harness = Harness(qtbot, store, library, clock, seed=3)
    harness.flow.start()
    view = harness.view
    game_id = view.session.game_id
    stored = GameStore(store)
    assert QApplication.focusWidget() is view.message_frame
    harness.keys(Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)  # the round is focused: nothing happens
    QApplication.focusWidget().clearFocus()
    for key in (Qt.Key.Key_Space, Qt.Key.Key_Return):
        qtbot.keyClick(view, key)  # nothing focused at all: nothing happens
    assert stored.moves(game_id) == []
    view.message_frame.setFocus()
    harness.keys(digit(4))
    press(qtbot, digit(4))  # a double press: the second comes before the next round has settled
    assert stored.moves(game_id) == [HOLD]
    harness.keys(digit(2))  # opens the composer; Space/Enter there choose nothing
    press(qtbot, digit(2))  # too soon: not taken as "issue 2"
    harness.keys(Qt.Key.Key_Space, Qt.Key.Key_Return)
    assert view.composer is not None
    assert view.composer.picks == []
    harness.keys(Qt.Key.Key_Escape)  # back out of the composer: still the same round
    assert view.composer is None
    assert view.status.text().startswith("Round 2 of")
    harness.keys(digit(9), Qt.Key.Key_0)  # keys without a move do nothing
    mouse_target = view.move_buttons[3]
    qtbot.wait(view.guard_ms + 20)
    qtbot.mouseClick(mouse_target, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(mouse_target, Qt.MouseButton.LeftButton)  # a double click holds once
    assert stored.moves(game_id) == [HOLD, HOLD]
