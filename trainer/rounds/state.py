"""The values a game is made of: turns, the outcome and the game state itself."""

from __future__ import annotations

from dataclasses import dataclass

from trainer.rounds.moves import Move
from trainer.rounds.names import EndReason, MessageKind, StrategyName
from trainer.rounds.policy import Mind
from trainer.rounds.scenario import Package, Scenario


@dataclass(frozen=True)
class Turn:
    """One round: the learner's move and the counterpart's reply."""

    round: int
    move: Move
    ask: Package  # the learner's standing ask after the move
    offer: Package  # the counterpart's standing offer after its reply
    reply: MessageKind
    message: str
    learner_gain: float  # counterpart value the learner's move handed over (negative: taken back)
    conceded: float  # own value the counterpart gave this round (negative: it raised its demand)
    trade_accepted: bool | None  # None unless the move was a trade
    trust: float
    tell: str  # what in this reply gave the strategy away ("" if nothing)


@dataclass(frozen=True)
class Outcome:
    """How a finished game ended and what each side got (an impasse is worth each side's alternative)."""

    deal: bool
    package: Package | None
    learner_value: float
    counterpart_value: float
    joint_value: float
    best_joint: float
    trust: float
    rounds: int
    reason: EndReason


@dataclass(frozen=True, eq=False)
class Game:
    """An immutable game state; ``apply_move`` returns the next one."""

    scenario: Scenario
    strategy: StrategyName
    seed: int
    ask: Package
    offer: Package
    mind: Mind
    opening_offer: Package
    opening_message: str
    turns: tuple[Turn, ...] = ()
    outcome: Outcome | None = None

    @property
    def round(self) -> int:
        """Rounds played so far."""
        return len(self.turns)

    @property
    def rounds_left(self) -> int:
        """Rounds still available."""
        return self.scenario.round_limit - self.round

    @property
    def finished(self) -> bool:
        """Whether the game has ended (deal, walk-away or the round limit)."""
        return self.outcome is not None
