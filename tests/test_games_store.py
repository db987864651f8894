"""GameStore: games and moves on a real SQLite file, each write committed on its own."""

from __future__ import annotations

import sqlite3

import pytest

from trainer.storage.games import ABANDONED, FINISHED, OPEN, GameResult, GameStore
from trainer.storage.store import Store, StoreError

RESULT = GameResult(True, 62.5, 48.0, 110.5, 125.0, 4, ("E2", "E1"))


def test_a_game_and_its_moves_are_stored_in_order_and_survive_reopening(store, clock, data_dir):
    games = GameStore(store)
    game_id = games.create_game("office-chairs", "exploiter", 17, clock())
    games.append_move(game_id, 0, {"kind": "hold"}, clock())
    games.append_move(game_id, 1, {"kind": "concede", "issue": "price", "steps": 1}, clock())
    store.close()
    with Store.open(data_dir) as again:
        reopened = GameStore(again)
        record = reopened.open_game()
        assert record is not None
        assert (record.id, record.scenario_id, record.strategy, record.seed) == (
            game_id,
            "office-chairs",
            "exploiter",
            17,
        )
        assert (record.status, record.moves, record.finished_at, record.mistakes) == (OPEN, 2, None, ())
        assert reopened.moves(game_id) == [{"kind": "hold"}, {"kind": "concede", "issue": "price", "steps": 1}]


def test_a_second_move_at_the_same_position_fails_instead_of_doubling(store, clock):
    games = GameStore(store)
    game_id = games.create_game("office-chairs", "exploiter", 1, clock())
    games.append_move(game_id, 0, {"kind": "hold"}, clock())
    with pytest.raises(StoreError):
        games.append_move(game_id, 0, {"kind": "ask"}, clock())
    assert games.moves(game_id) == [{"kind": "hold"}]


def test_finish_stores_the_outcome_the_mistakes_and_the_cards_then_the_guess(store, clock):
    games = GameStore(store)
    first = games.create_game("office-chairs", "exploiter", 1, clock())
    clock.advance(minutes=5)
    games.finish(first, RESULT, clock(), {"card-a": "E2", "card-b": "E1"})
    record = games.game(first)
    assert (record.status, record.deal, record.learner_value, record.joint_value) == (FINISHED, True, 62.5, 110.5)
    assert (record.best_joint_value, record.rounds, record.mistakes) == (125.0, 4, ("E2", "E1"))
    assert record.guess is None
    assert record.guess_right is None
    games.record_guess(first, "tit-for-tat", False)
    assert (games.game(first).guess, games.game(first).guess_right) == ("tit-for-tat", False)
    assert games.game_cards(first) == {"card-b": "E1", "card-a": "E2"}
    assert games.mistake_card_ids() == {"card-a", "card-b"}
    assert games.open_game() is None


def test_finished_games_are_listed_oldest_first_and_abandoned_ones_are_left_out(store, clock):
    games = GameStore(store)
    ids = []
    for seed in range(3):
        clock.advance(hours=1)
        ids.append(games.create_game("office-chairs", "logroller", seed, clock()))
    games.finish(ids[1], RESULT, clock())
    clock.advance(hours=1)
    games.finish(ids[0], RESULT, clock(), {"card-c": "E5"})
    games.abandon(ids[2])
    assert [g.id for g in games.finished_games()] == [ids[1], ids[0]]
    last = games.last_finished_game()
    assert last is not None
    assert last.id == ids[0]
    assert games.open_game() is None
    assert games.game(ids[2]).status == ABANDONED
    assert games.mistake_card_ids() == {"card-c"}


def test_a_write_refused_after_a_failed_check_changes_nothing(store, clock):
    games = GameStore(store)
    game_id = games.create_game("office-chairs", "logroller", 3, clock())
    store.refuse_writes("the database is damaged")
    with pytest.raises(StoreError, match="damaged"):
        games.append_move(game_id, 0, {"kind": "hold"}, clock())
    assert games.moves(game_id) == []


def test_the_schema_keeps_moves_tied_to_their_game(store, clock):
    store.db.execute("PRAGMA foreign_keys = ON")
    sql = "insert into game_moves (game_id, position, move, made_at) values (999, 0, '{}', ?)"
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute(sql, [clock().isoformat()])
