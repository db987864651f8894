"""FSRS through trainer.scheduling, the learning day, and the study queue's limits."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from trainer.model import Phase, Rating
from trainer.study.days import day_bounds, learning_day
from trainer.study.scheduling import Scheduler, format_interval
from trainer.study.session import StudySession


def test_review_sequence_gives_exact_due_dates():
    scheduler = Scheduler(fuzzing=False)
    now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    state = None
    ratings = [Rating.GOOD, Rating.GOOD, Rating.GOOD, Rating.GOOD, Rating.AGAIN, Rating.GOOD, Rating.EASY]
    dues, phases = [], []
    for rating in ratings:
        state = scheduler.review("t2-m1-p-01", state, rating, now)
        dues.append(state.due)
        phases.append(state.phase)
        now = state.due
    assert dues == [
        datetime(2026, 1, 5, 9, 10, tzinfo=UTC),
        datetime(2026, 1, 7, 9, 10, tzinfo=UTC),
        datetime(2026, 1, 18, 9, 10, tzinfo=UTC),
        datetime(2026, 3, 5, 9, 10, tzinfo=UTC),
        datetime(2026, 3, 5, 9, 20, tzinfo=UTC),
        datetime(2026, 3, 8, 9, 20, tzinfo=UTC),
        datetime(2026, 3, 20, 9, 20, tzinfo=UTC),
    ]
    assert phases == [Phase.LEARNING, *[Phase.REVIEW] * 3, Phase.RELEARNING, Phase.REVIEW, Phase.REVIEW]


def test_preview_labels_each_rating_for_a_new_card():
    now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    gaps = Scheduler(fuzzing=False).preview("x", None, now)
    assert [format_interval(gaps[r]) for r in Rating] == ["1m", "6m", "10m", "8d"]


def test_higher_retention_gives_shorter_intervals():
    now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    relaxed = Scheduler(0.80, fuzzing=False).review("x", None, Rating.EASY, now)
    strict = Scheduler(0.95, fuzzing=False).review("x", None, Rating.EASY, now)
    assert strict.due < relaxed.due


def test_clock_going_backwards_never_gives_a_negative_interval():
    scheduler = Scheduler(fuzzing=False)
    now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    state = scheduler.review("x", None, Rating.GOOD, now)
    earlier = now - timedelta(days=3)
    again = scheduler.review("x", state, Rating.GOOD, earlier)
    assert again.due >= state.last_review
    assert all(gap >= timedelta(0) for gap in scheduler.preview("x", again, earlier).values())


def test_naive_or_local_datetimes_are_rejected():
    with pytest.raises(ValueError, match="UTC"):
        Scheduler().review("x", None, Rating.GOOD, datetime(2026, 1, 5, 9, 0))


@pytest.mark.parametrize(
    ("label", "gap"),
    [
        ("1m", timedelta(seconds=20)),
        ("10m", timedelta(minutes=10)),
        ("3h", timedelta(hours=3)),
        ("4d", timedelta(days=4)),
        ("2.5mo", timedelta(days=75)),
        ("1.2y", timedelta(days=440)),
    ],
)
def test_format_interval(label, gap):
    assert format_interval(gap) == label


@pytest.mark.parametrize(
    ("zone", "utc_hour_of_4am"),
    [(ZoneInfo("Europe/Berlin"), 3), (ZoneInfo("America/New_York"), 9)],
)
def test_learning_day_starts_at_local_4am(zone, utc_hour_of_4am):
    boundary = datetime(2026, 1, 15, utc_hour_of_4am, 0, tzinfo=UTC)
    assert learning_day(boundary - timedelta(seconds=1), zone, 4) == date(2026, 1, 14)
    assert learning_day(boundary, zone, 4) == date(2026, 1, 15)
    start, end = day_bounds(boundary + timedelta(hours=5), zone, 4)
    assert start == boundary
    assert end == boundary + timedelta(days=1)


def test_learning_day_across_daylight_saving_is_23_or_25_hours():
    berlin = ZoneInfo("Europe/Berlin")
    spring_start, spring_end = day_bounds(datetime(2026, 3, 29, 12, tzinfo=UTC), berlin, 4)
    assert spring_end - spring_start == timedelta(hours=24)  # 4 am to 4 am, both summer time
    start, end = day_bounds(datetime(2026, 3, 28, 12, tzinfo=UTC), berlin, 4)
    assert (start, end) == (datetime(2026, 3, 28, 3, tzinfo=UTC), datetime(2026, 3, 29, 2, tzinfo=UTC))
    start, end = day_bounds(datetime(2026, 10, 24, 12, tzinfo=UTC), berlin, 4)
    assert end - start == timedelta(hours=25)


def test_new_card_limit_and_next_day(session: StudySession, clock, store):
    store.save_settings(store.settings().__class__(new_per_day=3))
    session.apply_settings(store.settings())
    seen = []
    while (card := session.next_card()) is not None and card.id not in seen:
        seen.append(card.id)
        session.answer(card, Rating.EASY)
    assert len(seen) == 3
    assert session.counts().new == 0
    assert session.done_summary().new_tomorrow == 3
    clock.advance(days=1)
    assert session.counts().new == 3


def test_day_boundary_resets_the_new_card_limit_at_4am_local(session, clock, store):
    new_york = ZoneInfo("America/New_York")
    session.zone = new_york
    store.save_settings(store.settings().__class__(new_per_day=1))
    session.apply_settings(store.settings())
    clock.now = datetime(2026, 1, 15, 8, 59, tzinfo=UTC)  # 03:59 in New York: still the 14th
    session.answer(session.next_card(), Rating.EASY)
    assert session.counts().new == 0
    clock.now = datetime(2026, 1, 15, 9, 0, tzinfo=UTC)  # 04:00: a new learning day
    assert session.counts().new == 1


def test_bulk_recall_probabilities_match_fsrs():
    scheduler = Scheduler(0.9, fuzzing=False)
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    states, state, now = [], None, start
    for rating in [Rating.GOOD, Rating.GOOD, Rating.AGAIN, Rating.GOOD, Rating.EASY, Rating.HARD]:
        state = scheduler.review("x", state, rating, now)
        states.append(state)
        now = state.due
    later = now + timedelta(days=17, hours=5)
    memory = [(str(i), s.stability, s.last_review) for i, s in enumerate(states)]
    bulk = scheduler.recall_probabilities(memory, later)
    for i, s in enumerate(states):
        assert bulk[str(i)] == pytest.approx(scheduler.retrievability(s, later), rel=1e-12)
