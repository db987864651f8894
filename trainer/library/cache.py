"""A cache of validated content, so the app starts without re-parsing unchanged deck files.

The cache is a JSON file in the data folder, keyed by the trainer's version and the path, size
and modification time of every content file, the learner's own decks (the data folder's `decks`)
included. Any mismatch or damage means a fresh load;
`trainer check` never uses the cache.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import astuple
from pathlib import Path
from typing import Any

from trainer import __version__
from trainer.library.loading import bundled_deck_files, deck_files, load_library
from trainer.model import Card, Deck, Library, Mistake, Option, Problem, Reference, Taxonomy
from trainer.paths import DataFolder


def fingerprint(content: Path, own: Path | None = None) -> str:
    """Changes whenever a content file or an own deck is added, removed or edited, or the trainer is upgraded."""
    files = [content / "taxonomy.toml", content / "references.toml", *bundled_deck_files(content)]
    own_files = deck_files([own]) if own is not None and own.is_dir() else []
    parts: list[Any] = [__version__, str(content.resolve()), str(own.resolve()) if own is not None else None]
    for path in [*files, *own_files]:
        try:
            stat = path.stat()
            parts.append([path.name, stat.st_size, stat.st_mtime_ns])
        except OSError:
            parts.append([path.name, None])
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


def cached_library(content: Path, cache_dir: Path) -> Library:
    """The library from the cache when the content is unchanged; otherwise load it and refresh the cache."""
    folder = DataFolder(cache_dir)
    key = fingerprint(content, folder.decks)
    cache = folder.content_cache
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        if data.get("fingerprint") == key:
            return _decode(data)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        pass  # missing or unreadable cache: rebuild it below
    library = load_library(content, own=[folder.decks])
    try:
        temporary = cache.with_suffix(".tmp")
        temporary.write_text(json.dumps(_encode(library, key)), encoding="utf-8")
        os.replace(temporary, cache)
    except OSError:
        pass  # a read-only data folder only costs the speed-up
    return library


def _encode(library: Library, key: str) -> dict[str, Any]:
    taxonomy = library.taxonomy
    return {
        "fingerprint": key,
        "taxonomy": [
            taxonomy.topics,
            taxonomy.moves,
            taxonomy.contexts,
            taxonomy.ideas,
            [astuple(m) for m in taxonomy.mistakes.values()],
        ],
        "references": [astuple(r) for r in library.references.values()],
        "decks": [
            [d.id, d.title, d.description, d.path, [_card_tuple(c) for c in d.cards], d.bank, d.own]
            for d in library.decks
        ],
        "problems": [astuple(p) for p in library.problems],
    }


def _card_tuple(card: Card) -> list[Any]:
    values = [getattr(card, name) for name in Card.__slots__]
    values[Card.__slots__.index("options")] = [astuple(o) for o in card.options]
    return values


def _decode(data: dict[str, Any]) -> Library:
    topics, moves, contexts, ideas, mistakes = data["taxonomy"]
    taxonomy = Taxonomy(topics, moves, contexts, {m[0]: Mistake(*m) for m in mistakes}, ideas)
    references = {r[0]: Reference(*r) for r in data["references"]}
    slots = Card.__slots__
    options_at, sources_at, ideas_at = slots.index("options"), slots.index("sources"), slots.index("ideas")
    decks = []
    for deck_id, title, description, path, raw_cards, bank, own in data["decks"]:
        cards = []
        for values in raw_cards:
            values[options_at] = tuple(Option(*o) for o in values[options_at])
            values[sources_at] = tuple(values[sources_at])
            values[ideas_at] = tuple(values[ideas_at])
            cards.append(Card(*values))
        decks.append(Deck(deck_id, title, description, path, tuple(cards), bank, own))
    problems = tuple(Problem(*p) for p in data["problems"])
    study = {card.id: card for deck in decks if not deck.bank for card in deck.cards}
    bank = {card.id: card for deck in decks if deck.bank for card in deck.cards}
    return Library(taxonomy, references, tuple(decks), problems, study, bank)
