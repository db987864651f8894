"""Upgrades: a database from every earlier schema version, with data in it, loses nothing when upgraded.

Also content that changes between versions: an edited card keeps its history, a removed card keeps its
history but is no longer shown (nor counted).
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from old_databases import database_at, dump, earlier_versions, fill, schema_of

from trainer import paths
from trainer.library.loading import load_library
from trainer.model import Rating
from trainer.storage.migrations import known_names, migrations
from trainer.storage.store import Store
from trainer.study.session import StudySession

KEPT_AS_IS = ("answers", "settings", "quiz_attempts", "quiz_items")


def suspended_at_old_version(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        tables = {row[0] for row in conn.execute("select name from sqlite_master where type = 'table'")}
        if "card_marks" in tables:
            sql = "select card_id from card_marks where suspended = 1"
        else:
            sql = "select card_id from schedules where suspended = 1"
        return {row[0] for row in conn.execute(sql)}


@pytest.mark.parametrize("stop_before", earlier_versions())
def test_upgrading_from_every_earlier_version_loses_nothing(tmp_path: Path, library, clock, stop_before: str):
    path = tmp_path / paths.DATABASE_NAME
    old = database_at(path, stop_before)
    fill(old, library, clock(), answers=60)
    old.close()
    version = schema_of(path)
    assert version == known_names()[: known_names().index(stop_before)]
    before, suspended = dump(path), suspended_at_old_version(path)
    assert before["answers"]
    assert before["schedules"]
    assert suspended

    with Store.open(tmp_path) as store:
        assert schema_of(path) == known_names()
        after = dump(path)
        for table, rows in before.items():
            assert table in after, f"{table} was dropped by the upgrade from {version[-1]}"
            assert len(after[table]) >= len(rows), f"rows of {table} were lost"
        for table in KEPT_AS_IS:
            if table in before:
                width = len(before[table][0]) if before[table] else 0
                kept = [row[:width] for row in after[table]]  # later migrations may add columns
                assert kept == before[table], f"{table} changed in the upgrade from {version[-1]}"
        memory = [(card_id, phase, due, fsrs) for card_id, phase, due, fsrs, *_ in before["schedules"]]
        assert [
            (s.card_id, int(s.state.phase), s.state.due.isoformat(timespec="microseconds"), s.state.json)
            for s in store.schedules()
        ] == memory
        assert store.suspended_card_ids() == suspended
        assert store.settings().new_per_day == 12
        assert store.settings().theme == "dark"

        # The upgraded database works: history per card intact, and studying goes on from it.
        session = StudySession(store, library, clock=clock, fuzzing=False)
        card_id = before["answers"][0][1]
        assert len(store.answers(card_id)) == sum(row[1] == card_id for row in before["answers"])
        clock.advance(days=400)
        card = session.next_card()
        assert card is not None
        assert card.id not in suspended
        session.answer(card, Rating.GOOD)
    assert len(dump(path)["answers"]) == len(before["answers"]) + 1


@pytest.mark.parametrize("stop_before", earlier_versions())
def test_each_migration_is_all_or_nothing(tmp_path: Path, library, clock, stop_before: str):
    """A migration that fails half-way leaves the database exactly at its old version."""
    path = tmp_path / paths.DATABASE_NAME
    old = database_at(path, stop_before)
    fill(old, library, clock())
    before = dump(path)
    failing = next(m for m in migrations.pending(old) if m.name == stop_before)
    original = failing.fn

    def half_then_fail(db):
        original(db)
        raise RuntimeError("power cut")

    failing.fn = half_then_fail
    try:
        with pytest.raises(RuntimeError, match="power cut"):
            migrations.apply(old)
    finally:
        failing.fn = original
        old.close()
    assert schema_of(path) == known_names()[: known_names().index(stop_before)]
    assert dump(path) == before


def test_upgrading_twice_changes_nothing_more(tmp_path: Path, library, clock):
    old = database_at(tmp_path / paths.DATABASE_NAME, earlier_versions()[0])
    fill(old, library, clock())
    old.close()
    Store.open(tmp_path).close()
    once = dump(tmp_path / paths.DATABASE_NAME)
    Store.open(tmp_path).close()
    assert dump(tmp_path / paths.DATABASE_NAME) == once


@pytest.fixture
def content(tmp_path: Path) -> Path:
    copy = tmp_path / "content"
    shutil.copytree(paths.content_dir(), copy)
    return copy


def deck_copy(library, deck_id: str, content: Path) -> Path:
    """The copied content folder's file for a deck."""
    original = Path(next(deck.path for deck in library.decks if deck.id == deck_id))
    return content / "decks" / original.name


