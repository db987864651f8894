"""The engine: start a game, check and apply a learner move, and let the counterpart answer."""

from __future__ import annotations

import random
from dataclasses import replace

from trainer.rounds.messages import render, templates_for
from trainer.rounds.moves import Move
from trainer.rounds.names import EndReason, MessageKind, MoveKind, StrategyName
from trainer.rounds.offers import EPSILON, concede_toward, raise_demand, shift
from trainer.rounds.policy import Decision, Event, Mind, respond
from trainer.rounds.scenario import Package, Scenario
from trainer.rounds.state import Game, Outcome, Turn
from trainer.rounds.strategies import profile

DEADLINE_TRUST = 0.5  # at the last round a counterpart this trusting takes any deal above its reservation


class IllegalMoveError(ValueError):
    """The move cannot be played in this state; the message says why."""


def start_game(scenario: Scenario, strategy: StrategyName, seed: int) -> Game:
    """A new game: the counterpart has made its opening offer."""
    if strategy not in scenario.strategies:
        raise ValueError(f"scenario {scenario.id} is not playable against {strategy}")
    params = profile(strategy)
    opening = scenario.counterpart_ideal if params.extreme_open else scenario.opening
    value = scenario.counterpart_value(opening)
    mind = Mind(
        aspiration=value,
        opening_value=value,
        fair_value=scenario.counterpart_value(scenario.opening),
        reservation=scenario.reservation,
        trust=params.start_trust,
        anger_left=params.anger_rounds,
    )
    kind = MessageKind.ANGER if params.anger_rounds else MessageKind.OPENING
    game = Game(scenario, strategy, seed, scenario.learner_ideal, opening, mind, opening, "")
    return replace(game, opening_message=_say(game, kind, opening, random.Random(f"{seed}:0"), {}))


def check_move(game: Game, move: Move) -> str | None:
    """Why the move is illegal now, or None if it can be played."""
    scenario = game.scenario
    if game.finished:
        return "the negotiation is over"
    if move.kind is MoveKind.OFFER:
        package = move.package or ()
        if len(package) != len(scenario.issues):
            return "an offer needs one level for every issue"
        if any(not 0 <= level <= issue.top for issue, level in zip(scenario.issues, package, strict=True)):
            return "an offer uses a level that does not exist"
    if move.kind in (MoveKind.CONCEDE, MoveKind.TRADE):
        give = _index(scenario, move.issue)
        if give is None:
            return f"unknown issue {move.issue!r}"
        if move.steps < 1:
            return "a concession moves at least one level"
        if game.ask[give] >= scenario.issues[give].top:
            return f"you already ask for their best level on {scenario.issues[give].name.lower()}"
    if move.kind is MoveKind.TRADE:
        get = _index(scenario, move.get_issue)
        if get is None:
            return f"unknown issue {move.get_issue!r}"
        if get == _index(scenario, move.issue):
            return "a trade gives on one issue and asks on another"
        if move.get_steps < 1:
            return "ask them to move at least one level"
        if game.offer[get] <= game.ask[get]:
            return f"they already offer what you ask on {scenario.issues[get].name.lower()}"
    return None


def legal_moves(game: Game) -> tuple[MoveKind, ...]:
    """The kinds of move that have at least one legal form now."""
    if game.finished:
        return ()
    scenario = game.scenario
    can_give = any(level < issue.top for issue, level in zip(scenario.issues, game.ask, strict=True))
    can_get = any(o > a for o, a in zip(game.offer, game.ask, strict=True))
    kinds = [MoveKind.OFFER]
    if can_give:
        kinds.append(MoveKind.CONCEDE)
    if can_give and can_get and len(scenario.issues) > 1:
        kinds.append(MoveKind.TRADE)
    kinds += [MoveKind.HOLD, MoveKind.ASK, MoveKind.NAME_TACTIC, MoveKind.ACCEPT, MoveKind.WALK_AWAY]
    return tuple(kinds)


