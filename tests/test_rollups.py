"""The roll-ups kept by triggers (card_tallies, answer_times) always equal a recount of the answers, whatever
writes them; an older database gets them filled in by m012; the weekly median read from them is within 50 ms."""

from __future__ import annotations

import statistics
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from old_databases import database_at, fill, schema_of

from trainer import paths
from trainer.model import Answer, CardId, CardState, Phase, Rating, Schedule
from trainer.storage.migrations import known_names
from trainer.storage.store import Store

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
FIRST_DAY = date(2026, 11, 2)
CARDS = [f"card-{n}" for n in range(5)]
LAPSE = f"rating = {int(Rating.AGAIN)} and phase_before = {int(Phase.REVIEW)}"


def recounted(store: Store) -> tuple[list[tuple], list[tuple]]:
    """(card_tallies, answer_times) as they should be, grouped from scratch over every answer."""
    tallies = store.db.execute(
        f"select card_id, count(*), sum({LAPSE}), max(id) from answers group by card_id order by card_id"
    ).fetchall()
    times = store.db.execute(
        "select day, duration_ms / 100, count(*) from answers where typeof(duration_ms) = 'integer' "
        "group by 1, 2 order by 1, 2"
    ).fetchall()
    return tallies, times


def rolled_up(store: Store) -> tuple[list[tuple], list[tuple]]:
    tallies = store.db.execute("select card_id, reviews, lapses, last_id from card_tallies order by card_id")
    times = store.db.execute("select day, tenth, n from answer_times order by day, tenth")
    return tallies.fetchall(), times.fetchall()


def answer(card_id: str, at: datetime, rating: int, ms: int) -> Answer:
    return Answer(CardId(card_id), at, Rating(rating), ms, None, "{}")


def schedule(card_id: str, at: datetime) -> Schedule:
    return Schedule(CardId(card_id), CardState("{}", Phase.REVIEW, at + timedelta(days=3)))


def newest(store: Store, card_id: str) -> int | None:
    return store.db.execute("select max(id) from answers where card_id = ?", [card_id]).fetchone()[0]


card = st.sampled_from(CARDS)
day = st.integers(0, 3).map(lambda n: FIRST_DAY + timedelta(days=n))
ms = st.integers(0, 2500)
rating = st.sampled_from([int(r) for r in Rating])
phase = st.sampled_from([int(p) for p in Phase])
operation = st.one_of(
    st.tuples(st.just("record"), card, rating, phase, day, ms),
    st.tuples(st.just("undo"), card),
    st.tuples(st.just("reset"), st.lists(card, min_size=1, max_size=3)),
    st.tuples(st.just("import"), st.lists(st.tuples(card, rating, phase, day, ms), max_size=6)),
    st.tuples(st.just("repair"), card, st.sampled_from(["rating = 9", "state_after = '[1]'"])),
    st.tuples(
        st.just("edit"),
        st.integers(0, 40),
        card,
        st.one_of(day.map(date.isoformat), st.just("not a day")),
        ms,
        rating,
    ),
)


def run(store: Store, step: int, op: tuple) -> None:
    """Apply one operation the way the app (or, for "edit", another writer) does."""
    at = START + timedelta(minutes=step)
    match op:
        case ("record", card_id, r, p, d, duration):
            store.record_answer(answer(card_id, at, r, duration), Phase(p), d, schedule(card_id, at))
        case ("undo", card_id):
            last = newest(store, card_id)
            if last is not None:
                store.undo_answer(last, None)
        case ("reset", card_ids):
            store.reset_cards(card_ids)
        case ("import", rows):
            history = [(answer(c, at, r, duration), Phase(p), d) for c, r, p, d, duration in rows]
            store.import_history(history, [schedule(c, at) for c, *_ in rows])
        case ("repair", card_id, damage):
            last = newest(store, card_id)
            if last is not None:
                with store.transaction():
                    store.db.execute(f"update answers set {damage} where id = ?", [last])
                store.repair_rows(store.unreadable_rows(), lambda text: CardState(text, Phase.REVIEW, at))
        case ("edit", index, card_id, day_text, duration, r):
            ids = [row[0] for row in store.db.execute("select id from answers order by id")]
            if ids:
                sql = "update answers set card_id = ?, day = ?, duration_ms = ?, rating = ? where id = ?"
                with store.transaction():
                    store.db.execute(sql, [card_id, day_text, duration, r, ids[index % len(ids)]])


@settings(max_examples=60, deadline=None)
@given(operations=st.lists(operation, min_size=1, max_size=25))
def test_the_rollups_equal_a_recount_after_any_sequence_of_writes(operations):
    with tempfile.TemporaryDirectory() as folder, Store.at(Path(folder) / paths.DATABASE_NAME) as store:
        for step, op in enumerate(operations):
            run(store, step, op)
            assert rolled_up(store) == recounted(store), f"after {op}"


