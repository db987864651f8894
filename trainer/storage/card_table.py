"""The card browser's queries: the cards that pass the filters, in the chosen order, a page at a time, in SQL.

The library's study cards are copied once (id, deck order, kind, and topic, move and context by name) into a
temporary table on the store's connection; filtering and sorting join it to the schedules, answer tallies and
card marks, so opening the browser reads one page of rows whatever the collection's size.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from trainer.model import CardTally, Phase, Rating
from trainer.storage.store import Store, float_or_none, instant, stamp

_NAMES = itertools.count(1)


@dataclass(frozen=True, slots=True)
class CardFilter:
    """Which cards to list; empty strings mean any. `among`: only these ids (a search's result), or None."""

    topic: str = ""
    move: str = ""
    context: str = ""
    state: str = ""
    among: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class CardFacts:
    """What the store knows of one card; `due`, `stability` and `difficulty` are None for a new card."""

    phase: Phase
    due: datetime | None
    stability: float | None
    difficulty: float | None
    tally: CardTally | None
    suspended: bool
    buried: bool


# Sort keys by column; missing values sort after every real one in ascending order. Ties keep deck order.
ORDER_KEYS = {
    "Situation": ["b.situation_rank"],
    "Topic": ["b.topic_name collate nocase"],
    "Move": ["b.move_name collate nocase"],
    "Context": ["b.context_name collate nocase"],
    "Kind": ["b.kind"],
    "State": ["coalesce(s.phase, 0)", "coalesce(m.suspended, 0)", "m.buried_until > :now"],
    "Due": ["s.due is null", "s.due"],
    "Stability": ["s.stability is null", "s.stability"],
    "Difficulty": ["s.difficulty is null", "s.difficulty"],
    "Reviews": ["coalesce(t.reviews, 0)"],
    "Lapses": ["coalesce(t.lapses, 0)"],
    "Last rating": ["coalesce(a.rating, 0)"],
}
STATE_CLAUSES = {
    "New": "s.card_id is null",
    "Learning": f"s.phase = {int(Phase.LEARNING)}",
    "Review": f"s.phase = {int(Phase.REVIEW)}",
    "Relearning": f"s.phase = {int(Phase.RELEARNING)}",
    "Suspended": "m.suspended = 1",
    "Buried": "m.buried_until > :now",
}
_JOINS = (
    "left join schedules s on s.card_id = b.id left join card_marks m on m.card_id = b.id "
    "left join card_tallies t on t.card_id = b.id left join answers a on a.id = t.last_id"
)


class CardTable:
    """One library's study cards as a temporary table on a store's connection (dropped by `close`)."""

    def __init__(self, store: Store, cards: Iterable[tuple[str, ...]]):
        """`cards`: (id, kind, topic, move, context, and the names of these three) in deck order."""
        self.store = store
        self.name = f"browser_cards_{next(_NAMES)}"
        db = store.db
        db.execute(
            f"create temp table {self.name} (id text primary key, position integer not null, kind text, topic text, "
            "move text, context text, topic_name text, move_name text, context_name text, situation_rank integer)"
        )
        rows = ((card_id, k, kind, *names) for k, (card_id, kind, *names) in enumerate(cards))
        db.conn.executemany(f"insert into temp.{self.name} values (?, ?, ?, ?, ?, ?, ?, ?, ?, null)", rows)
        self.ranked = False

    def close(self) -> None:
        self.store.db.execute(f"drop table if exists temp.{self.name}")

    def rank_situations(self, order: Sequence[str]) -> None:
        """Store each card's place in the order of situations (once; sorting by situation then reads no text)."""
        ranks = ((k, card_id) for k, card_id in enumerate(order))
        self.store.db.conn.executemany(f"update temp.{self.name} set situation_rank = ? where id = ?", ranks)
        self.ranked = True

    def total(self) -> int:
        return int(self.store.db.execute(f"select count(*) from temp.{self.name}").fetchone()[0])

    def count(self, where: CardFilter, now: datetime) -> int:
        clause, params = self._where(where, now)
        sql = f"select count(*) from temp.{self.name} b {_JOINS} {clause}"
        return int(self.store.db.execute(sql, params).fetchone()[0])

    def ids(
        self, where: CardFilter, now: datetime, *, order: str = "", descending: bool = False, offset: int = 0,
        limit: int = -1,
    ) -> list[str]:  # fmt: skip
        """The ids of the cards that pass `where`, sorted by column `order` (deck order when empty)."""
        clause, params = self._where(where, now)
        direction = " desc" if descending else ""
        keys = [f"{key}{direction}" for key in ORDER_KEYS.get(order, [])]
        sql = (
            f"select b.id from temp.{self.name} b {_JOINS} {clause} "
            f"order by {', '.join([*keys, 'b.position'])} limit :limit offset :offset"
        )
        params |= {"limit": limit, "offset": offset}
        return [row[0] for row in self.store.db.execute(sql, params).fetchall()]

    def facts(self, ids: Sequence[str], now: datetime) -> dict[str, CardFacts]:
        """Schedule, tally and marks of each of these cards (a card whose values cannot be read shows as new)."""
        sql = (
            "select b.value, s.phase, s.due, s.stability, s.difficulty, t.reviews, t.lapses, a.rating, "
            "a.reviewed_at, coalesce(m.suspended, 0), coalesce(m.buried_until > :now, 0) "
            f"from json_each(:ids) b {_JOINS.replace('b.id', 'b.value')}"
        )
        rows = self.store.db.execute(sql, {"ids": json.dumps(list(ids)), "now": stamp(now)}).fetchall()
        return {row[0]: self._facts(row) for row in rows}

    def _facts(self, row: tuple[Any, ...]) -> CardFacts:
        _, phase, due, stability, difficulty, reviews, lapses, rating, reviewed_at, suspended, buried = row
        facts = CardFacts(Phase.NEW, None, None, None, None, bool(suspended), bool(buried))
        if phase is not None:
            try:
                read = Phase(phase), instant(due), float_or_none(stability), float_or_none(difficulty)
                facts = replace(facts, phase=read[0], due=read[1], stability=read[2], difficulty=read[3])
            except (ValueError, TypeError):
                self.store.skipped["schedules"] += 1
        if reviews is not None:
            try:
                tally = CardTally(int(reviews), int(lapses), Rating(rating), instant(reviewed_at))
                facts = replace(facts, tally=tally)
            except (ValueError, TypeError):
                self.store.skipped["answers"] += 1
        return facts

    def _where(self, where: CardFilter, now: datetime) -> tuple[str, dict[str, Any]]:
        clauses: list[str] = []
        params: dict[str, Any] = {"now": stamp(now)}
        for column in ("topic", "move", "context"):
            if getattr(where, column):
                clauses.append(f"b.{column} = :{column}")
                params[column] = getattr(where, column)
        if where.state:
            clauses.append(STATE_CLAUSES[where.state])
        if where.among is not None:
            clauses.append("b.id in (select value from json_each(:among))")
            params["among"] = json.dumps(sorted(where.among))
        return (f"where {' and '.join(clauses)}" if clauses else ""), params