def apply_move(game: Game, move: Move) -> tuple[Turn, Game]:
    """Play one learner move; returns the counterpart's reply and the next state."""
    reason = check_move(game, move)
    if reason is not None:
        raise IllegalMoveError(reason)
    scenario = game.scenario
    round_no = game.round + 1
    rng = random.Random(f"{game.seed}:{round_no}")
    if move.kind is MoveKind.ACCEPT:
        return _end(game, move, rng, game.ask, game.offer, game.offer, EndReason.LEARNER_ACCEPTED, MessageKind.CLOSING)
    if move.kind is MoveKind.WALK_AWAY:
        return _end(game, move, rng, game.ask, game.offer, None, EndReason.LEARNER_WALKED, MessageKind.FAREWELL)
    ask, offer = _moved_ask(game, move), game.offer
    value = scenario.counterpart_value
    event = Event(
        move.kind,
        move.tone,
        round_no,
        scenario.round_limit,
        gain=value(ask) - value(game.ask),
        has_conceded=any(turn.learner_gain > 0 for turn in game.turns),
    )
    give_ask, get_offer = game.ask, game.offer
    if move.kind is MoveKind.TRADE:
        give_ask, get_offer = _trade(game, move)
        event = replace(event, trade_gain=value(give_ask) - value(game.ask), trade_cost=value(offer) - value(get_offer))
    decision = respond(profile(game.strategy), game.mind, event, rng)
    mind = decision.mind
    if decision.accept_trade and value(get_offer) >= scenario.reservation - EPSILON:  # never below its floor
        ask, offer = give_ask, get_offer
        mind = replace(mind, aspiration=max(scenario.reservation, min(mind.aspiration, value(offer))))
    if decision.walk:
        return _end(game, move, rng, ask, offer, None, EndReason.COUNTERPART_WALKED, MessageKind.WALK_AWAY, mind)
    if _takes(game, ask, mind, round_no):
        kind = MessageKind.ACCEPT
        return _end(game, move, rng, ask, offer, ask, EndReason.COUNTERPART_ACCEPTED, kind, mind, decision.tell)
    new_offer = (
        raise_demand(scenario, offer) if decision.raise_offer else concede_toward(scenario, offer, ask, mind.aspiration)
    )
    return _continue(game, move, rng, ask, new_offer, replace(decision, mind=mind), value(ask) - value(game.ask))


def _continue(
    game: Game, move: Move, rng: random.Random, ask: Package, offer: Package, decision: Decision, gain: float
) -> tuple[Turn, Game]:
    scenario = game.scenario
    conceded = scenario.counterpart_value(game.offer) - scenario.counterpart_value(offer)
    kind = decision.kind or (MessageKind.CONCESSION if conceded > EPSILON else MessageKind.HOLD)
    mind = replace(decision.mind, last_conceded=max(0.0, conceded))
    moved = [issue.name.lower() for issue, a, b in zip(scenario.issues, game.offer, offer, strict=True) if b < a]
    extra = {"issue": moved[0] if moved else "", **_trade_slots(game, move), **_priority_slots(game, mind)}
    message = _say(game, kind, offer, rng, extra)
    trade = decision.accept_trade if move.kind is MoveKind.TRADE else None
    turn = Turn(game.round + 1, move, ask, offer, kind, message, gain, conceded, trade, mind.trust, decision.tell)
    after = replace(game, ask=ask, offer=offer, mind=mind, turns=(*game.turns, turn))
    if after.round < scenario.round_limit:
        return turn, after
    closing = _say(after, MessageKind.IMPASSE, offer, rng, {})
    return _close(after, turn, f"{message} {closing}", None, EndReason.ROUND_LIMIT)


