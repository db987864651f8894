"""The debrief of a finished game: the chart series, step classes, mistakes, the strategy and a guess score."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from trainer.rounds.names import StrategyName
from trainer.rounds.patterns import Finding, find_mistakes
from trainer.rounds.state import Game, Outcome
from trainer.rounds.steps import SeriesPoint, StepClass, series, step_classes
from trainer.rounds.strategies import PROFILES, profile


@dataclass(frozen=True)
class Debrief:
    """What happened and what to learn from it, in plain strings for a UI."""

    outcome: Outcome
    series: tuple[SeriesPoint, ...]
    steps: dict[StepClass, int]
    findings: tuple[Finding, ...]
    strategy: StrategyName
    strategy_label: str
    strategy_summary: str
    shown_round: int | None
    shown_how: str
    best_for_learner: float
    left_on_table: float
    lines: tuple[str, ...]


@dataclass(frozen=True)
class GuessResult:
    """Whether the learner named the counterpart's strategy, and why."""

    correct: bool
    explanation: str


def strategy_choices() -> list[tuple[StrategyName, str]]:
    """The strategies a learner can guess from, with their labels."""
    return [(name, p.label) for name, p in PROFILES.items()]


def _tell(game: Game) -> tuple[int | None, str]:
    for turn in game.turns:
        if turn.tell:
            return turn.round, turn.tell
    return None, ""


def debrief(game: Game) -> Debrief:
    """Analyse a finished game; raises ValueError if it is still running."""
    if game.outcome is None:
        raise ValueError("the game is not finished")
    outcome, scenario = game.outcome, game.scenario
    params = profile(game.strategy)
    counts = Counter(step_classes(game))
    steps = {kind: counts.get(kind, 0) for kind in StepClass}
    findings = tuple(find_mistakes(game))
    shown_round, shown_how = _tell(game)
    left = max(0.0, scenario.best_for_learner - outcome.learner_value)
    lines = [_result_line(game, outcome)]
    lines.append(
        f"The best deal they would still have taken was worth {scenario.best_for_learner:.0f} to you, so you left "
        f"{left:.0f} points on the table. Joint value: {outcome.joint_value:.0f} of a possible "
        f"{outcome.best_joint:.0f}."
    )
    lines.append(
        f"Your steps: {steps[StepClass.CONCESSION]} concessions, {steps[StepClass.FORTUNATE]} fortunate, "
        f"{steps[StepClass.UNFORTUNATE]} unfortunate (value thrown away), {steps[StepClass.SELFISH]} selfish, "
        f"{steps[StepClass.SILENT]} silent."
    )
    lines.append(f"They were playing {params.label.lower()}: {params.summary}")
    if shown_round is not None:
        lines.append(f"It showed in round {shown_round}: they {shown_how}.")
    lines += [f"{finding.code}: {finding.message}" for finding in findings]
    if not findings:
        lines.append("No mistake pattern found: you moved in proportion and asked for something back.")
    return Debrief(
        outcome,
        tuple(series(game)),
        steps,
        findings,
        game.strategy,
        params.label,
        params.summary,
        shown_round,
        shown_how,
        scenario.best_for_learner,
        left,
        tuple(lines),
    )


def _result_line(game: Game, outcome: Outcome) -> str:
    if outcome.deal:
        target = "meets" if outcome.learner_value >= game.scenario.target else "falls short of"
        return (
            f"Deal in round {outcome.rounds}: worth {outcome.learner_value:.0f} to you and "
            f"{outcome.counterpart_value:.0f} to them; it {target} your target of {game.scenario.target:.0f}."
        )
    return (
        f"No deal after {outcome.rounds} rounds: you fall back on your alternative, worth "
        f"{game.scenario.walk_away:.0f}. Trust at the end: {outcome.trust:.0%}."
    )


def score_guess(game: Game, guess: StrategyName) -> GuessResult:
    """Score the learner's guess of the counterpart's strategy with a short explanation."""
    actual = profile(game.strategy)
    shown_round, shown_how = _tell(game)
    evidence = f" The clue came in round {shown_round}: they {shown_how}." if shown_round else ""
    if guess is game.strategy:
        return GuessResult(True, f"Right: it was {actual.label.lower()}.{evidence}")
    guessed = profile(guess)
    return GuessResult(
        False,
        f"Not quite: it was {actual.label.lower()}, not {guessed.label.lower()}. {actual.summary}{evidence}",
    )
