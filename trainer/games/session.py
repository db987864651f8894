"""The negotiation-rounds use case: start or resume a game, play moves (each stored before the reply shows),
finish, guess the counterpart's strategy, read the debrief, and feed the game's mistakes to study."""

from __future__ import annotations

from trainer.clock import Clock, system_clock
from trainer.games.study_cards import cards_for_mistakes
from trainer.model import Library
from trainer.rounds import (
    Debrief,
    Game,
    GuessResult,
    Move,
    MoveKind,
    Scenario,
    SeriesPoint,
    StrategyName,
    Turn,
    apply_move,
    check_move,
    debrief,
    legal_moves,
    replay,
    score_guess,
    start_game,
)
from trainer.rounds.patterns import find_mistakes
from trainer.rounds.record import FORMAT
from trainer.rounds.steps import series
from trainer.storage.games import GameRecord, GameResult, GameStore
from trainer.storage.store import Store


class GameSession:
    """One game in progress or finished. Every move is committed before its reply is returned.

    Rounds feed study: when a game finishes, the study cards whose options carry one of its mistake codes
    (up to three per code) are due at once if already studied, and otherwise go to the front of the new-card
    queue (`GameStore.mistake_card_ids`), as cards a quiz found weak do.
    """

    def __init__(self, store: Store, library: Library, game_id: int, game: Game, *, clock: Clock = system_clock):
        self.store = store
        self.games = GameStore(store)
        self.library = library
        self.clock = clock
        self.game_id = game_id
        self.game = game
        self.guessed: GuessResult | None = None

    @classmethod
    def start(
        cls, store: Store, library: Library, scenario: Scenario, strategy: StrategyName, seed: int,
        *, clock: Clock = system_clock,
    ) -> GameSession:  # fmt: skip
        """A new stored game: the counterpart has made its opening offer."""
        game = start_game(scenario, strategy, seed)
        game_id = GameStore(store).create_game(scenario.id, strategy.value, seed, clock())
        return cls(store, library, game_id, game, clock=clock)

    @classmethod
    def resume(
        cls, store: Store, library: Library, scenario: Scenario, record: GameRecord, *, clock: Clock = system_clock
    ) -> GameSession:
        """A stored game rebuilt from its seed and moves; raises ReplayError when they no longer fit."""
        moves = GameStore(store).moves(record.id)
        data = {"format": FORMAT, "scenario": record.scenario_id, "strategy": record.strategy, "seed": record.seed,
                "moves": moves}  # fmt: skip
        session = cls(store, library, record.id, replay(scenario, data), clock=clock)
        if record.guess is not None:
            session.guessed = score_guess(session.game, StrategyName(record.guess))
        return session

    @property
    def scenario(self) -> Scenario:
        return self.game.scenario

    @property
    def finished(self) -> bool:
        return self.game.finished

    def legal_moves(self) -> tuple[MoveKind, ...]:
        return legal_moves(self.game)

    def check(self, move: Move) -> str | None:
        """Why the move cannot be played now, or None."""
        return check_move(self.game, move)

    def play(self, move: Move) -> Turn:
        """Play a move: store it (with the outcome when it ends the game), then return the counterpart's reply.

        Raises IllegalMoveError before anything is stored; StoreError when the move could not be stored (the
        game is then unchanged)."""
        turn, after = apply_move(self.game, move)
        now = self.clock()
        with self.store.transaction():  # the last move and the outcome together, or neither
            self.games.append_move(self.game_id, self.game.round, move.to_dict(), now)
            if after.outcome is not None:
                self._finish(after)
        self.game = after
        return turn

    def _finish(self, game: Game) -> None:
        outcome = game.outcome
        assert outcome is not None
        codes = tuple(finding.code for finding in find_mistakes(game))
        cards = cards_for_mistakes(self.library, codes, game.scenario.context.value)
        result = GameResult(
            outcome.deal, outcome.learner_value, outcome.counterpart_value, outcome.joint_value, outcome.best_joint,
            outcome.rounds, codes,
        )  # fmt: skip
        now = self.clock()
        self.games.finish(self.game_id, result, now, cards)
        self.store.bring_forward(list(cards), now)

    def guess(self, strategy: StrategyName) -> GuessResult:
        """Score and store the learner's guess of the counterpart's strategy (once, after the game)."""
        if not self.finished:
            raise ValueError("guess the strategy after the game")
        if self.guessed is not None:
            return self.guessed
        result = score_guess(self.game, strategy)
        self.games.record_guess(self.game_id, strategy.value, result.correct)
        self.guessed = result
        return result

    def series(self) -> list[SeriesPoint]:
        """The concession chart so far: both standing packages by round, valued for each side."""
        return series(self.game)

    def debrief(self) -> Debrief:
        """The analysis of the finished game; raises ValueError while it is running."""
        return debrief(self.game)

    def brought_forward(self) -> dict[str, str]:
        """The study cards this game brought forward (card id → mistake code)."""
        return self.games.game_cards(self.game_id)

    def abandon(self) -> None:
        """Set the game aside unfinished: it is neither resumed nor counted."""
        self.games.abandon(self.game_id)
