"""The database: durable answers, exact undo, settings, and files it must not touch."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from trainer.model import Phase, Rating, Settings, SettingsError
from trainer.storage.store import Store, StoreError
from trainer.study.session import StudySession


def dump(path: Path) -> list[tuple]:
    """Every row of every table, for comparing whole databases."""
    with sqlite3.connect(path) as conn:
        tables = [r[0] for r in conn.execute("select name from sqlite_master where type='table' order by name")]
        return [(t, *row) for t in tables for row in conn.execute(f"select * from [{t}] order by 1")]


def test_new_database_uses_wal_and_applies_migrations(store: Store):
    assert store.db.execute("pragma journal_mode").fetchone()[0] == "wal"
    assert {"settings", "schedules", "answers"} <= set(store.db.table_names())


def test_answer_is_committed_and_visible_to_another_connection(session: StudySession, store: Store):
    card = session.next_card()
    session.answer(card, Rating.GOOD, option_id=card.best_option.id, duration_ms=4200)
    with sqlite3.connect(store.path) as other:
        rows = other.execute(
            "select card_id, option_id, quality, rating, duration_ms, phase_before from answers"
        ).fetchall()
    assert rows == [(card.id, card.best_option.id, 3, 3, 4200, 0)]


def test_undo_restores_the_database_exactly(session: StudySession, store: Store, clock):
    first = session.next_card()
    session.answer(first, Rating.GOOD)
    clock.advance(minutes=11)
    again = session.next_card()
    assert again.id == first.id  # its learning step fell due
    before = dump(store.path)
    session.answer(again, Rating.AGAIN)
    assert dump(store.path) != before
    assert session.undo().id == first.id
    assert dump(store.path) == before
    session.undo()
    assert store.schedule(first.id) is None
    assert store.count_answers() == 0
    assert session.undo() is None


def test_settings_round_trip_and_reject_out_of_range(store: Store):
    assert store.settings() == Settings()
    changed = Settings(
        desired_retention=0.85, new_per_day=5, max_reviews_per_day=50, day_start_hour=6, theme="dark", text_size=2
    )
    store.save_settings(changed)
    assert store.settings() == changed
    with pytest.raises(SettingsError, match="desired_retention"):
        store.save_settings(replace(changed, desired_retention=0.99))
    assert store.settings() == changed


def test_unreadable_stored_setting_falls_back_to_default(store: Store):
    store.db.table("settings").upsert({"key": "new_per_day", "value": "lots"}, pk="key")
    assert store.settings().new_per_day == Settings().new_per_day


@pytest.mark.parametrize("content", [b"hello, this is not a database" * 10, b"\x00" * 4096])
def test_a_file_that_is_not_a_database_is_refused_and_untouched(tmp_path: Path, content: bytes):
    path = tmp_path / "trainer.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="not changed"):
        Store.open(tmp_path)
    assert path.read_bytes() == content


def test_a_database_from_a_newer_version_is_refused_and_untouched(tmp_path: Path):
    with Store.open(tmp_path) as store:
        store.db.table("_sqlite_migrations").insert(
            {"migration_set": "trainer", "name": "m999_future", "applied_at": "2030-01-01"}
        )
    before = (tmp_path / "trainer.db").read_bytes()
    with pytest.raises(StoreError, match="newer version"):
        Store.open(tmp_path)
    assert (tmp_path / "trainer.db").read_bytes() == before


def test_phase_before_distinguishes_new_and_review_answers(session: StudySession, store: Store, clock):
    card = session.next_card()
    session.answer(card, Rating.EASY)
    clock.advance(days=30)
    session.answer(card, Rating.GOOD)
    assert store.count_answers(phase_before=Phase.NEW) == 1
    assert store.count_answers(phase_before=Phase.REVIEW) == 1


def test_memory_columns_follow_answers_and_undo(session: StudySession, store: Store, clock):
    card = session.next_card()
    session.answer(card, Rating.EASY)
    [(card_id, stability, last_review)] = store.memory_rows()
    assert (card_id, last_review) == (card.id, clock())
    assert stability > 0
    clock.advance(days=9)
    session.answer(card, Rating.GOOD)
    facts = store.review_facts_since(clock() - timedelta(days=30))
    assert [f[2] for f in facts] == [None, pytest.approx(8.0)]  # the first Easy scheduled 8 days
    session.undo()
    assert store.memory_rows() == [(card.id, stability, last_review)]


def test_undo_never_leaves_an_answer_without_its_schedule(store: Store, library, clock):
    from datetime import UTC

    window_one = StudySession(store, library, clock=clock, zone=UTC, fuzzing=False)
    window_two = StudySession(Store.open(store.path.parent), library, clock=clock, zone=UTC, fuzzing=False)
    card = window_one.next_card()
    window_one.answer(card, Rating.GOOD)
    window_two.answer(card, Rating.AGAIN)  # a second writer answered the same card
    before = dump(store.path)
    with pytest.raises(StoreError, match="answered again since"):
        window_one.undo()
    assert dump(store.path) == before
    orphans = store.db.execute(
        "select count(*) from answers where card_id not in (select card_id from schedules)"
    ).fetchone()[0]
    assert orphans == 0
    window_two.store.close()


def test_durable_flags_in_sql_match_the_forgetting_curve(store: Store):
    """Mastery on the dashboard: the SQL test (whole days since the last review <= stability) agrees with
    predicted recall >= 90% from the FSRS curve, card by card, around the boundaries."""
    import random
    from datetime import UTC, datetime

    from trainer.study import progress
    from trainer.study.scheduling import Scheduler

    rng = random.Random(5)
    now = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
    memory = []
    with store.transaction():
        for i in range(400):
            stability = rng.choice([0.5, 5.0, 20.99, 21.0, 21.5, 30.0, 80.25, rng.uniform(1, 200)])
            elapsed = rng.choice([stability, stability + 1, stability - 1, rng.uniform(-2, 250)])
            last = now - timedelta(days=elapsed, seconds=rng.choice([0, 1, -1, 3600]))
            store.db.execute(
                "insert into schedules (card_id, phase, due, fsrs, stability, last_review) values (?, ?, ?, ?, ?, ?)",
                [f"c{i}", int(Phase.REVIEW), now.isoformat(), "{}", stability, last.isoformat(timespec="microseconds")],
            )
            memory.append((f"c{i}", stability, last))
    recall = Scheduler(0.9).recall_probabilities(memory, now)
    expected = {card_id: progress.is_mastered(recall[card_id], stability) for card_id, stability, _ in memory}
    assert dict(store.durable_flags(now, progress.MASTERED_STABILITY_DAYS)) == expected
