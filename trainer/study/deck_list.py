"""The deck list on home: every study deck, bundled and own, with what is due and new in it and its switch."""

from __future__ import annotations

from dataclasses import dataclass

from trainer.study.days import day_bounds
from trainer.study.session import TINY, StudySession


@dataclass(frozen=True, slots=True)
class DeckRow:
    """One deck as the list shows it. `due` counts cards due today (learning and reviews, held ones left out);
    `new` the cards never studied (not suspended or buried); both ignore the daily limits."""

    id: str
    title: str
    description: str
    path: str
    own: bool
    cards: int
    due: int
    new: int
    enabled: bool


def deck_rows(session: StudySession) -> list[DeckRow]:
    """The study decks in load order (bundled first, then the learner's own), with their counts."""
    now = session.clock()
    _, end = day_bounds(now, session.zone, session.settings.day_start_hour)
    counts = session.card_table.deck_counts(now, now + TINY, end)
    disabled = session.disabled_decks()
    return [
        DeckRow(
            deck.id,
            deck.title,
            deck.description,
            deck.path,
            deck.own,
            len(deck.cards),
            *counts.get(deck.id, (0, 0)),
            deck.id not in disabled,
        )
        for deck in session.library.decks
        if not deck.bank
    ]
