"""Hindriks, Jonker & Tykhonov (2007) step classes for the learner's moves, and the offer series."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from enum import StrEnum

from trainer.rounds.scenario import Package, Scenario
from trainer.rounds.state import Game

EPSILON = 1e-9


class StepClass(StrEnum):
    """How one step changes the mover's own value and the other side's value."""

    CONCESSION = "concession"  # own down, theirs up
    SELFISH = "selfish"  # own up, theirs down or same
    FORTUNATE = "fortunate"  # both up
    UNFORTUNATE = "unfortunate"  # own down, theirs down or same: value thrown away
    NICE = "nice"  # theirs up, own same
    SILENT = "silent"  # no change


@dataclass(frozen=True)
class SeriesPoint:
    """Both standing packages after a round, valued for both sides (round 0 is the opening)."""

    round: int
    ask_for_learner: float
    ask_for_counterpart: float
    offer_for_learner: float
    offer_for_counterpart: float


def classify(scenario: Scenario, before: Package, after: Package) -> StepClass:
    """The class of a learner step from one ask to the next."""
    own = scenario.learner_value(after) - scenario.learner_value(before)
    theirs = scenario.counterpart_value(after) - scenario.counterpart_value(before)
    if abs(own) < EPSILON and abs(theirs) < EPSILON:
        return StepClass.SILENT
    if own < -EPSILON:
        return StepClass.CONCESSION if theirs > EPSILON else StepClass.UNFORTUNATE
    if own > EPSILON:
        return StepClass.FORTUNATE if theirs > EPSILON else StepClass.SELFISH
    return StepClass.NICE if theirs > 0 else StepClass.UNFORTUNATE


def step_classes(game: Game) -> list[StepClass]:
    """The class of the learner's step in every round."""
    asks = [game.scenario.learner_ideal, *(turn.ask for turn in game.turns)]
    return [classify(game.scenario, a, b) for a, b in itertools.pairwise(asks)]


def series(game: Game) -> list[SeriesPoint]:
    """The concession chart: both sides' standing packages by round, valued for each side."""
    scenario = game.scenario
    rows = [(0, scenario.learner_ideal, game.opening_offer)] + [(t.round, t.ask, t.offer) for t in game.turns]
    return [
        SeriesPoint(
            number,
            scenario.learner_value(ask),
            scenario.counterpart_value(ask),
            scenario.learner_value(offer),
            scenario.counterpart_value(offer),
        )
        for number, ask, offer in rows
    ]
