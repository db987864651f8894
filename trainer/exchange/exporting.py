"""Writing the exports to files: an Anki package of the study decks, and the answer and quiz history as CSV."""

from __future__ import annotations

import os
from pathlib import Path

from trainer.exchange.history_csv import AnswerRow, QuizItemRow, answers_csv, quiz_items_csv
from trainer.model import CardId, Library
from trainer.storage.exports import answers_with_phase
from trainer.storage.quizzes import QuizStore
from trainer.storage.store import Store

ALL_DECKS_NAME = "Reciprocity Trainer"


class UnknownDeckError(ValueError):
    """No study deck has the id asked for."""


def write_apkg(library: Library, path: Path, deck_id: str | None = None) -> int:
    """The study cards (of one deck, or of all) as an Anki package; returns the number of notes."""
    decks = [deck for deck in library.decks if not deck.bank and (deck_id is None or deck.id == deck_id)]
    if deck_id is not None and not decks:
        known = ", ".join(deck.id for deck in library.decks if not deck.bank)
        raise UnknownDeckError(f"no deck has the id {deck_id!r}; the decks are: {known}")
    cards = [card for deck in decks for card in deck.cards]
    name = f"{ALL_DECKS_NAME}::{decks[0].title}" if deck_id is not None else ALL_DECKS_NAME
    from trainer.exchange.anki import export_apkg  # genanki: loaded when exporting, not at every start

    return export_apkg(cards, library.references, path, deck_name=name, deck_key=deck_id or "all")


def write_history(store: Store, library: Library, path: Path) -> int:
    """Every answer, one row each, oldest first (FSRS optimiser columns first); returns the number of rows."""
    rows = [
        AnswerRow.from_answer(answer, topic=_topic(library, answer.card_id), phase_before=int(phase))
        for answer, phase in answers_with_phase(store)
    ]
    _write_text(path, answers_csv(rows))
    return len(rows)


def write_quizzes(store: Store, path: Path) -> int:
    """Every item of every finished quiz (and of one left mid-way), one row each; returns the number of rows."""
    quizzes = QuizStore(store)
    attempts = quizzes.finished_attempts()
    left = quizzes.open_attempt()
    rows = [
        QuizItemRow.from_item(item, attempt)
        for attempt in [*attempts, *([left] if left else [])]
        for item in quizzes.items(attempt.id)
    ]
    _write_text(path, quiz_items_csv(rows))
    return len(rows)


def _topic(library: Library, card_id: str) -> str:
    card = library.cards.get(CardId(card_id)) or library.bank.get(CardId(card_id))
    return card.topic if card else ""


def _write_text(path: Path, text: str) -> None:
    """Write a whole file or nothing: a temporary file renamed over the target."""
    partial = path.with_name(path.name + ".partial")
    with open(partial, "w", encoding="utf-8", newline="") as out:
        out.write(text)
    os.replace(partial, path)