def test_card_tallies_reads_the_last_answer_and_skips_an_unreadable_one(tmp_path: Path):
    with Store.at(tmp_path / paths.DATABASE_NAME) as store:
        for step, (card_id, r, p) in enumerate([("a", 3, 0), ("a", 1, 2), ("b", 1, 1), ("b", 4, 2), ("a", 2, 2)]):
            at = START + timedelta(minutes=step)
            store.record_answer(answer(card_id, at, r, 1000), Phase(p), at.date(), schedule(card_id, at))
        tallies = store.card_tallies()
        assert [(t.reviews, t.lapses, t.last_rating) for t in tallies.values()] == [(3, 1, Rating.HARD), (2, 0, 4)]
        assert tallies["a"].last_reviewed == START + timedelta(minutes=4)
        with store.transaction():
            store.db.execute("update answers set reviewed_at = 'garbage' where id = ?", [newest(store, "b")])
        assert set(store.card_tallies()) == {"a"}
        assert store.skipped["answers"] == 1


def test_m012_fills_the_rollups_of_a_database_at_m011(tmp_path: Path, library):
    path = tmp_path / paths.DATABASE_NAME
    old = database_at(path, "m012_rollups")
    fill(old, library, START, answers=200, seed=3)
    assert old.execute(f"select count(*) from answers where {LAPSE}").fetchone()[0] > 0, "no lapse to count"
    old.close()
    with Store.at(path) as store:
        assert schema_of(path) == known_names()
        assert rolled_up(store) == recounted(store)
        assert len(rolled_up(store)[0]) == store.db.execute("select count(distinct card_id) from answers").fetchone()[0]
        grouped = store.db.execute(  # what card_tallies() grouped on every call before m012
            "select t.card_id, t.reviews, t.lapses, a.rating, a.reviewed_at from (select card_id, "
            f"count(*) as reviews, sum({LAPSE}) as lapses, max(id) as last_id from answers group by card_id) t "
            "join answers a on a.id = t.last_id"
        ).fetchall()
        tallies = store.card_tallies()
        assert sorted(
            (c, t.reviews, t.lapses, int(t.last_rating), t.last_reviewed.isoformat(timespec="microseconds"))
            for c, t in tallies.items()
        ) == sorted(grouped)


def weekly_medians(store: Store, spans: list[tuple[int, int]]) -> dict[int, float]:
    """Store answers (day offset from FIRST_DAY, milliseconds) and read three weeks' medians from FIRST_DAY."""
    history = [
        (
            answer(CARDS[n % len(CARDS)], START + timedelta(minutes=n), 3, duration),
            Phase.REVIEW,
            FIRST_DAY + timedelta(offset),
        )
        for n, (offset, duration) in enumerate(spans)
    ]
    store.import_history(history, [])
    return store.median_answer_ms_by_week(FIRST_DAY, 3)


@settings(max_examples=40, deadline=None)
@given(spans=st.lists(st.tuples(st.integers(-3, 24), st.integers(0, 60_000)), min_size=1, max_size=80))
def test_the_weekly_median_is_within_50_ms_of_the_exact_one(spans):
    with tempfile.TemporaryDirectory() as folder, Store.at(Path(folder) / paths.DATABASE_NAME) as store:
        medians = weekly_medians(store, spans)
    by_week: dict[int, list[int]] = {}
    for offset, duration in spans:
        if 0 <= offset < 21:
            by_week.setdefault(offset // 7, []).append(duration)
    assert set(medians) == set(by_week)
    for week, durations in by_week.items():
        assert abs(medians[week] - statistics.median(durations)) <= 50, (week, sorted(durations))


def test_the_weekly_median_of_odd_and_even_counts(tmp_path: Path):
    spans = [(0, 1000), (6, 1234), (3, 5000)]  # week 0, odd: the middle value's tenth (12) -> 1250 ms
    spans += [(7, 1000), (13, 1299)]  # week 1, even: the mean of tenths 10 and 12 -> 1150 ms (exact 1149.5)
    spans += [(14, 900), (20, 950), (20, 2000), (15, 100)]  # week 2, even, both middle in tenth 9 -> 950 ms
    spans += [(-1, 9), (21, 9)]  # the day before and the day after the three weeks: left out
    with Store.at(tmp_path / paths.DATABASE_NAME) as store:
        assert weekly_medians(store, spans) == {0: 1250, 1: 1150, 2: 950}


def test_a_day_that_cannot_be_read_is_skipped_and_counted(tmp_path: Path):
    with Store.at(tmp_path / paths.DATABASE_NAME) as store:
        assert weekly_medians(store, [(0, 1000), (1, 3000)]) == {0: 2050}
        with store.transaction():  # sorts inside the three weeks, but is no date
            store.db.execute("update answers set day = '2026-11-03x' where duration_ms = 3000")
        assert store.median_answer_ms_by_week(FIRST_DAY, 3) == {0: 1050}
        assert store.skipped["answers"] == 1
