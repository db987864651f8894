"""The card browser's queries: the cards that pass the filters, in the chosen order, a page at a time, in SQL.

The card index the queries read is the content cache's own `cards` table, attached to the store's connection
(nothing to build); a library loaded without the cache gets the columns the queries use in a temporary table.
Filtering and sorting join it to the schedules, answer tallies and card marks, and only the joins a query needs,
so opening the browser reads one page of rows whatever the collection's size.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from trainer.model import CardTally, Library, Phase, Rating
from trainer.storage.content_cache import cache_file
from trainer.storage.store import Store, float_or_none, instant, memory_sql, stamp

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


# The joins a query may need, by the alias it uses.
_JOINS = {
    "s": "left join schedules s indexed by schedules_facts on s.card_id = {key}",  # covering: no FSRS state read
    "m": "left join card_marks m on m.card_id = {key}",
    "t": "left join card_tallies t on t.card_id = {key}",
    "a": "left join answers a on a.id = t.last_id",
    "topic": "left join {names} topic on topic.axis = 'topic' and topic.code = b.topic",
    "move": "left join {names} move on move.axis = 'move' and move.code = b.move",
    "context": "left join {names} context on context.axis = 'context' and context.code = b.context",
}
# The phase a row shows: a schedule whose phase or due cannot be read shows as new (see `_facts`).
_PHASE = (
    f"(case when s.phase in ({int(Phase.LEARNING)}, {int(Phase.REVIEW)}, {int(Phase.RELEARNING)}) "
    "and julianday(s.due) is not null then s.phase else 0 end)"
)
# Sort keys by column (and the joins they need); missing values sort after every real one in ascending order.
# Ties keep deck order.
ORDER_KEYS: dict[str, tuple[list[str], tuple[str, ...]]] = {
    "Situation": (["b.sort_key"], ()),
    "Topic": (["topic.key"], ("topic",)),
    "Move": (["move.key"], ("move",)),
    "Context": (["context.key"], ("context",)),
    "Kind": (["b.kind"], ()),
    "State": ([_PHASE, "coalesce(m.suspended, 0)", "coalesce(m.buried_until > :now, 0)"], ("s", "m")),
    "Due": (["s.due is null", "s.due"], ("s",)),
    "Stability": (["s.stability is null", "s.stability"], ("s",)),
    "Difficulty": (["s.difficulty is null", "s.difficulty"], ("s",)),
    "Reviews": (["coalesce(t.reviews, 0)"], ("t",)),
    "Lapses": (["coalesce(t.lapses, 0)"], ("t",)),
    "Last rating": (["coalesce(a.rating, 0)"], ("t", "a")),
}
STATE_CLAUSES = {
    "New": (f"{_PHASE} = 0", "s"),
    "Learning": (f"{_PHASE} = {int(Phase.LEARNING)}", "s"),
    "Review": (f"{_PHASE} = {int(Phase.REVIEW)}", "s"),
    "Relearning": (f"{_PHASE} = {int(Phase.RELEARNING)}", "s"),
    "Suspended": ("m.suspended = 1", "m"),
    "Buried": ("m.buried_until > :now", "m"),
}


class CardTable:
    """One library's study cards as a table on a store's connection: the content cache attached, or a temporary
    copy (`close` detaches or drops it)."""

    def __init__(self, store: Store, library: Library):
        self.store = store
        self._total: int | None = None
        number = next(_NAMES)
        self.names = f"temp.browser_names_{number}"
        db = store.db
        cache = cache_file(library)
        if cache is not None:
            self.schema = f"content_{number}"
            db.execute(f"attach database ? as {self.schema}", [str(cache)])
            self.cards = f"{self.schema}.cards"
        else:
            self.schema = ""
            self.cards = f"temp.browser_cards_{number}"
            db.execute(
                f"create table {self.cards} (position integer primary key, id text unique, deck_id text, kind text, "
                "topic text, move text, context text, bank integer, sort_key text)"
            )
            rows = (
                (c.id, c.deck_id, c.kind, c.topic, c.move, c.context, c.bank, c.situation.casefold())
                for deck in library.decks
                for c in deck.cards
            )
            with db.conn:  # committed at once: the store's connection never stays inside a transaction
                db.conn.executemany(f"insert into {self.cards} values (null, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        taxonomy = library.taxonomy
        db.execute(f"create table {self.names} (axis text, code text, key text, primary key (axis, code))")
        names = [  # each name's sort key, case-folded as Python does it (SQLite's nocase folds ASCII only)
            (axis, code, name.casefold())
            for axis, named in (("topic", taxonomy.topics), ("move", taxonomy.moves), ("context", taxonomy.contexts))
            for code, name in named.items()
        ]
        with db.conn:
            db.conn.executemany(f"insert into {self.names} values (?, ?, ?)", names)

    def close(self) -> None:
        """Detach the cache or drop the copy (again: nothing)."""
        db = self.store.db
        db.execute(f"drop table if exists {self.names}")
        if self.schema and self.schema in {row[1] for row in db.execute("pragma database_list")}:
            db.execute(f"detach database {self.schema}")
        elif not self.schema:
            db.execute(f"drop table if exists {self.cards}")

    def total(self) -> int:
        """How many study cards (the table never changes while it is open)."""
        if self._total is None:
            sql = f"select count(*) from {self.cards} where bank = 0"
            self._total = int(self.store.db.execute(sql).fetchone()[0])
        return self._total

    def count(self, where: CardFilter, now: datetime) -> int:
        clause, joins, params = self._where(where, now)
        sql = f"select count(*) from {self.cards} b {self._joins(joins)} {clause}"
        return int(self.store.db.execute(sql, params).fetchone()[0])

    def ids(
        self, where: CardFilter, now: datetime, *, order: str = "", descending: bool = False, offset: int = 0,
        limit: int = -1,
    ) -> list[str]:  # fmt: skip
        """The ids of the cards that pass `where`, sorted by column `order` (deck order when empty)."""
        clause, joins, params = self._where(where, now)
        keys, needed = ORDER_KEYS.get(order, ([], ()))
        direction = " desc" if descending else ""
        terms = [*(f"{key}{direction}" for key in keys), "b.position"]
        sql = (
            f"select b.id from {self.cards} b {self._joins(joins | set(needed))} {clause} "
            f"order by {', '.join(terms)} limit :limit offset :offset"
        )
        params |= {"limit": limit, "offset": offset}
        return [row[0] for row in self.store.db.execute(sql, params).fetchall()]

    def facts(self, ids: Sequence[str], now: datetime) -> dict[str, CardFacts]:
        """Schedule, tally and marks of each of these cards (a card whose values cannot be read shows as new)."""
        sql = (
            "select b.value, s.phase, s.due, s.stability, s.difficulty, t.reviews, t.lapses, a.rating, "
            "a.reviewed_at, coalesce(m.suspended, 0), coalesce(m.buried_until > :now, 0) "
            f"from json_each(:ids) b {self._joins(set('smta'), key='b.value')}"
        )
        rows = self.store.db.execute(sql, {"ids": json.dumps(list(ids)), "now": stamp(now)}).fetchall()
        return {row[0]: self._facts(row) for row in rows}

    # Grouped counts for home and statistics: a handful of rows, whatever the number of cards.

    def durable_by_topic(
        self, now: datetime, min_stability: float, left_out: set[str]
    ) -> dict[str, tuple[int, int, int]]:
        """Per topic: (cards, studied, durable) over the study cards of decks not `left_out`. Durable: stability
        of at least `min_stability` days and no more whole days since the last review than the stability
        (see `Store.durable_flags`). A schedule whose values cannot be read counts as not studied, and skipped."""
        readable, durable = memory_sql("s")
        sql = (
            f"select b.topic, count(*), coalesce(sum({readable}), 0), coalesce(sum({readable} and {durable}), 0), "
            f"coalesce(sum(s.last_review is not null and not ({readable})), 0) "
            f"from {self.cards} b {self._joins({'s'})} "
            "where b.bank = 0 and b.deck_id not in (select value from json_each(:left_out)) group by b.topic"
        )
        params = {"min": min_stability, "now": stamp(now), "left_out": json.dumps(sorted(left_out))}
        found = {}
        for topic, cards, studied, durable_count, unreadable in self.store.db.execute(sql, params).fetchall():
            found[topic] = (int(cards), int(studied), int(durable_count))
            self.store.skipped["schedules"] += int(unreadable)
        return found

    def deck_counts(
        self, now: datetime, learning_before: datetime, review_before: datetime
    ) -> dict[str, tuple[int, int]]:
        """Per deck: (due, new) study cards not held at `now` (suspended, or buried till later). Due: learning or
        relearning before `learning_before`, or in review before `review_before`."""
        learning = f"s.phase in ({int(Phase.LEARNING)}, {int(Phase.RELEARNING)}) and s.due < :learning"
        review = f"s.phase = {int(Phase.REVIEW)} and s.due < :review"
        held = "coalesce(m.suspended = 1 or m.buried_until > :now, 0)"
        sql = (
            f"select b.deck_id, coalesce(sum(not {held} and (({learning}) or ({review}))), 0), "
            f"coalesce(sum(not {held} and s.card_id is null), 0) "
            f"from {self.cards} b {self._joins({'s', 'm'})} where b.bank = 0 group by b.deck_id"
        )
        params = {"now": stamp(now), "learning": stamp(learning_before), "review": stamp(review_before)}
        return {row[0]: (int(row[1]), int(row[2])) for row in self.store.db.execute(sql, params).fetchall()}

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

    def _joins(self, needed: set[str], key: str = "b.id") -> str:
        return " ".join(_JOINS[alias].format(names=self.names, key=key) for alias in _JOINS if alias in needed)

    def _where(self, where: CardFilter, now: datetime) -> tuple[str, set[str], dict[str, Any]]:
        clauses = ["b.bank = 0"]
        joins: set[str] = set()
        params: dict[str, Any] = {"now": stamp(now)}
        for column in ("topic", "move", "context"):
            if getattr(where, column):
                clauses.append(f"b.{column} = :{column}")
                params[column] = getattr(where, column)
        if where.state:
            clause, join = STATE_CLAUSES[where.state]
            clauses.append(clause)
            joins.add(join)
        if where.among is not None:
            clauses.append("b.id in (select value from json_each(:among))")
            params["among"] = json.dumps(sorted(where.among))
        return f"where {' and '.join(clauses)}", joins, params