def first_card_block(deck: Path, card_id: str) -> str:
    text = deck.read_text(encoding="utf-8")
    blocks = text.split("\n[[cards]]\n")
    return next(block for block in blocks if f'id = "{card_id}"' in block.split("\n", 1)[0])


def test_editing_a_card_keeps_its_history(content: Path, library, store: Store, clock):
    session = StudySession(store, library, clock=clock, fuzzing=False)
    card = session.next_card()
    session.answer(card, Rating.GOOD)
    clock.advance(minutes=15)
    session.answer(card, Rating.GOOD)
    history = store.answers(card.id)
    deck = deck_copy(library, card.deck_id, content)
    text = deck.read_text(encoding="utf-8")
    block = first_card_block(deck, card.id)
    edited_block = block.replace(f'prompt = "{card.prompt}"', 'prompt = "What do you say now, in one sentence?"')
    assert edited_block != block
    deck.write_text(text.replace(block, edited_block, 1), encoding="utf-8")
    edited = load_library(content)
    assert not edited.problems
    assert edited.cards[card.id].prompt == "What do you say now, in one sentence?"
    clock.advance(days=30)
    later = StudySession(store, edited, clock=clock, fuzzing=False)
    assert store.answers(card.id) == history
    for _ in range(30):  # study until the edited card comes round again
        shown = later.next_card()
        if shown.id == card.id:
            break
        later.answer(shown, Rating.EASY)
    assert shown.id == card.id
    assert shown.prompt == "What do you say now, in one sentence?"
    later.answer(shown, Rating.GOOD)
    assert store.answers(card.id)[:2] == history
    assert len(store.answers(card.id)) == 3


def test_a_removed_card_keeps_its_history_and_is_neither_shown_nor_counted(content: Path, library, store, clock):
    session = StudySession(store, library, clock=clock, fuzzing=False)
    card = session.next_card()
    session.answer(card, Rating.AGAIN)
    history = store.answers(card.id)
    deck = deck_copy(library, card.deck_id, content)
    text = deck.read_text(encoding="utf-8")
    block = first_card_block(deck, card.id)
    deck.write_text(text.replace("\n[[cards]]\n" + block, "", 1), encoding="utf-8")
    smaller = load_library(content)
    assert not smaller.problems
    assert card.id not in smaller.cards
    clock.advance(minutes=30)  # the removed card would be due now
    later = StudySession(store, smaller, clock=clock, fuzzing=False)
    assert store.answers(card.id) == history
    assert store.schedule(card.id) is not None
    assert later.counts().learning == 0
    shown = []
    while (next_card := later.next_card()) is not None and len(shown) < 25:
        shown.append(next_card.id)
        later.answer(next_card, Rating.EASY)
        clock.advance(minutes=1)
    assert card.id not in shown
    assert store.answers(card.id) == history


def test_m004_and_m006_backfill_the_memory_columns_as_new_writes_compute_them(tmp_path, library):
    from datetime import UTC, datetime

    from trainer.study.scheduling import state_from_json

    db = database_at(tmp_path / "trainer.db", "m004_memory_columns")
    fill(db, library, datetime(2026, 1, 1, tzinfo=UTC))
    migrations.apply(db)
    schedules = db.execute("select stability, difficulty, last_review, fsrs from schedules").fetchall()
    assert schedules
    for stability, difficulty, last_review, fsrs in schedules:
        expected = state_from_json(fsrs)
        assert stability == pytest.approx(expected.stability)
        assert difficulty == pytest.approx(expected.difficulty)
        assert datetime.fromisoformat(last_review) == expected.last_review
    answers = db.execute("select interval_days, state_before from answers").fetchall()
    assert any(days is not None for days, _ in answers)
    for days, before in answers:
        wanted = None if before is None else state_from_json(before).interval_days
        assert days == (None if wanted is None else pytest.approx(wanted, abs=1e-6))
    assert "suspended" not in {column.name for column in db.table("schedules").columns}
