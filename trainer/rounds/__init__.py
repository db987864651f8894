"""Negotiation rounds: a pure, deterministic multi-issue negotiation simulator (no Qt, no storage).

Typical use: ``load_scenarios(folder)``, ``start_game(scenario, strategy, seed)``, then ``legal_moves`` and
``apply_move`` until ``game.finished``; ``debrief(game)`` and ``score_guess(game, guess)`` afterwards.
``game_to_dict`` / ``replay`` store and resume a game.
"""

from trainer.rounds.debrief import Debrief, GuessResult, debrief, score_guess, strategy_choices
from trainer.rounds.game import IllegalMoveError, apply_move, check_move, legal_moves, start_game
from trainer.rounds.moves import Move
from trainer.rounds.names import Context, EndReason, MessageKind, MoveKind, StrategyName, Tone
from trainer.rounds.patterns import Finding
from trainer.rounds.problems import Problem, ScenarioError
from trainer.rounds.record import ReplayError, game_to_dict, replay
from trainer.rounds.scenario import Issue, Level, Package, Scenario
from trainer.rounds.scenario_file import check_scenario_files, load_scenario, load_scenarios, read_scenario
from trainer.rounds.state import Game, Outcome, Turn
from trainer.rounds.steps import SeriesPoint, StepClass

__all__ = [
    "Context",
    "Debrief",
    "EndReason",
    "Finding",
    "Game",
    "GuessResult",
    "IllegalMoveError",
    "Issue",
    "Level",
    "MessageKind",
    "Move",
    "MoveKind",
    "Outcome",
    "Package",
    "Problem",
    "ReplayError",
    "Scenario",
    "ScenarioError",
    "SeriesPoint",
    "StepClass",
    "StrategyName",
    "Tone",
    "Turn",
    "apply_move",
    "check_move",
    "check_scenario_files",
    "debrief",
    "game_to_dict",
    "legal_moves",
    "load_scenario",
    "load_scenarios",
    "read_scenario",
    "replay",
    "score_guess",
    "start_game",
    "strategy_choices",
]
