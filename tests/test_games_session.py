"""GameSession and Games: moves stored before the reply, resume, finish, guess, progress and study feeding."""

from __future__ import annotations

import random

import pytest
from rounds_policies import conceder, trader

from trainer.games import Games, GameSession, IllegalMoveError, Move, MoveKind, StrategyName
from trainer.games.study_cards import cards_for_mistakes
from trainer.model import Rating
from trainer.rounds import game_to_dict
from trainer.storage.games import GameStore
from trainer.storage.store import StoreError

SCENARIO = "office-chairs"


@pytest.fixture
def games(store, library, clock) -> Games:
    return Games(store, library, clock=clock)


def play_out(session: GameSession, policy) -> None:
    while not session.finished:
        session.play(policy(session.game))


def test_every_move_is_stored_before_the_reply_is_returned(games, store):
    session = games.start(SCENARIO, StrategyName.EXPLOITER, rng=random.Random(3))
    stored = GameStore(store)
    for number in range(1, 4):
        turn = session.play(conceder(session.game))
        assert turn.round == number
        assert stored.moves(session.game_id) == game_to_dict(session.game)["moves"]
    assert stored.open_game() is not None
    assert stored.open_game().moves == 3


def test_an_illegal_move_or_a_failed_write_stores_nothing_and_leaves_the_game_as_it_was(games, store):
    session = games.start(SCENARIO, StrategyName.TIT_FOR_TAT, rng=random.Random(4))
    with pytest.raises(IllegalMoveError):
        session.play(Move.concede("no-such-issue"))
    store.refuse_writes("the database is damaged")
    with pytest.raises(StoreError):
        session.play(Move.simple(MoveKind.HOLD))
    assert session.game.round == 0
    assert GameStore(store).moves(session.game_id) == []


def test_a_game_left_mid_way_resumes_where_it_stopped(games, store, library, clock):
    session = games.start(SCENARIO, StrategyName.LOGROLLER, rng=random.Random(5))
    for _ in range(3):
        session.play(trader(session.game))
    later = Games(store, library, clock=clock)
    record = later.open_game()
    assert record is not None
    assert record.id == session.game_id
    resumed = later.resume(record)
    assert (resumed.game.ask, resumed.game.offer, resumed.game.turns) == (
        session.game.ask, session.game.offer, session.game.turns,
    )  # fmt: skip
    play_out(resumed, trader)
    assert later.open_game() is None
    assert len(later.progress()) == 1


def test_finishing_stores_the_outcome_and_brings_the_matching_study_cards_forward(
    games, store, library, clock, session
):
    picked = cards_for_mistakes(library, ["E2"], "P")
    studied = library.cards[next(iter(picked))]
    session.answer(studied, Rating.GOOD)  # now due days from now
    game = games.start(SCENARIO, StrategyName.EXPLOITER, rng=random.Random(6))
    clock.advance(minutes=10)
    play_out(game, conceder)
    record = GameStore(store).game(game.game_id)
    outcome = game.game.outcome
    assert outcome is not None
    assert (record.status, record.deal, record.learner_value, record.rounds) == (
        "finished", outcome.deal, outcome.learner_value, outcome.rounds,
    )  # fmt: skip
    codes = [finding.code for finding in game.debrief().findings]
    assert "E2" in codes
    assert list(record.mistakes) == codes
    brought = game.brought_forward()
    assert set(brought.values()) <= set(codes)
    assert all(card in library.cards for card in brought)
    assert all(any(o.mistake == code for o in library.cards[card].options) for card, code in brought.items())
    assert studied.id in brought
    assert store.schedule(studied.id).state.due == clock()
    assert GameStore(store).mistake_card_ids() == set(brought)


def test_the_guess_is_scored_stored_once_and_shown_in_progress_and_on_home(games):
    session = games.start(SCENARIO, StrategyName.EXPLOITER, rng=random.Random(7))
    with pytest.raises(ValueError, match="after the game"):
        session.guess(StrategyName.EXPLOITER)
    play_out(session, trader)
    result = session.guess(StrategyName.EXPLOITER)
    assert result.correct
    assert result.explanation.startswith("Right")
    assert session.guess(StrategyName.TIT_FOR_TAT) is result  # a second guess changes nothing
    [point] = games.progress()
    assert point.guess_right is True
    assert point.scenario_title == "Four hundred office chairs"
    assert point.joint_value == pytest.approx(session.game.outcome.joint_value)
    line = games.last_result()
    assert line.startswith("Last negotiation: Four hundred office chairs: ")
    assert "strategy guessed right" in line


def test_a_surprise_counterpart_is_one_the_scenario_lists_and_another_is_different(games):
    rng = random.Random(8)
    session = games.start(SCENARIO, rng=rng)
    assert session.game.strategy in session.scenario.strategies
    for _ in range(5):
        other = games.another(session, rng=rng)
        assert other.game.strategy is not session.game.strategy
        other.abandon()
    assert games.last_result().startswith("Last negotiation: none yet")


def test_cards_for_mistakes_prefers_the_games_context_and_never_repeats_a_card(library):
    picked = cards_for_mistakes(library, ["E2", "E1", "E2"], "P")
    assert len(picked) == len(set(picked))
    by_code = {code: [c for c, k in picked.items() if k == code] for code in ("E1", "E2")}
    assert all(0 < len(cards) <= 3 for cards in by_code.values())
    assert library.cards[by_code["E2"][0]].context == "P"
    assert cards_for_mistakes(library, [], "P") == {}
