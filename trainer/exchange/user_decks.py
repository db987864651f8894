"""Importing a deck into the learner's own decks folder: a TOML deck as it is, or a CSV of situation cards
converted to TOML. Everything is checked first (the deck validator, and no id a bundled deck already uses);
nothing is written while any problem remains.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from trainer.exchange.csv_deck import csv_to_deck
from trainer.library.loading import load_deck, own_deck_clashes
from trainer.library.toml_files import ContentError
from trainer.model import Card, CardId, Library

CSV_SUFFIXES = (".csv", ".tsv", ".txt")


@dataclass(frozen=True, slots=True)
class ImportPlan:
    """What importing a file would do: the deck it makes, its problems, and the file it would replace."""

    source: Path
    kind: str  # "toml" or "csv"
    deck_id: str
    title: str
    cards: int
    toml_text: str | None  # None while there is any problem
    problems: tuple[str, ...]
    warnings: tuple[str, ...]
    target: Path
    replaces: Path | None  # an own deck with the same id (its history is kept: ids stay the same)

    @property
    def ok(self) -> bool:
        return self.toml_text is not None and not self.problems


def slug(text: str) -> str:
    """A deck id made from a file name: lowercase letters, digits and dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "my-deck"


def default_title(source: Path) -> str:
    words = " ".join(re.split(r"[-_\s]+", source.stem)).strip()
    return words[:1].upper() + words[1:] if words else "My deck"


def plan_import(
    source: Path, library: Library, folder: Path, *, deck_id: str | None = None, title: str | None = None
) -> ImportPlan:
    """Check a TOML deck or a CSV of situation cards for import into `folder` (raises OSError if unreadable).

    Args:
        deck_id, title: for a CSV, the new deck's id and title (default: from the file name).
    """
    if source.suffix.lower() in CSV_SUFFIXES:
        return _plan_csv(source, library, folder, deck_id or slug(source.stem), title or default_title(source))
    return _plan_toml(source, library, folder)


def install(plan: ImportPlan) -> Path:
    """Write a checked deck into the own decks folder (replacing a deck with the same id); returns its file."""
    if not plan.ok or plan.toml_text is None:
        raise ValueError("a deck with problems is never imported")
    plan.target.parent.mkdir(parents=True, exist_ok=True)
    partial = plan.target.with_name(plan.target.name + ".partial")
    partial.write_text(plan.toml_text, encoding="utf-8")
    os.replace(partial, plan.target)
    if plan.replaces is not None and plan.replaces.resolve() != plan.target.resolve():
        plan.replaces.unlink(missing_ok=True)
    return plan.target


def _bundled(library: Library) -> tuple[dict[CardId, Card], dict[str, str]]:
    """The bundled cards (study and quiz bank) by id, and the bundled decks' files by deck id."""
    cards = {card.id: card for deck in library.decks if not deck.own for card in deck.cards}
    return cards, {deck.id: deck.path for deck in library.decks if not deck.own}


def _replaced(library: Library, folder: Path, deck_id: str) -> tuple[Path, Path | None]:
    target = folder / f"{deck_id}.toml"
    existing = next((Path(d.path) for d in library.decks if d.own and d.id == deck_id), None)
    return target, existing or (target if target.exists() else None)


def _plan_toml(source: Path, library: Library, folder: Path) -> ImportPlan:
    cards, decks = _bundled(library)
    try:
        deck = load_deck(source, library.taxonomy, library.references)
    except ContentError as error:
        problems = tuple(str(p) for p in error.problems)
        return ImportPlan(source, "toml", "", "", 0, None, problems, (), folder / source.name, None)
    clashes = tuple(str(p) for p in own_deck_clashes(source, deck, cards, decks))
    target, replaces = _replaced(library, folder, deck.id)
    text = None if clashes else source.read_text(encoding="utf-8")
    return ImportPlan(source, "toml", deck.id, deck.title, len(deck.cards), text, clashes, (), target, replaces)


def _plan_csv(source: Path, library: Library, folder: Path, deck_id: str, title: str) -> ImportPlan:
    cards, decks = _bundled(library)
    result = csv_to_deck(
        source.read_bytes(),
        deck_id=deck_id,
        title=title,
        file_name=source.name,
        taxonomy=library.taxonomy,
        references=library.references,
        taken_ids={card_id: card.deck_id for card_id, card in cards.items()},
    )
    problems = [str(p) for p in result.problems]
    if deck_id in decks:
        problems.insert(0, f"deck id {deck_id!r} is already used by the bundled deck {decks[deck_id]}; choose another")
    target, replaces = _replaced(library, folder, deck_id)
    text = result.toml_text if not problems else None
    count = text.count("\n[[cards]]") if text else 0
    warnings = tuple(str(w) for w in result.warnings)
    return ImportPlan(source, "csv", deck_id, title, count, text, tuple(problems), warnings, target, replaces)
