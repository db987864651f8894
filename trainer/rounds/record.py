"""Saving a game as plain data and replaying it (same seed and moves give the same game)."""

from __future__ import annotations

from typing import Any

from trainer.rounds.game import IllegalMoveError, apply_move, start_game
from trainer.rounds.moves import Move
from trainer.rounds.names import StrategyName
from trainer.rounds.scenario import Scenario
from trainer.rounds.state import Game

FORMAT = 1


class ReplayError(ValueError):
    """Saved moves could not be replayed; the message says which and why."""


def game_to_dict(game: Game) -> dict[str, Any]:
    """A game as plain dicts and lists: scenario id, strategy, seed and the learner's moves."""
    return {
        "format": FORMAT,
        "scenario": game.scenario.id,
        "strategy": game.strategy.value,
        "seed": game.seed,
        "moves": [turn.move.to_dict() for turn in game.turns],
    }


def replay(scenario: Scenario, data: Any) -> Game:
    """Rebuild a game from ``game_to_dict`` data; raises ReplayError on anything that does not fit."""
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ReplayError("not a saved negotiation-rounds game")
    if data.get("scenario") != scenario.id:
        raise ReplayError(f"saved for scenario {data.get('scenario')!r}, not {scenario.id!r}")
    seed, moves = data.get("seed"), data.get("moves")
    if type(seed) is not int or not isinstance(moves, list):
        raise ReplayError("the seed or the move list is missing")
    try:
        game = start_game(scenario, StrategyName(str(data.get("strategy"))), seed)
    except ValueError as error:
        raise ReplayError(str(error)) from error
    for number, raw in enumerate(moves, start=1):
        try:
            _, game = apply_move(game, Move.from_dict(raw))
        except (IllegalMoveError, ValueError) as error:
            raise ReplayError(f"move {number}: {error}") from error
    return game
