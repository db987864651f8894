"""The card browser's listing: filtered and sorted in SQL (trainer.storage.card_table), rows built per page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from trainer.model import Card, CardId, Library, TextIndex
from trainer.storage.card_table import CardFacts, CardFilter, CardTable


@dataclass(frozen=True, slots=True)
class CardRow(CardFacts):
    """One card as the browser lists it: the card, and what the store knows of it (see CardFacts)."""

    card: Card


@dataclass(frozen=True, slots=True)
class CardQuery:
    """What the browser asks for: a search (any case, in the id and text), filters by code or state name
    (empty: any), and an order by column name (empty: deck order)."""

    search: str = ""
    topic: str = ""
    move: str = ""
    context: str = ""
    state: str = ""
    order: str = ""
    descending: bool = False


class CardListing:
    """The study cards of one library, listed from the store a page at a time."""

    def __init__(self, table: CardTable, library: Library, texts: TextIndex):
        self.table = table
        self.library = library
        self.texts = texts
        self._found: tuple[str, frozenset[str]] = ("", frozenset())  # the last search and what it found

    def total(self) -> int:
        return self.table.total()

    def count(self, query: CardQuery, now: datetime) -> int:
        return self.table.count(self._filter(query), now)

    def ids(self, query: CardQuery, now: datetime, offset: int = 0, limit: int = -1) -> list[str]:
        """The ids of the cards that pass the query, in its order, from `offset` (`limit` -1: all)."""
        return self.table.ids(
            self._filter(query), now, order=query.order, descending=query.descending, offset=offset, limit=limit
        )

    def rows(self, ids: Sequence[str], now: datetime) -> list[CardRow]:
        """These cards' rows, in the order given (the table is this library's own, so every id is a card of it)."""
        found = self.table.facts(ids, now)
        rows = []
        for card_id in ids:
            f, card = found[card_id], self.library.cards[CardId(card_id)]
            rows.append(CardRow(f.phase, f.due, f.stability, f.difficulty, f.tally, f.suspended, f.buried, card))
        return rows

    def _filter(self, query: CardQuery) -> CardFilter:
        search = query.search.strip()
        if search and search != self._found[0]:  # counting and each page ask again: search once
            self._found = (search, frozenset(self.texts.matching(search)))
        return CardFilter(query.topic, query.move, query.context, query.state, self._found[1] if search else None)
