"""Scripted learner policies for the negotiation-rounds experiments (used by the tests)."""

from __future__ import annotations

from collections.abc import Callable

from trainer.rounds import Game, Move, MoveKind, Scenario, apply_move, start_game
from trainer.rounds.names import MessageKind, StrategyName

Policy = Callable[[Game], Move]


def _weights(scenario: Scenario) -> list[float]:
    return [issue.learner_weight() for issue in scenario.issues]


def _accept_rule(game: Game) -> bool:
    scenario = game.scenario
    value = scenario.learner_value(game.offer)
    return value >= scenario.target or (game.rounds_left == 1 and value >= scenario.walk_away)


def _cheapest_give(game: Game) -> int | None:
    """The issue where one more level costs the learner least."""
    scenario = game.scenario
    options = []
    for index, issue in enumerate(scenario.issues):
        level = game.ask[index]
        if level < min(issue.top, game.offer[index]):
            options.append((issue.levels[level].learner - issue.levels[level + 1].learner, index))
    return min(options)[1] if options else None


def conceder(game: Game) -> Move:
    """Gives one level each round, asking nothing back."""
    if _accept_rule(game):
        return Move.simple(MoveKind.ACCEPT)
    give = _cheapest_give(game)
    return Move.simple(MoveKind.HOLD) if give is None else Move.concede(game.scenario.issues[give].id)


def stonewaller(game: Game) -> Move:
    """Never moves."""
    return Move.simple(MoveKind.ACCEPT) if _accept_rule(game) else Move.simple(MoveKind.HOLD)


def matcher(game: Game) -> Move:
    """Opens with one small concession, then concedes one level only after they concede."""
    if _accept_rule(game):
        return Move.simple(MoveKind.ACCEPT)
    their_move = not game.turns or game.turns[-1].conceded > 0
    give = _cheapest_give(game)
    if not their_move or give is None:
        return Move.simple(MoveKind.HOLD)
    return Move.concede(game.scenario.issues[give].id)


def _trade(game: Game, order: list[float]) -> Move | None:
    """The best untried trade: get a level where order is high, give one where it is low."""
    scenario = game.scenario
    refused = {(t.move.get_issue, t.move.issue) for t in game.turns if t.trade_accepted is False}
    pairs = []
    for get, get_issue in enumerate(scenario.issues):
        for give, give_issue in enumerate(scenario.issues):
            if get == give or (get_issue.id, give_issue.id) in refused:
                continue
            if game.offer[get] > game.ask[get] and game.ask[give] < min(give_issue.top, game.offer[give]):
                pairs.append((order[get] - order[give], get_issue.id, give_issue.id))
    if not pairs:
        return None
    score, get_id, give_id = max(pairs)
    return Move.trade(get_id, 1, give_id, 1) if score > 0 else None


def trader(game: Game) -> Move:
    """Makes every give conditional: "if you move on my big issue, I move on my small one"."""
    if _accept_rule(game):
        return Move.simple(MoveKind.ACCEPT)
    return _trade(game, _weights(game.scenario)) or Move.simple(MoveKind.HOLD)


def asker_trader(game: Game) -> Move:
    """Asks about their priorities first, then trades what is cheap for them for what matters to the learner."""
    if _accept_rule(game):
        return Move.simple(MoveKind.ACCEPT)
    scenario = game.scenario
    revealed = any(turn.reply is MessageKind.REVEAL for turn in game.turns)
    if not revealed and game.round < 2:
        return Move.simple(MoveKind.ASK)
    order = _weights(scenario)
    if revealed:
        ranked = [issue.id for issue in scenario.counterpart_priorities()]
        n = len(ranked)
        order = [w / (n - ranked.index(issue.id)) for w, issue in zip(order, scenario.issues, strict=True)]
    return _trade(game, order) or matcher(game)


def splitter(game: Game) -> Move:
    """Meets them in the middle on every issue at once, round after round."""
    if _accept_rule(game):
        return Move.simple(MoveKind.ACCEPT)
    middle = tuple((a + o) // 2 for a, o in zip(game.ask, game.offer, strict=True))
    if middle == game.ask:
        return Move.simple(MoveKind.HOLD)
    return Move.offer(middle)


POLICIES: dict[str, Policy] = {
    "conceder": conceder,
    "stonewaller": stonewaller,
    "matcher": matcher,
    "trader": trader,
    "asker-trader": asker_trader,
    "splitter": splitter,
}


def play(scenario: Scenario, strategy: StrategyName, seed: int, policy: Policy) -> Game:
    """A whole game with a scripted learner."""
    game = start_game(scenario, strategy, seed)
    while not game.finished:
        _, game = apply_move(game, policy(game))
    return game
