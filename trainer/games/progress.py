"""Progress over finished games (for the chart) and the one-line summary of the last game (for home)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from trainer.rounds import Scenario, StrategyName
from trainer.rounds.strategies import PROFILES
from trainer.storage.games import GameRecord


@dataclass(frozen=True, slots=True)
class ProgressPoint:
    """One finished game as the progress chart shows it."""

    number: int
    finished_at: datetime
    scenario_title: str
    strategy_label: str
    deal: bool
    learner_value: float
    joint_value: float
    best_joint_value: float
    guess_right: bool | None


def strategy_label(name: str) -> str:
    """A strategy's label, or its stored name when this version no longer knows it."""
    try:
        return PROFILES[StrategyName(name)].label
    except (ValueError, KeyError):
        return name


def strategy_guide() -> list[tuple[StrategyName, str, str]]:
    """Every strategy a counterpart can play: its name, label and one-line summary (for the guess)."""
    return [(name, profile.label, profile.summary) for name, profile in PROFILES.items()]


def progress_points(records: list[GameRecord], scenarios: dict[str, Scenario]) -> list[ProgressPoint]:
    """Finished games, oldest first, numbered from 1."""
    points: list[ProgressPoint] = []
    for record in records:
        if record.finished_at is None or record.learner_value is None or record.joint_value is None:
            continue
        scenario = scenarios.get(record.scenario_id)
        points.append(
            ProgressPoint(
                len(points) + 1,
                record.finished_at,
                scenario.title if scenario else record.scenario_id,
                strategy_label(record.strategy),
                bool(record.deal),
                record.learner_value,
                record.joint_value,
                record.best_joint_value or record.joint_value,
                record.guess_right,
            )
        )
    return points


def last_game_line(record: GameRecord | None, scenarios: dict[str, Scenario]) -> str:
    """Home's line about the last finished game."""
    if record is None or record.finished_at is None:
        return "Last negotiation: none yet. Play one against a simulated counterpart."
    scenario = scenarios.get(record.scenario_id)
    title = scenario.title if scenario else record.scenario_id
    result = f"deal worth {record.learner_value or 0:.0f} to you" if record.deal else "no deal"
    joint = f"joint value {record.joint_value or 0:.0f} of {record.best_joint_value or 0:.0f}"
    guess = {True: "strategy guessed right", False: "strategy guessed wrong", None: "strategy not guessed"}
    when = record.finished_at.astimezone()
    return f"Last negotiation: {title}: {result}, {joint}, {guess[record.guess_right]}  ·  {when:%a %d %b %Y}"
