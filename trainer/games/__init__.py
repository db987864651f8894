"""Negotiation rounds as a use case: stored games over the pure `trainer.rounds` engine.

Screens use `Games` (scenarios, start, resume, progress, home's line) and `GameSession` (play, guess,
debrief); the engine's value types they show are re-exported here.
"""

from trainer.games.front import Games
from trainer.games.progress import ProgressPoint
from trainer.games.session import GameSession
from trainer.rounds import (
    Debrief,
    EndReason,
    Finding,
    Game,
    GuessResult,
    IllegalMoveError,
    Issue,
    MessageKind,
    Move,
    MoveKind,
    ReplayError,
    Scenario,
    SeriesPoint,
    StepClass,
    StrategyName,
    Tone,
    Turn,
    strategy_choices,
)
from trainer.storage.games import GameRecord
from trainer.storage.store import StoreError

__all__ = [
    "Debrief", "EndReason", "Finding", "Game", "GameRecord", "GameSession", "Games", "GuessResult",
    "IllegalMoveError", "Issue", "MessageKind", "Move", "MoveKind", "ProgressPoint", "ReplayError", "Scenario",
    "SeriesPoint", "StepClass", "StoreError", "StrategyName", "Tone", "Turn", "strategy_choices",
]  # fmt: skip
