"""Loading a content folder: its deck files and quiz bank, validated; a deck with a problem is skipped whole.

The learner's own decks (the `decks` folder in the data folder) load beside the bundled ones. Their card ids
are namespaced by deck: card `x` of deck `d` is stored and scheduled as `d/x`, which no bundled id (letters,
digits and dashes only) can equal, so an own card never takes a bundled card's history. An own deck that
reuses a bundled deck's id, or a card id a bundled deck already uses, is refused whole with a message
naming both files.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from trainer.library.deck_check import DeckValidator
from trainer.library.toml_files import ContentError, read_toml
from trainer.library.vocabulary import load_references, load_taxonomy
from trainer.model import Card, CardId, Deck, Library, Problem, Reference, Taxonomy

BANK_FOLDER = "quiz-bank"
OWN_SEPARATOR = "/"  # an own card's stored id is "<deck id>/<card id>"


def own_card_id(deck_id: str, card_id: str) -> CardId:
    """The stored id of a card in one of the learner's own decks."""
    return CardId(f"{deck_id}{OWN_SEPARATOR}{card_id}")


def is_bank_file(path: Path) -> bool:
    """Files in a `quiz-bank` folder hold held-out quiz items, never shown in study."""
    return path.parent.name == BANK_FOLDER


def bundled_deck_files(content: Path) -> list[Path]:
    """The deck files of a content folder: its study decks, then its quiz bank (if it has one)."""
    bank = content / BANK_FOLDER
    return deck_files([content / "decks", *([bank] if bank.is_dir() else [])])


def load_deck(path: Path, taxonomy: Taxonomy, references: dict[str, Reference]) -> Deck:
    """Read and validate one deck file; raise ContentError listing every problem."""
    data, text = read_toml(path)
    bank = is_bank_file(path)
    validator = DeckValidator(path, text, taxonomy, references, bank=bank)
    deck = validator.deck(data)
    if deck is None:
        raise ContentError(validator.problems)
    return replace(deck, bank=bank)


def deck_files(paths: Iterable[Path]) -> list[Path]:
    """Expand folders to the *.toml files in them (sorted); keep files as given."""
    found: list[Path] = []
    for path in paths:
        found.extend(sorted(path.glob("*.toml")) if path.is_dir() else [path])
    return list(dict.fromkeys(found))


def load_library(content: Path, decks: Iterable[Path] | None = None, *, own: Iterable[Path] = ()) -> Library:
    """Load the taxonomy, references and decks; a deck with any problem is skipped whole.

    Args:
        content: a content folder holding taxonomy.toml, references.toml and decks/.
        decks: deck files or folders to load instead of content/decks.
        own: the learner's deck files or folders (a missing folder is no deck), loaded after the others
            with their card ids namespaced by deck (see the module docstring).
    """
    try:
        taxonomy = load_taxonomy(content / "taxonomy.toml")
        references = load_references(content / "references.toml")
    except ContentError as error:
        empty = Taxonomy({}, {}, {}, {}, {})
        return Library(empty, {}, (), tuple(error.problems))
    loaded: list[Deck] = []
    problems: list[Problem] = []
    cards: dict[CardId, Card] = {}
    deck_ids: dict[str, str] = {}
    bundled = bundled_deck_files(content) if decks is None else deck_files(decks)
    own_files = [path for path in deck_files(p for p in own if p.exists()) if path not in bundled]
    for path in [*bundled, *own_files]:
        try:
            deck = load_deck(path, taxonomy, references)
        except ContentError as error:
            problems.extend(error.problems)
            continue
        if path in own_files:
            refused = own_deck_clashes(path, deck, cards, deck_ids)
            if refused:
                problems.extend(refused)
                continue
            deck = _namespaced(deck)
        clashes = [
            Problem(str(path), f"id already used in {cards[c.id].deck_id}", line=_id_line(path, c.id), card_id=c.id)
            for c in deck.cards
            if c.id in cards
        ]
        if deck.id in deck_ids:
            clashes.append(Problem(str(path), f"deck id already used by {deck_ids[deck.id]}", field="deck.id"))
        if clashes:
            problems.extend(clashes)
            continue
        deck_ids[deck.id] = str(path)
        loaded.append(deck)
        cards.update((c.id, c) for c in deck.cards)
    problems.extend(_unpaired_contrasts(loaded, cards))
    study = {card_id: card for card_id, card in cards.items() if not card.bank}
    bank = {card_id: card for card_id, card in cards.items() if card.bank}
    return Library(taxonomy, references, tuple(loaded), tuple(problems), study, bank)


def own_deck_clashes(path: Path, deck: Deck, cards: dict[CardId, Card], deck_ids: dict[str, str]) -> list[Problem]:
    """An own deck may not reuse a bundled deck's id or a bundled card's id (it would look like that card)."""
    problems = []
    if deck.id in deck_ids:
        message = (
            f"{deck.id!r} is already the id of the bundled deck {deck_ids[deck.id]}; give your deck an id of its own"
        )
        problems.append(Problem(str(path), message, field="deck.id"))
    for card in deck.cards:
        if card.id in cards:
            where = deck_ids.get(cards[card.id].deck_id, cards[card.id].deck_id)
            message = (
                f"{card.id!r} is already the id of a bundled card in {where}; "
                "your cards need ids of their own (a bundled card's history is never shared)"
            )
            problems.append(Problem(str(path), message, line=_id_line(path, card.id), card_id=card.id, field="id"))
    return problems


def _namespaced(deck: Deck) -> Deck:
    """An own deck with every card id (and contrast partner) prefixed by the deck id."""

    def own(card: Card) -> Card:
        contrast = own_card_id(deck.id, card.contrast) if card.contrast else ""
        return card.replace(id=own_card_id(deck.id, card.id), contrast=contrast)

    return replace(deck, cards=tuple(own(card) for card in deck.cards), own=True)


def _id_line(path: Path, card_id: str) -> int | None:
    """The line of a card's id in a deck file (only read when reporting a clash)."""
    pattern = re.compile(r"^\s*id\s*=\s*[\"']" + re.escape(card_id) + r"[\"']")
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    return next((number for number, text in enumerate(lines, 1) if pattern.match(text)), None)


def _unpaired_contrasts(decks: list[Deck], cards: dict[CardId, Card]) -> list[Problem]:
    """A contrast pair must name each other, both ways; the deck still loads (the link is only not shown)."""
    problems = []
    for deck in decks:
        for card in deck.cards:
            partner = cards.get(CardId(card.contrast)) if card.contrast else None
            if card.contrast and (partner is None or partner.contrast != card.id):
                message = f"{card.contrast!r} is not a card that names this one as its contrast"
                problems.append(Problem(deck.path, message, card_id=card.id, field="contrast"))
    return problems
