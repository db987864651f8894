"""Quiz attempts and items in the database (SQL for the quiz lives here, beside storage.py)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from trainer.model import AttemptState, CardId, QuizAttempt, QuizItem
from trainer.storage.store import Store, stamp

PlannedItem = tuple[CardId, Sequence[str], str] | tuple[CardId, Sequence[str]]
"""A planned item: the card, the option order to show, and its source ("bank", or "deck" when left out)."""
_ATTEMPT_SQL = """
select a.*, avg(coalesce(i.score, i.quality / 3.0)) as score, count(i.answered_at) as answered
from quiz_attempts a left join quiz_items i on i.attempt_id = a.id
"""


class QuizStore:
    """Reads and writes quiz attempts through an open Store; every write is one transaction."""

    def __init__(self, store: Store):
        self.store = store
        self.db = store.db

    def create_attempt(
        self,
        mode: str,
        topics: Sequence[str],
        plan: Sequence[PlannedItem],
        now: datetime,
        *,
        quiz_format: str = "best",
        include_studied: bool = False,
    ) -> int:
        """Store a new attempt with its items planned (card, option order, source); returns its id."""
        with self.store.transaction():
            attempt = {
                "started_at": stamp(now),
                "mode": mode,
                "topics": json.dumps(list(topics)),
                "length": len(plan),
                "status": AttemptState.OPEN,
                "format": quiz_format,
                "include_studied": int(include_studied),
            }
            last = self.db.table("quiz_attempts").insert(attempt).last_pk
            assert last is not None
            attempt_id = int(last)
            rows = [
                {
                    "attempt_id": attempt_id,
                    "position": i,
                    "card_id": entry[0],
                    "option_order": json.dumps(list(entry[1])),
                    "source": entry[2] if len(entry) > 2 else "deck",
                }
                for i, entry in enumerate(plan)
            ]
            self.db.table("quiz_items").insert_all(rows)
        return attempt_id

    def attempt(self, attempt_id: int) -> QuizAttempt:
        rows = list(self.db.query(_ATTEMPT_SQL + " where a.id = ? group by a.id", [attempt_id]))
        return _attempt(rows[0])

    def open_attempt(self) -> QuizAttempt | None:
        """The latest unfinished attempt, if any (a quiz left mid-way)."""
        sql = _ATTEMPT_SQL + " where a.status = ? group by a.id order by a.id desc limit 1"
        rows = list(self.db.query(sql, [AttemptState.OPEN]))
        return _attempt(rows[0]) if rows else None

    def finished_attempts(self) -> list[QuizAttempt]:
        sql = _ATTEMPT_SQL + " where a.status = ? group by a.id order by a.finished_at"
        return [_attempt(row) for row in self.db.query(sql, [AttemptState.FINISHED])]

    def items(self, attempt_id: int) -> list[QuizItem]:
        sql = "select * from quiz_items where attempt_id = ? order by position"
        return [_item(row) for row in self.db.query(sql, [attempt_id])]

    def answer_item(
        self,
        item_id: int,
        option_id: str,
        quality: int,
        confidence: int,
        duration_ms: int,
        now: datetime,
        *,
        worst_id: str | None = None,
        score: float | None = None,
    ) -> None:
        """Record the answer to one item (the worst choice too, in best-and-worst), durably, before the next shows."""
        values = {
            "option_id": option_id,
            "worst_id": worst_id,
            "score": score,
            "quality": quality,
            "confidence": confidence,
            "duration_ms": max(int(duration_ms), 0),
            "answered_at": stamp(now),
        }
        with self.store.transaction():
            self.db.table("quiz_items").update(item_id, values)

    def last_attempt(self) -> QuizAttempt | None:
        """The most recently started attempt of any status (the set-up dialog starts from its choices)."""
        rows = list(self.db.query(_ATTEMPT_SQL + " group by a.id order by a.id desc limit 1"))
        return _attempt(rows[0]) if rows else None

    def finish(self, attempt_id: int, now: datetime) -> None:
        with self.store.transaction():
            self.db.table("quiz_attempts").update(
                attempt_id, {"status": AttemptState.FINISHED, "finished_at": stamp(now)}
            )

    def discard(self, attempt_id: int) -> None:
        with self.store.transaction():
            self.db.table("quiz_attempts").update(attempt_id, {"status": AttemptState.DISCARDED})

    def weakly_answered_card_ids(self) -> set[str]:
        """Study cards answered with less than the best option in any finished or open attempt."""
        sql = (
            "select distinct i.card_id from quiz_items i join quiz_attempts a on a.id = i.attempt_id "
            "where i.quality < 3 and i.source = 'deck' and a.status != ?"
        )
        return {row["card_id"] for row in self.db.query(sql, [AttemptState.DISCARDED])}

    def finished_responses(self) -> list[QuizItem]:
        """Every answered item of every finished attempt, for item statistics."""
        sql = (
            "select i.* from quiz_items i join quiz_attempts a on a.id = i.attempt_id "
            "where a.status = ? and i.answered_at is not null order by i.attempt_id, i.position"
        )
        return [_item(row) for row in self.db.query(sql, [AttemptState.FINISHED])]


def _attempt(row: dict[str, Any]) -> QuizAttempt:
    return QuizAttempt(
        id=row["id"],
        started_at=datetime.fromisoformat(row["started_at"]),
        mode=row["mode"],
        topics=tuple(json.loads(row["topics"])),
        length=row["length"],
        status=row["status"],
        finished_at=datetime.fromisoformat(row["finished_at"]) if row["finished_at"] else None,
        score=row["score"],
        answered=row["answered"],
        format=row["format"],
        include_studied=bool(row["include_studied"]),
    )


def _item(row: dict[str, Any]) -> QuizItem:
    return QuizItem(
        id=row["id"],
        attempt_id=row["attempt_id"],
        position=row["position"],
        card_id=CardId(row["card_id"]),
        option_order=tuple(json.loads(row["option_order"])),
        option_id=row["option_id"],
        quality=row["quality"],
        confidence=row["confidence"],
        duration_ms=row["duration_ms"],
        source=row["source"],
        worst_id=row["worst_id"],
        score=row["score"],
    )
