"""The deck list on home: every study deck, bundled and own, with what is due and new in it and its switch."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from trainer.model import CardId, Phase
from trainer.study.days import day_bounds
from trainer.study.session import LEARNING_PHASES, TINY, StudySession


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
    store = session.store
    due_ids = [card_id for card_id, _ in store.due_card_ids(LEARNING_PHASES, now + TINY, -1, now=now)]
    due_ids += [card_id for card_id, _ in store.due_card_ids((Phase.REVIEW,), end, -1, now=now)]
    cards = session.library.cards
    due = Counter(cards[CardId(card_id)].deck_id for card_id in due_ids if card_id in cards)
    started = store.started_card_ids()
    held = store.held_card_ids(now)
    new = Counter(card.deck_id for card in cards.values() if card.id not in started and card.id not in held)
    disabled = session.disabled_decks()
    return [
        DeckRow(
            deck.id,
            deck.title,
            deck.description,
            deck.path,
            deck.own,
            len(deck.cards),
            due[deck.id],
            new[deck.id],
            deck.id not in disabled,
        )
        for deck in session.library.decks
        if not deck.bank
    ]
