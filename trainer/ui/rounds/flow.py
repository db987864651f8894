"""Navigation of negotiation rounds inside the main window: choose or resume, the rounds, the debrief, progress."""

from __future__ import annotations

import random
from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QStackedWidget, QWidget

from trainer.collection import GameRecord, Games, GameSession, ReplayError, StoreError
from trainer.ui import messages
from trainer.ui.rounds.chooser import ScenarioChooser
from trainer.ui.rounds.debrief import DebriefView
from trainer.ui.rounds.progress import ProgressView
from trainer.ui.rounds.view import RoundView


def ask_resume(parent: QWidget, title: str, rounds: int) -> str:
    """Ask what to do with a negotiation left mid-way: RESUME, DISCARD or CANCEL (see `messages.ask_resume`)."""
    return messages.ask_resume(
        parent,
        "Unfinished negotiation",
        f"You left “{title}” after {rounds} round(s).",
        "Resume it, or set it aside and start another? A game set aside never counts.",
        "Set aside",
    )


class RoundsFlow(QObject):
    """Owns the rounds pages; `go_home` returns to the home screen."""

    ask_resume = staticmethod(ask_resume)
    ask_scenario = staticmethod(ScenarioChooser.ask)

    def __init__(
        self, pages: QStackedWidget, games: Games, go_home: Callable[[], None], *, rng: random.Random | None = None
    ):
        super().__init__(pages)
        self.pages = pages
        self.games = games
        self.go_home = go_home
        self.rng = rng or random.Random()
        self._view: RoundView | None = None  # built on first use: its chart loads matplotlib
        self.extra: QWidget | None = None
        self.last_scenario: str | None = None

    @property
    def view(self) -> RoundView:
        if self._view is None:
            self._view = RoundView()
            self._view.sig_finished.connect(self._show_debrief)
            self._view.sig_left.connect(self.go_home)
            self.pages.addWidget(self._view)
        return self._view

    def start(self) -> None:
        """Resume the game left mid-way, or choose a scenario and a counterpart for a new one."""
        parent = self.pages.window()
        record = self.games.open_game()
        if record is not None:
            choice = self._ask_about(record, parent)
            if choice == messages.CANCEL:
                return
            if choice == messages.RESUME and self._resume(record, parent):
                return
            self.games.abandon(record)
        scenarios = list(self.games.scenarios.values())
        if not scenarios:
            messages.warn(parent, "No scenarios", "No negotiation scenario could be loaded; run `trainer check`.")
            return
        picked = self.ask_scenario(scenarios, parent, self.last_scenario)
        if picked is not None:
            self._run(lambda: self.games.start(picked.scenario_id, picked.strategy, rng=self.rng))

    def _ask_about(self, record: GameRecord, parent: QWidget) -> str:
        scenario = self.games.scenarios.get(record.scenario_id)
        return self.ask_resume(parent, scenario.title if scenario else record.scenario_id, record.moves)

    def _resume(self, record: GameRecord, parent: QWidget) -> bool:
        try:
            session = self.games.resume(record)
        except (KeyError, ReplayError) as error:
            messages.warn(parent, "The negotiation cannot be resumed",
                          f"Its scenario changed or is gone ({error}); it is set aside.")  # fmt: skip
            return False
        self._play(session)
        return True

    def _run(self, make: Callable[[], GameSession]) -> None:
        try:
            session = make()
        except StoreError as error:
            messages.warn(self.pages.window(), "The negotiation was not started", str(error))
            return
        self._play(session)

    def _play(self, session: GameSession) -> None:
        self.last_scenario = session.scenario.id
        self._drop_extra()
        self.pages.setCurrentWidget(self.view)
        self.view.start(session)

    def _show_debrief(self, session: GameSession) -> None:
        view = DebriefView(session, self.games)
        view.sig_again_same.connect(
            lambda s: self._run(lambda: self.games.start(s.scenario.id, s.game.strategy, rng=self.rng))
        )
        view.sig_again_other.connect(lambda s: self._run(lambda: self.games.another(s, rng=self.rng)))
        view.sig_progress_requested.connect(self.show_progress)
        self._show(view)

    def show_progress(self) -> None:
        """Progress over every finished game."""
        self._show(ProgressView(self.games.progress()))

    def _show(self, view: QWidget) -> None:
        """Replace the previous debrief or progress page with a fresh one."""
        view.sig_home_requested.connect(self.go_home)  # type: ignore[attr-defined]
        self._drop_extra()
        self.extra = view
        self.pages.addWidget(view)
        self.pages.setCurrentWidget(view)
        view.setFocus()

    def _drop_extra(self) -> None:
        if self.extra is not None:
            self.pages.removeWidget(self.extra)
            self.extra.deleteLater()
            self.extra = None
