"""The learner's pattern named with the taxonomy's mistake codes."""

from __future__ import annotations

from dataclasses import dataclass

from trainer.rounds.names import EndReason, MessageKind, MoveKind
from trainer.rounds.state import Game, Turn

LEAP_POINTS = 15.0  # one step giving up this much of your own value is a leap...
LEAP_SHARE = 0.5  # ...or this share of the room left above your walk-away
SPLIT_SLACK = 5.0  # joint value this far below the best counts as value lost by splitting


@dataclass(frozen=True)
class Finding:
    """One named mistake: its code, the rounds where it happened and an explanation."""

    code: str
    rounds: tuple[int, ...]
    message: str


def _rounds(turns: list[Turn]) -> str:
    numbers = [str(turn.round) for turn in turns]
    if len(numbers) == 1:
        return f"round {numbers[0]}"
    return "rounds " + ", ".join(numbers[:-1]) + " and " + numbers[-1]


def _own_loss(game: Game, index: int) -> float:
    before = game.turns[index - 1].ask if index else game.scenario.learner_ideal
    return game.scenario.learner_value(before) - game.scenario.learner_value(game.turns[index].ask)


def _naked(game: Game) -> list[int]:
    """Indexes of turns where the learner gave value away without a condition."""
    return [
        i
        for i, turn in enumerate(game.turns)
        if turn.move.kind in (MoveKind.OFFER, MoveKind.CONCEDE) and _own_loss(game, i) > 0
    ]


def find_mistakes(game: Game) -> list[Finding]:
    """Every mistake pattern found in a finished (or unfinished) game."""
    found: list[Finding] = []
    for check in (_leaps, _unreciprocated, _stonewalling, _splitting, _early_walk, _trading_on):
        finding = check(game)
        if finding is not None:
            found.append(finding)
    return found


def _leaps(game: Game) -> Finding | None:
    scenario = game.scenario
    leaps = []
    for i in _naked(game):
        before = game.turns[i - 1].ask if i else scenario.learner_ideal
        room = scenario.learner_value(before) - scenario.walk_away
        loss = _own_loss(game, i)
        if loss >= LEAP_POINTS or (room > 0 and loss >= LEAP_SHARE * room):
            leaps.append(game.turns[i])
    if not leaps:
        return None
    after_anger = any(i and game.turns[i - 1].reply is MessageKind.ANGER for i in _naked(game))
    extra = " Part of it came straight after an angry message, which teaches anger works." if after_anger else ""
    return Finding(
        "E1",
        tuple(t.round for t in leaps),
        f"In {_rounds(leaps)} you gave up a big slice of your value in one step. Small, shrinking steps keep "
        f"your room and signal where your limit is.{extra}",
    )


def _unreciprocated(game: Game) -> Finding | None:
    unanswered = [game.turns[i] for i in _naked(game) if game.turns[i].conceded <= 0]
    if len(unanswered) < 2:
        return None
    return Finding(
        "E2",
        tuple(t.round for t in unanswered),
        f"You conceded without asking anything back in {_rounds(unanswered)}, and they gave nothing in "
        'return. Attach every give to a get: "If you can…, then I can…".',
    )


def _stonewalling(game: Game) -> Finding | None:
    held = []
    for previous, turn in zip(game.turns, game.turns[1:], strict=False):
        still = turn.move.kind in (MoveKind.HOLD, MoveKind.OFFER) and turn.learner_gain <= 0
        if previous.conceded > 0 and still:
            held.append(turn)
    if len(held) < 2:
        return None
    return Finding(
        "E11",
        tuple(t.round for t in held),
        f"They moved toward you, and in {_rounds(held)} you answered with nothing. Match a concession, or "
        "at least ask what it would take to trade.",
    )


def _splitting(game: Game) -> Finding | None:
    scenario = game.scenario
    splits = []
    for i, turn in enumerate(game.turns):
        before_ask = game.turns[i - 1].ask if i else scenario.learner_ideal
        before_offer = game.turns[i - 1].offer if i else game.opening_offer
        gaps = [k for k, (a, o) in enumerate(zip(before_ask, before_offer, strict=True)) if a != o]
        middle = all(abs(2 * turn.ask[k] - before_ask[k] - before_offer[k]) <= 1 for k in gaps)
        if turn.move.kind is MoveKind.OFFER and len(gaps) >= 2 and middle and turn.ask != before_ask:
            splits.append(turn)
    outcome = game.outcome
    lost = outcome is None or outcome.joint_value < scenario.best_joint - SPLIT_SLACK
    if not splits or not lost:
        return None
    return Finding(
        "E5",
        tuple(t.round for t in splits),
        f"In {_rounds(splits)} you met them in the middle on every issue at once. The sides value the "
        "issues differently, so trading a level you care little about for one you care a lot about creates "
        "value that splitting leaves on the table.",
    )


def _early_walk(game: Game) -> Finding | None:
    outcome, scenario = game.outcome, game.scenario
    if outcome is None or outcome.reason is not EndReason.LEARNER_WALKED:
        return None
    still_moving = any(turn.conceded > 0 for turn in game.turns[-3:-1])
    early = outcome.rounds <= scenario.round_limit // 2
    if scenario.best_for_learner <= scenario.walk_away or not (still_moving or early):
        return None
    return Finding(
        "E7",
        (outcome.rounds,),
        f"You walked away in round {outcome.rounds} while a deal better than your alternative was still "
        "possible" + (" and they were still moving" if still_moving else "") + ". Test the zone first.",
    )


def _trading_on(game: Game) -> Finding | None:
    outcome, scenario = game.outcome, game.scenario
    if outcome is not None and outcome.deal and outcome.learner_value < scenario.walk_away:
        return Finding(
            "E13",
            (outcome.rounds,),
            f"You closed at {outcome.learner_value:.0f} points, below your alternative of {scenario.walk_away:.0f}. "
            "When the deal falls below your walk-away, stop trading and leave.",
        )
    raises = [turn for turn in game.turns if turn.reply is MessageKind.RAISE]
    if len(raises) < 2:
        return None
    return Finding(
        "E13",
        tuple(t.round for t in raises),
        f"They raised their demand after your concessions in {_rounds(raises)} and you kept giving. When the "
        "taking repeats, stop conceding: make every move conditional, name the pattern, or leave.",
    )
