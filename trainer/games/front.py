"""The rounds mode's front door for screens: the scenarios, new and resumed games, progress, home's line."""

from __future__ import annotations

import random
from pathlib import Path

from trainer import paths
from trainer.clock import Clock, system_clock
from trainer.games.progress import ProgressPoint, last_game_line, progress_points
from trainer.games.session import GameSession
from trainer.model import CardId, Library, Mistake
from trainer.rounds import Problem, Scenario, StrategyName, load_scenarios
from trainer.storage.games import GameRecord, GameStore
from trainer.storage.store import Store

SCENARIOS = "scenarios"


class Games:
    """Negotiation rounds over one open database: start, resume and list games against the bundled scenarios."""

    def __init__(self, store: Store, library: Library, *, clock: Clock = system_clock, folder: Path | None = None):
        self._store = store
        self._games = GameStore(store)
        self.library = library
        self.clock = clock
        found, self.problems = load_scenarios(folder or paths.content_dir() / SCENARIOS)
        self.scenarios: dict[str, Scenario] = {scenario.id: scenario for scenario in found}

    def start(self, scenario_id: str, strategy: StrategyName | None = None, *, rng: random.Random) -> GameSession:
        """A new game; without a strategy, a surprise one among those the scenario is playable against."""
        scenario = self.scenarios[scenario_id]
        chosen = strategy if strategy is not None else rng.choice(scenario.strategies)
        return GameSession.start(self._store, self.library, scenario, chosen, rng.randrange(2**31), clock=self.clock)

    def another(self, session: GameSession, *, rng: random.Random) -> GameSession:
        """A new game on the same scenario against a different, hidden strategy."""
        others = [s for s in session.scenario.strategies if s is not session.game.strategy]
        return self.start(session.scenario.id, rng.choice(others or list(session.scenario.strategies)), rng=rng)

    def open_game(self) -> GameRecord | None:
        """The game left mid-way, if any."""
        return self._games.open_game()

    def resume(self, record: GameRecord) -> GameSession:
        """Rebuild a stored game; raises KeyError (scenario gone) or ReplayError (moves no longer fit)."""
        return GameSession.resume(self._store, self.library, self.scenarios[record.scenario_id], record,
                                  clock=self.clock)  # fmt: skip

    def abandon(self, record: GameRecord) -> None:
        self._games.abandon(record.id)

    def progress(self) -> list[ProgressPoint]:
        """Every finished game, oldest first."""
        return progress_points(self._games.finished_games(), self.scenarios)

    def last_result(self) -> str:
        """Home's one line about the last finished game."""
        return last_game_line(self._games.last_finished_game(), self.scenarios)

    def mistake(self, code: str) -> Mistake | None:
        """A mistake code's name and remedy from the taxonomy."""
        return self.library.taxonomy.mistakes.get(code)

    def topic_of(self, card_id: str) -> str:
        """The topic name of a study card ("" if it left the deck)."""
        card = self.library.cards.get(CardId(card_id))
        return self.library.taxonomy.topics.get(card.topic, card.topic) if card else ""

    def scenario_problems(self) -> list[Problem]:
        """Scenario files that could not be loaded."""
        return list(self.problems)