def _end(
    game: Game,
    move: Move,
    rng: random.Random,
    ask: Package,
    offer: Package,
    deal: Package | None,
    reason: EndReason,
    kind: MessageKind,
    mind: Mind | None = None,
    tell: str = "",
) -> tuple[Turn, Game]:
    mind = mind or game.mind
    value = game.scenario.counterpart_value
    message = _say(game, kind, deal or offer, rng, {})
    trade = None if move.kind is not MoveKind.TRADE else deal is not None
    gain = value(ask) - value(game.ask)
    conceded = value(game.offer) - value(
        deal if deal is not None and reason is EndReason.COUNTERPART_ACCEPTED else offer
    )
    turn = Turn(game.round + 1, move, ask, offer, kind, message, gain, conceded, trade, mind.trust, tell)
    after = replace(game, ask=ask, offer=offer, mind=mind, turns=(*game.turns, turn))
    return _close(after, turn, message, deal, reason)


def _close(game: Game, turn: Turn, message: str, deal: Package | None, reason: EndReason) -> tuple[Turn, Game]:
    scenario = game.scenario
    if deal is None:
        mine, theirs = scenario.walk_away, scenario.reservation
    else:
        mine, theirs = scenario.learner_value(deal), scenario.counterpart_value(deal)
    outcome = Outcome(
        deal is not None, deal, mine, theirs, mine + theirs, scenario.best_joint, game.mind.trust, game.round, reason
    )
    turn = replace(turn, message=message)
    return turn, replace(game, turns=(*game.turns[:-1], turn), outcome=outcome)


def _takes(game: Game, ask: Package, mind: Mind, round_no: int) -> bool:
    """Whether the counterpart accepts the learner's ask now."""
    value = game.scenario.counterpart_value(ask)
    if value < game.scenario.reservation - EPSILON:
        return False
    last = round_no >= game.scenario.round_limit and mind.trust >= DEADLINE_TRUST
    return last or value >= mind.aspiration - EPSILON


def _moved_ask(game: Game, move: Move) -> Package:
    if move.kind is MoveKind.OFFER and move.package is not None:
        return move.package
    if move.kind is MoveKind.CONCEDE:
        index = game.scenario.issue_index(move.issue or "")
        return shift(game.ask, index, move.steps, game.scenario.issues[index].top)
    return game.ask


def _trade(game: Game, move: Move) -> tuple[Package, Package]:
    """The learner's ask after the conditional give, and their offer after the asked-for move."""
    scenario = game.scenario
    give = scenario.issue_index(move.issue or "")
    get = scenario.issue_index(move.get_issue or "")
    ask = shift(game.ask, give, move.steps, scenario.issues[give].top)
    steps = min(move.get_steps, game.offer[get] - game.ask[get])
    return ask, shift(game.offer, get, -steps, scenario.issues[get].top)


def _index(scenario: Scenario, issue_id: str | None) -> int | None:
    try:
        return scenario.issue_index(issue_id or "")
    except KeyError:
        return None


def _trade_slots(game: Game, move: Move) -> dict[str, str]:
    if move.kind is not MoveKind.TRADE:
        return {}
    scenario = game.scenario
    give = scenario.issues[scenario.issue_index(move.issue or "")]
    get = scenario.issues[scenario.issue_index(move.get_issue or "")]
    return {"give_issue": give.name.lower(), "get_issue": get.name.lower()}


def _priority_slots(game: Game, mind: Mind) -> dict[str, str]:
    ranked = [issue.name.lower() for issue in game.scenario.counterpart_priorities()]
    if mind.revealed >= 2:
        return {"priority": ranked[0], "priorities": ", then ".join(ranked)}
    return {"priority": ranked[0], "priorities": f"{ranked[0]} first; the rest I'll keep to myself for now"}


def _say(game: Game, kind: MessageKind, offer: Package, rng: random.Random, extra: dict[str, str]) -> str:
    templates = templates_for(game.scenario.messages, kind)
    values = {
        "offer": game.scenario.describe(offer),
        "round": str(game.round + 1),
        "rounds_left": str(max(0, game.rounds_left - 1)),
        **extra,
    }
    text = render(templates[rng.randrange(len(templates))], values)
    return text[:1].upper() + text[1:]
