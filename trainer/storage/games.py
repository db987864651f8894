"""Negotiation-rounds games and their moves in the database (SQL for the rounds mode lives here)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from trainer.storage.store import Store, stamp

OPEN, FINISHED, ABANDONED = "open", "finished", "abandoned"
_GAME_SQL = "select g.*, (select count(*) from game_moves m where m.game_id = g.id) as moves from games g"


@dataclass(frozen=True, slots=True)
class GameRecord:
    """One stored game; the outcome fields are None until it is finished, the guess until it is made."""

    id: int
    scenario_id: str
    strategy: str
    seed: int
    started_at: datetime
    status: str
    moves: int
    finished_at: datetime | None = None
    deal: bool | None = None
    learner_value: float | None = None
    counterpart_value: float | None = None
    joint_value: float | None = None
    best_joint_value: float | None = None
    rounds: int | None = None
    guess: str | None = None
    guess_right: bool | None = None
    mistakes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GameResult:
    """What a finished game is stored with."""

    deal: bool
    learner_value: float
    counterpart_value: float
    joint_value: float
    best_joint_value: float
    rounds: int
    mistakes: tuple[str, ...]


class GameStore:
    """Reads and writes games through an open Store; every write is one transaction."""

    def __init__(self, store: Store):
        self.store = store
        self.db = store.db

    def create_game(self, scenario_id: str, strategy: str, seed: int, now: datetime) -> int:
        """Store a new open game; returns its id."""
        row = {"scenario_id": scenario_id, "strategy": strategy, "seed": seed, "started_at": stamp(now), "status": OPEN}
        with self.store.transaction():
            last = self.db.table("games").insert(row).last_pk
        return int(str(last))

    def append_move(self, game_id: int, position: int, move: Mapping[str, Any], now: datetime) -> None:
        """Store one move durably; a second move at the same position fails (StoreError) instead of doubling."""
        row = {"game_id": game_id, "position": position, "move": json.dumps(dict(move)), "made_at": stamp(now)}
        with self.store.transaction():
            self.db.table("game_moves").insert(row)

    def moves(self, game_id: int) -> list[dict[str, Any]]:
        """A game's moves in order, as the plain dicts they were stored from."""
        sql = "select move from game_moves where game_id = ? order by position"
        return [json.loads(row["move"]) for row in self.db.query(sql, [game_id])]

    def finish(self, game_id: int, result: GameResult, now: datetime, cards: Mapping[str, str] | None = None) -> None:
        """Close a game with its outcome, and record the study cards (card id → mistake code) it brings forward."""
        values = {
            "status": FINISHED,
            "finished_at": stamp(now),
            "deal": int(result.deal),
            "learner_value": result.learner_value,
            "counterpart_value": result.counterpart_value,
            "joint_value": result.joint_value,
            "best_joint_value": result.best_joint_value,
            "rounds": result.rounds,
            "mistakes": json.dumps(list(result.mistakes)),
        }
        rows = [{"game_id": game_id, "card_id": card, "mistake": code} for card, code in (cards or {}).items()]
        with self.store.transaction():
            self.db.table("games").update(game_id, values)
            if rows:
                self.db.table("game_cards").insert_all(rows, replace=True)

    def record_guess(self, game_id: int, guess: str, right: bool) -> None:
        """Store the learner's guess of the counterpart's strategy and whether it was right."""
        with self.store.transaction():
            self.db.table("games").update(game_id, {"guess": guess, "guess_right": int(right)})

    def abandon(self, game_id: int) -> None:
        """Set an open game aside: it is neither resumed nor counted."""
        with self.store.transaction():
            self.db.table("games").update(game_id, {"status": ABANDONED})

    def game(self, game_id: int) -> GameRecord:
        rows = list(self.db.query(_GAME_SQL + " where g.id = ?", [game_id]))
        if not rows:
            raise KeyError(game_id)
        return _record(rows[0])

    def open_game(self) -> GameRecord | None:
        """The latest game left mid-way, if any."""
        rows = list(self.db.query(_GAME_SQL + " where g.status = ? order by g.id desc limit 1", [OPEN]))
        return _record(rows[0]) if rows else None

    def finished_games(self) -> list[GameRecord]:
        """Every finished game, oldest first (the progress chart)."""
        sql = _GAME_SQL + " where g.status = ? order by g.finished_at, g.id"
        return [_record(row) for row in self.db.query(sql, [FINISHED])]

    def last_finished_game(self) -> GameRecord | None:
        sql = _GAME_SQL + " where g.status = ? order by g.finished_at desc, g.id desc limit 1"
        rows = list(self.db.query(sql, [FINISHED]))
        return _record(rows[0]) if rows else None

    def mistake_card_ids(self) -> set[str]:
        """Study cards finished games brought forward (the new-card queue shows these first)."""
        sql = "select distinct c.card_id from game_cards c join games g on g.id = c.game_id where g.status = ?"
        return {row["card_id"] for row in self.db.query(sql, [FINISHED])}

    def game_cards(self, game_id: int) -> dict[str, str]:
        """The study cards one game brought forward, each with its mistake code."""
        sql = "select card_id, mistake from game_cards where game_id = ? order by mistake, card_id"
        return {row["card_id"]: row["mistake"] for row in self.db.query(sql, [game_id])}


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _flag(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _codes(text: str | None) -> tuple[str, ...]:
    found: Sequence[Any] = json.loads(text) if text else []
    return tuple(str(code) for code in found)


def _record(row: dict[str, Any]) -> GameRecord:
    started = _when(row["started_at"])
    assert started is not None
    return GameRecord(
        id=row["id"],
        scenario_id=row["scenario_id"],
        strategy=row["strategy"],
        seed=row["seed"],
        started_at=started,
        status=row["status"],
        moves=row["moves"],
        finished_at=_when(row["finished_at"]),
        deal=_flag(row["deal"]),
        learner_value=row["learner_value"],
        counterpart_value=row["counterpart_value"],
        joint_value=row["joint_value"],
        best_joint_value=row["best_joint_value"],
        rounds=row["rounds"],
        guess=row["guess"],
        guess_right=_flag(row["guess_right"]),
        mistakes=_codes(row["mistakes"]),
    )
