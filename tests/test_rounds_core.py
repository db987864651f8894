"""Negotiation rounds: the engine, the strategies as experiments, replay and the debrief."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rounds_policies import POLICIES, Policy, asker_trader, conceder, matcher, play, splitter, stonewaller, trader

from trainer import rounds
from trainer.rounds import (
    EndReason,
    Game,
    IllegalMoveError,
    MessageKind,
    Move,
    MoveKind,
    Scenario,
    StrategyName,
    Tone,
    apply_move,
    debrief,
    game_to_dict,
    legal_moves,
    replay,
    score_guess,
    start_game,
)

FOLDER = Path(__file__).resolve().parent.parent / "content" / "scenarios"
SEEDS = range(6)


@pytest.fixture(scope="module")
def scenarios() -> list[Scenario]:
    found, problems = rounds.load_scenarios(FOLDER)
    assert not problems, problems
    return found


def _games(scenarios: list[Scenario], strategy: StrategyName, policy: Policy) -> list[Game]:
    return [play(s, strategy, seed, policy) for s in scenarios if strategy in s.strategies for seed in SEEDS]


def _mean(games: list[Game], field: str) -> float:
    return statistics.mean(getattr(game.outcome, field) for game in games)


def test_against_the_exploiter_conditional_trading_beats_unconditional_conceding(scenarios):
    naked = _games(scenarios, StrategyName.EXPLOITER, conceder)
    conditional = _games(scenarios, StrategyName.EXPLOITER, trader)
    assert _mean(conditional, "learner_value") >= _mean(naked, "learner_value") + 20
    assert all(any(t.reply is MessageKind.RAISE for t in game.turns) for game in naked)


def test_against_tit_for_tat_matching_closes_more_deals_than_stonewalling(scenarios):
    matched = _games(scenarios, StrategyName.TIT_FOR_TAT, matcher)
    stonewalled = _games(scenarios, StrategyName.TIT_FOR_TAT, stonewaller)
    assert _mean(matched, "deal") >= 0.8
    assert _mean(stonewalled, "deal") <= 0.2


def test_against_the_logroller_asking_and_trading_beats_splitting_each_issue(scenarios):
    traded = _games(scenarios, StrategyName.LOGROLLER, asker_trader)
    split = _games(scenarios, StrategyName.LOGROLLER, splitter)
    assert _mean(traded, "joint_value") >= _mean(split, "joint_value") + 5
    assert any(t.reply is MessageKind.REVEAL for game in traded for t in game.turns)


@pytest.mark.parametrize("policy", sorted(POLICIES))
def test_every_game_ends_within_the_round_limit(scenarios, policy):
    for scenario in scenarios:
        for strategy in scenario.strategies:
            game = play(scenario, strategy, 7, POLICIES[policy])
            assert game.outcome is not None
            assert game.outcome.rounds == len(game.turns) <= scenario.round_limit
            if game.outcome.reason is EndReason.ROUND_LIMIT:
                assert game.round == scenario.round_limit


def _random_move(game: Game, data: st.DataObject) -> Move:
    scenario = game.scenario
    kind = data.draw(st.sampled_from(legal_moves(game)))
    tone = data.draw(st.sampled_from(list(Tone)))
    ids = [issue.id for issue in scenario.issues]
    if kind is MoveKind.OFFER:
        return Move.offer(tuple(data.draw(st.integers(0, issue.top)) for issue in scenario.issues), tone)
    if kind is MoveKind.CONCEDE:
        return Move.concede(data.draw(st.sampled_from(ids)), data.draw(st.integers(1, 3)), tone)
    if kind is MoveKind.TRADE:
        give, get = data.draw(st.permutations(ids))[:2]
        return Move.trade(get, data.draw(st.integers(1, 2)), give, data.draw(st.integers(1, 2)), tone)
    return Move.simple(kind, tone)


@settings(max_examples=60, deadline=None)
@given(data=st.data(), index=st.integers(0, 7), seed=st.integers(0, 10_000))
def test_random_play_stays_within_the_scenarios_bounds(scenarios, data, index, seed):
    scenario = scenarios[index % len(scenarios)]
    strategy = data.draw(st.sampled_from(scenario.strategies))
    game = start_game(scenario, strategy, seed)
    while not game.finished:
        move = _random_move(game, data)
        if rounds.check_move(game, move) is not None:
            with pytest.raises(IllegalMoveError):
                apply_move(game, move)
            move = Move.simple(MoveKind.HOLD)
        turn, game = apply_move(game, move)
        assert 0 <= scenario.learner_value(turn.ask) <= 100
        assert 0 <= scenario.counterpart_value(turn.offer) <= 100
        assert scenario.counterpart_value(turn.offer) >= scenario.reservation - 1e-9
        assert 0 <= turn.trust <= 1
        assert "{" not in turn.message
        assert turn.message
    outcome = game.outcome
    assert outcome is not None
    assert outcome.rounds <= scenario.round_limit
    assert outcome.joint_value <= scenario.best_joint + 1e-9
    if outcome.deal:
        assert outcome.counterpart_value >= scenario.reservation - 1e-9
    else:
        assert (outcome.learner_value, outcome.counterpart_value) == (scenario.walk_away, scenario.reservation)
    assert replay(scenario, game_to_dict(game)).turns == game.turns


def test_same_seed_and_moves_give_the_same_game_and_a_saved_game_resumes(scenarios):
    scenario = scenarios[0]
    first = play(scenario, StrategyName.GENEROUS, 42, matcher)
    second = play(scenario, StrategyName.GENEROUS, 42, matcher)
    assert first.turns == second.turns
    assert first.outcome == second.outcome
    halfway = replay(scenario, {**game_to_dict(first), "moves": game_to_dict(first)["moves"][:3]})
    assert halfway.round == 3
    assert not halfway.finished
    resumed = halfway
    for turn in first.turns[3:]:
        _, resumed = apply_move(resumed, turn.move)
    assert resumed.turns == first.turns


def test_a_damaged_save_is_reported_not_raised_as_a_traceback(scenarios):
    scenario = scenarios[0]
    saved = game_to_dict(play(scenario, StrategyName.TIT_FOR_TAT, 1, matcher))
    with pytest.raises(rounds.ReplayError, match="move 2"):
        replay(scenario, {**saved, "moves": [{"kind": "hold"}, {"kind": "concede", "issue": "nope", "steps": 1}]})
    with pytest.raises(rounds.ReplayError):
        replay(scenario, {**saved, "strategy": "bully"})


def test_generous_tit_for_tat_forgives_a_lapse_and_plain_tit_for_tat_does_not(scenarios):
    scenario = scenarios[0]
    moves = [Move.concede(scenario.issues[1].id, 2), Move.simple(MoveKind.HOLD)]
    replies = {}
    for strategy in (StrategyName.TIT_FOR_TAT, StrategyName.GENEROUS):
        game = start_game(scenario, strategy, 3)
        for move in moves:
            turn, game = apply_move(game, move)
        replies[strategy] = turn.conceded
    assert replies[StrategyName.TIT_FOR_TAT] == 0
    assert replies[StrategyName.GENEROUS] > 0


def test_calm_ends_the_anger_and_firmness_prolongs_it(scenarios):
    scenario = next(s for s in scenarios if StrategyName.ANGRY in s.strategies)
    game = start_game(scenario, StrategyName.ANGRY, 0)
    warm, _ = apply_move(game, Move.simple(MoveKind.HOLD, Tone.WARM))
    assert warm.reply is MessageKind.CALM
    for _ in range(3):
        firm, game = apply_move(game, Move.simple(MoveKind.HOLD, Tone.FIRM))
        assert firm.reply is MessageKind.ANGER


def test_naming_the_exploiters_pattern_makes_it_back_off(scenarios):
    scenario = scenarios[0]
    game = start_game(scenario, StrategyName.EXPLOITER, 0)
    raised, game = apply_move(game, Move.concede(scenario.issues[0].id, 2))
    assert raised.reply is MessageKind.RAISE
    assert raised.conceded < 0
    named, game = apply_move(game, Move.simple(MoveKind.NAME_TACTIC))
    assert named.reply is MessageKind.CALM
    assert game.mind.bonus == 0


def test_the_debrief_names_the_pattern_and_the_strategy(scenarios):
    scenario = scenarios[0]
    naked = debrief(play(scenario, StrategyName.EXPLOITER, 0, conceder))
    assert {"E2", "E13"} <= {f.code for f in naked.findings}
    assert naked.shown_round == 1
    assert naked.left_on_table > 20
    assert [p.round for p in naked.series] == list(range(naked.outcome.rounds + 1))
    split = debrief(play(scenario, StrategyName.LOGROLLER, 0, splitter))
    assert "E5" in {f.code for f in split.findings}
    walked = start_game(scenario, StrategyName.GENEROUS, 0)
    _, walked = apply_move(walked, Move.simple(MoveKind.WALK_AWAY))
    assert [f.code for f in debrief(walked).findings] == ["E7"]
    good = debrief(play(scenario, StrategyName.TIT_FOR_TAT, 0, matcher))
    assert not {"E2", "E5", "E7", "E13"} & {f.code for f in good.findings}
    assert all(isinstance(line, str) and line for line in good.lines)


def test_a_strategy_guess_is_scored_with_an_explanation(scenarios):
    game = play(scenarios[0], StrategyName.EXPLOITER, 0, conceder)
    right = score_guess(game, StrategyName.EXPLOITER)
    wrong = score_guess(game, StrategyName.LOGROLLER)
    assert right.correct
    assert "round 1" in right.explanation
    assert not wrong.correct
    assert "exploiter" in wrong.explanation.lower()


def test_illegal_moves_are_refused_with_a_reason(scenarios):
    scenario = scenarios[0]
    game = start_game(scenario, StrategyName.TIT_FOR_TAT, 0)
    for move in (Move.offer((0,)), Move.concede("nope"), Move.trade("price", 1, "price", 1), Move.concede("price", 0)):
        assert rounds.check_move(game, move)
        with pytest.raises(IllegalMoveError):
            apply_move(game, move)
    _, done = apply_move(game, Move.simple(MoveKind.ACCEPT))
    assert done.finished
    assert legal_moves(done) == ()
    assert done.outcome is not None
    assert done.outcome.learner_value == scenario.learner_value(scenario.opening)


def test_moves_round_trip_through_plain_dicts():
    for move in (Move.offer((1, 2), Tone.WARM), Move.concede("a", 2), Move.trade("a", 1, "b", 2, Tone.FIRM)):
        assert Move.from_dict(move.to_dict()) == move
    with pytest.raises(ValueError, match="move kind"):
        Move.from_dict({"kind": "threaten"})
