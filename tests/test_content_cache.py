"""The content cache: same library as a fresh load, refreshed when a deck changes, ignored when damaged."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from trainer import paths
from trainer.library.loading import load_library
from trainer.library.search import TextScan
from trainer.paths import DataFolder
from trainer.storage.content_cache import LEGACY_CACHE, cached_library


def copy_content(tmp_path):
    target = tmp_path / "content"
    shutil.copytree(paths.content_dir(), target)
    return target


def test_cached_library_equals_a_fresh_load(tmp_path, library):
    assert cached_library(paths.content_dir(), tmp_path) == library
    assert DataFolder(tmp_path).content_cache.exists()
    assert cached_library(paths.content_dir(), tmp_path) == library


def test_an_edited_deck_refreshes_the_cache(tmp_path):
    content = copy_content(tmp_path)
    cached_library(content, tmp_path)
    deck = content / "decks" / "t02-matching-concessions.toml"
    text = deck.read_text(encoding="utf-8")
    deck.write_text(text.replace('title = "Matching concessions"', 'title = "Matching moves"'), encoding="utf-8")
    titles = {d.id: d.title for d in cached_library(content, tmp_path).decks}
    assert titles["t02-matching-concessions"] == "Matching moves"


def test_a_broken_deck_is_still_reported_through_the_cache(tmp_path):
    content = copy_content(tmp_path)
    (content / "decks" / "broken.toml").write_text("[deck\n", encoding="utf-8")
    first = cached_library(content, tmp_path)
    second = cached_library(content, tmp_path)
    assert first == second == load_library(content)
    assert [p.path for p in second.problems] == [str(content / "decks" / "broken.toml")]


def test_a_damaged_cache_is_rebuilt(tmp_path, library):
    DataFolder(tmp_path).content_cache.write_text('{"fingerprint": 3, "decks": [', encoding="utf-8")
    assert cached_library(paths.content_dir(), tmp_path) == library
    assert cached_library(paths.content_dir(), tmp_path) == library


def test_an_unwritable_cache_folder_costs_only_speed(tmp_path, library):
    missing = tmp_path / "not-there"
    assert cached_library(paths.content_dir(), missing) == library


def test_a_cached_library_reads_a_cards_text_only_when_it_is_read(tmp_path, library):
    cached_library(paths.content_dir(), tmp_path)
    cached = cached_library(paths.content_dir(), tmp_path)
    cards = [card for deck in cached.decks for card in deck.cards]
    assert cards
    assert not any(card.text_loaded for card in cards)
    card = cards[5]
    assert card.situation == library.cards[card.id].situation
    assert [c.id for c in cards if c.text_loaded] == [card.id]
    assert {(c.id, c.topic, c.move, c.kind) for c in cards} == {
        (c.id, c.topic, c.move, c.kind) for d in library.decks for c in d.cards
    }


QUERIES = [
    "walk",
    "WALK AWAY",
    "no",
    "t2-m1",
    "€",
    "€4",
    "€46",
    "*",
    "[a",
    "a?",
    '"',
    "%",
    "_",
    "a\\b",
    "zzzz",
    "it's",
    'say "no"',
    "50%",
    "ÉTÉ",
]


@pytest.mark.parametrize("query", QUERIES)
def test_the_caches_search_finds_what_a_scan_of_the_cards_finds(tmp_path, library, query):
    cached_library(paths.content_dir(), tmp_path)
    index = cached_library(paths.content_dir(), tmp_path).text_index
    assert index is not None
    assert index.matching(query) == TextScan(library).matching(query)


def test_the_cache_of_an_older_version_is_replaced(tmp_path, library):
    (tmp_path / LEGACY_CACHE).write_text('{"fingerprint": "old"}', encoding="utf-8")
    assert cached_library(paths.content_dir(), tmp_path) == library
    assert not (tmp_path / LEGACY_CACHE).exists()
    assert DataFolder(tmp_path).content_cache.stat().st_mode & 0o077 == 0


def test_a_cache_damaged_while_the_app_runs_costs_only_speed(tmp_path, library):
    """A text or the search index that cannot be read: read from the deck files, and rebuild at the next start."""
    cached_library(paths.content_dir(), tmp_path)
    cached = cached_library(paths.content_dir(), tmp_path)
    cache = DataFolder(tmp_path).content_cache
    with sqlite3.connect(cache) as damage:
        damage.execute("update texts set text = x'00ff'")
        damage.execute("drop table search")
    card = next(iter(cached.cards.values()))
    assert card.situation == library.cards[card.id].situation
    assert not cache.exists()  # the next start rebuilds it
    index = cached.text_index
    assert index is not None
    assert index.matching("walk") == TextScan(library).matching("walk")
    assert cached_library(paths.content_dir(), tmp_path) == library
    assert cache.exists()
