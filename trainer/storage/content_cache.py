"""The content cache: the validated decks in an SQLite file in the data folder.

The app starts from it without re-parsing unchanged deck files and without reading what every card says:
only the card index (id, kind, deck, topic, move, context, power, horizon, difficulty, contrast partner) is read
at start, and a card's text the first time it is shown (`Card.indexed`). An FTS5 trigram index of the text
serves the browser's search, and the index with a sort key by situation is the table the browser's queries
read (trainer.storage.card_table), so neither reads every card.

The cache is keyed by `fingerprint` (the trainer's version and every content file's and own deck's path, size and
modification time); any mismatch or damage means a fresh load, written under a temporary name and renamed into
place. `trainer check` never uses the cache. It is derived data: deleting it costs one slower start.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import threading
import zlib
from collections.abc import Callable
from dataclasses import astuple
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from trainer import __version__
from trainer.library.loading import bundled_deck_files, deck_files, load_library
from trainer.library.search import TextScan, searchable_text
from trainer.model import (
    INDEX_FIELDS,
    TEXT_FIELDS,
    Card,
    CardId,
    CardText,
    Deck,
    Library,
    Mistake,
    Option,
    Problem,
    Reference,
    Taxonomy,
)
from trainer.paths import PRIVATE_FILE_MODE, DataFolder

CACHE_FORMAT = 3  # raised whenever the cache's tables change, so an older cache is rebuilt, not misread
LEGACY_CACHE = "content-cache.json"  # the JSON cache of versions before the card index; removed when replaced
_SHARED = {k for k, name in enumerate(INDEX_FIELDS) if name not in ("id", "contrast")}  # values cards repeat
_CACHE_ERRORS = (sqlite3.Error, OSError, ValueError, KeyError, TypeError, IndexError, zlib.error)


def cached_library(content: Path, cache_dir: Path) -> Library:
    """The library from the cache when the content is unchanged; otherwise load it and refresh the cache."""
    folder = DataFolder(cache_dir)
    key = fingerprint(content, folder.decks)
    path = folder.content_cache

    def load() -> Library:
        return load_library(content, own=[folder.decks])

    try:
        library = _read(path, key, load)
    except _CACHE_ERRORS:
        library = None  # missing, damaged or stale: rebuilt below
    if library is not None:
        return library
    library = load()
    with contextlib.suppress(*_CACHE_ERRORS):  # a read-only or full data folder only costs the speed-up
        _write(path, library, key)
        return _read(path, key, load) or library  # the index only, as at every later start
    return library


def fingerprint(content: Path, own: Path | None = None) -> str:
    """Changes whenever a content file or an own deck is added, removed or edited, or the trainer is upgraded."""
    files = [content / "taxonomy.toml", content / "references.toml", *bundled_deck_files(content)]
    own_files = deck_files([own]) if own is not None and own.is_dir() else []
    own_folder = str(own.resolve()) if own is not None else None
    parts: list[Any] = [__version__, CACHE_FORMAT, str(content.resolve()), own_folder]
    for path in [*files, *own_files]:
        try:
            stat = path.stat()
            parts.append([path.name, stat.st_size, stat.st_mtime_ns])
        except OSError:
            parts.append([path.name, None])
    return hashlib.sha256(json.dumps(parts).encode()).hexdigest()


class _CacheTexts:
    """Reads card texts and searches them in one cache file, from any thread (one lock, one connection).

    A cache found damaged while the app runs costs only speed: the file is removed (the next start rebuilds it)
    and from then on texts and search come from the deck files, loaded once by `load`.
    """

    def __init__(self, path: Path, load: Callable[[], Library]):
        self.path = path
        self._conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
        self._db = Database(self._conn)
        self._lock = threading.Lock()
        self._load = load
        self._files: Library | None = None  # the decks read from their files, once the cache failed

    def text(self, card_id: CardId) -> CardText:
        try:
            with self._lock:
                sql = "select text from texts where id = ?"
                row = None if self._files else self._db.execute(sql, [card_id]).fetchone()
            if row is not None:
                return _decode_text(json.loads(zlib.decompress(row[0])))
        except _CACHE_ERRORS:
            pass  # read from the deck files below
        files = self._from_files()
        return (files.cards.get(card_id) or files.bank[card_id]).text

    def matching(self, query: str) -> set[CardId]:
        """Cards whose id or text contains `query` (any case)."""
        folded = query.casefold()
        if len(folded) >= 3:
            # GLOB, not LIKE: the trigram index serves GLOB with its wildcards escaped in brackets (LIKE's ESCAPE
            # clause makes FTS5 scan every row); the body and the query are both case-folded.
            sql = "select id from search where body glob ?"
            pattern = "*" + "".join(f"[{c}]" if c in "*?[" else c for c in folded) + "*"
        else:  # shorter than a trigram: a scan (the index would miss a short non-ASCII query)
            sql, pattern = "select id from search where instr(body, ?) > 0", folded
        try:
            with self._lock:
                if self._files is None:
                    return {CardId(row[0]) for row in self._db.execute(sql, [pattern]).fetchall()}
        except _CACHE_ERRORS:
            pass
        return TextScan(self._from_files()).matching(query)

    def close(self) -> None:
        self._conn.close()

    def _from_files(self) -> Library:
        with self._lock:
            if self._files is None:
                with contextlib.suppress(OSError):
                    self.path.unlink()
                self._files = self._load()
            return self._files


def cache_file(library: Library) -> Path | None:
    """The cache file a library was read from (its card index can be attached), or None for a fresh load."""
    texts = library.text_index
    if isinstance(texts, _CacheTexts) and texts.path.exists():  # ATTACH would create a missing file, empty
        return texts.path
    return None


def _read(path: Path, key: str, load: Callable[[], Library]) -> Library | None:
    """The library in the cache file, or None when it is missing or stale (no connection is left open then)."""
    if not path.exists():
        return None
    texts = _CacheTexts(path, load)
    try:
        library = _library_from(texts, key)
    except BaseException:
        texts.close()
        raise
    if library is None:
        texts.close()
    return library


def _library_from(texts: _CacheTexts, key: str) -> Library | None:
    meta = dict(texts._db.execute("select key, value from meta").fetchall())
    tables = {row[0] for row in texts._db.execute("select name from sqlite_master where type = 'table'")}
    if meta.get("fingerprint") != key or not {"cards", "texts", "search"} <= tables:
        return None
    topics, moves, contexts, ideas, mistakes = json.loads(meta["taxonomy"])
    taxonomy = Taxonomy(topics, moves, contexts, {m[0]: Mistake(*m) for m in mistakes}, ideas)
    references = {r[0]: Reference(*r) for r in json.loads(meta["references"])}
    columns = ", ".join(["deck", *(f"[{name}]" for name in INDEX_FIELDS)])
    by_deck: dict[str, list[Card]] = {}
    shared: dict[Any, Any] = {}  # one copy of each repeated value (deck, topic, move…): 50,000 cards share them
    read_text = texts.text
    for deck_key, *index in texts._db.execute(f"select {columns} from cards order by position"):
        values = tuple(shared.setdefault(v, v) if k in _SHARED else v for k, v in enumerate(index))
        card = Card.indexed((*values[:-1], bool(values[-1])), read_text)
        by_deck.setdefault(deck_key, []).append(card)
    decks = tuple(
        Deck(deck_id, title, description, deck_path, tuple(by_deck.get(str(position), ())), bool(bank), bool(own))
        for position, (deck_id, title, description, deck_path, bank, own) in enumerate(json.loads(meta["decks"]))
    )
    problems = tuple(Problem(*p) for p in json.loads(meta["problems"]))
    cards = {card.id: card for deck in decks if not deck.bank for card in deck.cards}
    bank = {card.id: card for deck in decks if deck.bank for card in deck.cards}
    return Library(taxonomy, references, decks, problems, cards, bank, text_index=texts)


def _write(path: Path, library: Library, key: str) -> None:
    for leftover in path.parent.glob(f".{path.name}.new-*"):  # from a start that was killed while writing
        leftover.unlink(missing_ok=True)
    temporary = path.with_name(f".{path.name}.new-{os.getpid()}")
    descriptor = os.open(temporary, os.O_RDWR | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    os.close(descriptor)
    try:
        db = Database(temporary)
        try:
            _fill(db, library, key)
        finally:
            db.close()
        os.replace(temporary, path)
        path.with_name(LEGACY_CACHE).unlink(missing_ok=True)
    finally:
        temporary.unlink(missing_ok=True)


def _fill(db: Database, library: Library, key: str) -> None:
    taxonomy = library.taxonomy
    meta = {
        "taxonomy": [
            taxonomy.topics,
            taxonomy.moves,
            taxonomy.contexts,
            taxonomy.ideas,
            [astuple(m) for m in taxonomy.mistakes.values()],
        ],
        "references": [astuple(r) for r in library.references.values()],
        "decks": [[d.id, d.title, d.description, d.path, d.bank, d.own] for d in library.decks],
        "problems": [astuple(p) for p in library.problems],
    }
    with db.conn:
        db.execute("create table meta (key text primary key, value text not null)")
        index_columns = ", ".join(f"[{name}]" for name in INDEX_FIELDS)
        db.execute(  # the card index: narrow rows, so listing and counting cards reads few pages
            f"create table cards (position integer primary key, deck text not null, {index_columns}, "
            "sort_key text not null)"
        )
        db.execute("create unique index cards_by_id on cards (id)")
        db.execute("create table texts (id text primary key, text blob not null)")  # compressed JSON
        # detail=none: a third of the index's size; substring queries (GLOB) still use it, checked against the body.
        db.execute("create virtual table search using fts5 (id unindexed, body, tokenize = 'trigram', detail = none)")
        cards = [card for deck in library.decks for card in deck.cards]
        decks = (str(k) for k, deck in enumerate(library.decks) for _ in deck.cards)
        marks = ", ".join("?" * (len(INDEX_FIELDS) + 2))
        db.conn.executemany(
            f"insert into cards (deck, {index_columns}, sort_key) values ({marks})",
            ([deck, *card.index(), card.situation.casefold()] for deck, card in zip(decks, cards, strict=True)),
        )
        texts = ((c.id, zlib.compress(json.dumps(_encode_text(c.text)).encode())) for c in cards)
        db.conn.executemany("insert into texts (id, text) values (?, ?)", texts)
        searchable = ((card.id, searchable_text(card)) for card in cards)
        db.conn.executemany("insert into search (id, body) values (?, ?)", searchable)
        db.conn.executemany(
            "insert into meta (key, value) values (?, ?)",
            [("fingerprint", key), *((name, json.dumps(value)) for name, value in meta.items())],
        )


def _encode_text(text: CardText) -> list[Any]:
    """The text's fields in order, JSON-ready."""
    return [
        [astuple(o) for o in getattr(text, name)] if name == "options" else getattr(text, name) for name in TEXT_FIELDS
    ]


def _decode_text(values: list[Any]) -> CardText:
    decoded = dict(zip(TEXT_FIELDS, values, strict=True))
    options = tuple(Option(*o) for o in decoded.pop("options"))
    sources, ideas = tuple(decoded.pop("sources")), tuple(decoded.pop("ideas"))
    return CardText(sources=sources, ideas=ideas, options=options, **decoded)
