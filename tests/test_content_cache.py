"""The content cache: same library as a fresh load, refreshed when a deck changes, ignored when damaged."""

from __future__ import annotations

import shutil

from trainer import paths
from trainer.library.cache import cached_library
from trainer.library.loading import load_library
from trainer.paths import DataFolder


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
