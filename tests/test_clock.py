"""Clock trouble: the clock jumping back, a time-zone change, daylight-saving transitions.

No crash, no negative interval, and the learning day starts at the chosen local hour every day.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trainer.model import Rating
from trainer.storage.store import Store
from trainer.study.days import day_bounds, day_start, learning_day
from trainer.study.scheduling import Scheduler, state_from_json
from trainer.study.session import StudySession

# Zones with the awkward cases: DST at 2-3 am (Berlin, New York), a 30-minute DST (Lord Howe),
# DST at midnight (Santiago, Havana), the southern hemisphere, a +13:45 offset (Chatham), none (Kolkata).
ZONES = [
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Australia/Lord_Howe",
    "America/Santiago",
    "America/Havana",
    "Pacific/Chatham",
    "Asia/Kolkata",
]
TRANSITIONS = [  # instants near DST changes, 2026
    datetime(2026, 3, 8, 7, tzinfo=UTC),  # New York springs forward
    datetime(2026, 3, 29, 1, tzinfo=UTC),  # Berlin springs forward
    datetime(2026, 4, 4, 15, tzinfo=UTC),  # Lord Howe and Santiago fall back
    datetime(2026, 10, 25, 1, tzinfo=UTC),  # Berlin falls back
    datetime(2026, 11, 1, 6, tzinfo=UTC),  # New York and Havana fall back
    datetime(2026, 9, 6, 4, tzinfo=UTC),  # Santiago springs forward at midnight
]

instants = st.one_of(
    st.sampled_from(TRANSITIONS).flatmap(
        lambda t: st.integers(-36 * 60, 36 * 60).map(lambda minutes: t + timedelta(minutes=minutes))
    ),
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2060, 1, 1), timezones=st.just(UTC)),
)


@settings(max_examples=600, deadline=None)
@given(now=instants, zone_name=st.sampled_from(ZONES), hour=st.integers(0, 23))
def test_learning_day_contains_now_and_starts_at_the_local_hour(now, zone_name, hour):
    zone = ZoneInfo(zone_name)
    start, end = day_bounds(now, zone, hour)
    assert start <= now < end
    assert timedelta(hours=22) <= end - start <= timedelta(hours=26)
    assert learning_day(start, zone, hour) == learning_day(now, zone, hour)
    assert learning_day(end, zone, hour) == learning_day(now, zone, hour) + timedelta(days=1)
    local = start.astimezone(zone)
    if local.replace(tzinfo=None) == datetime.combine(local.date(), datetime.min.time()).replace(hour=hour):
        return
    # The hour did not exist that day (clocks sprang forward over it): the day starts right after the gap.
    just_before = (start - timedelta(microseconds=1)).astimezone(zone)
    assert just_before.hour < hour or just_before.date() < local.date()
    assert local.hour > hour or local.date() > just_before.date()


def test_day_start_on_daylight_saving_days_in_berlin():
    zone = ZoneInfo("Europe/Berlin")
    spring, autumn = datetime(2026, 3, 29).date(), datetime(2026, 10, 25).date()
    assert day_start(spring, zone, 4) == datetime(2026, 3, 29, 2, tzinfo=UTC)  # 04:00 CEST
    assert day_start(autumn, zone, 4) == datetime(2026, 10, 25, 3, tzinfo=UTC)  # 04:00 CET
    assert learning_day(datetime(2026, 3, 29, 1, 59, tzinfo=UTC), zone, 4) == spring - timedelta(days=1)
    assert learning_day(datetime(2026, 3, 29, 2, 0, tzinfo=UTC), zone, 4) == spring
    # 02:30 does not exist on the spring day; the learning day then starts at 03:00 CEST.
    assert day_start(spring, zone, 2) == datetime(2026, 3, 29, 1, tzinfo=UTC)
    start, end = day_bounds(datetime(2026, 10, 25, 12, tzinfo=UTC), zone, 4)
    assert end - start == timedelta(hours=24)
    start, end = day_bounds(datetime(2026, 10, 24, 12, tzinfo=UTC), zone, 4)
    assert end - start == timedelta(hours=25)  # the autumn night has an hour more


steps = st.lists(
    st.tuples(st.sampled_from(list(Rating)), st.integers(-60 * 24 * 40, 60 * 24 * 400)), min_size=1, max_size=25
)


@settings(max_examples=300, deadline=None)
@given(history=steps)
def test_no_negative_interval_whatever_the_clock_does(history):
    """Each step moves the clock by a random amount, backwards too (down to 40 days)."""
    scheduler = Scheduler(fuzzing=False)
    now = datetime(2026, 6, 1, 12, tzinfo=UTC)
    state = None
    for rating, minutes in history:
        now += timedelta(minutes=minutes)
        for gap in scheduler.preview("card", state, now).values():
            assert gap > timedelta(0)
        before = state.last_review if state else None
        state = scheduler.review("card", state, rating, now)
        assert state.last_review is not None
        assert state.due > state.last_review
        if before is not None:
            assert state.last_review >= before
        assert state_from_json(state.json).due == state.due


def test_study_session_survives_the_clock_going_back(session: StudySession, store: Store, clock):
    card = session.next_card()
    session.answer(card, Rating.GOOD)
    clock.advance(days=3)
    session.answer(card, Rating.GOOD)
    clock.advance(days=-10)  # the clock is set a week before the last answer
    assert all(not label.startswith("-") for label in session.intervals(card).values())
    outcome = session.answer(card, Rating.AGAIN)
    schedule = store.schedule(card.id)
    assert schedule.state.due == outcome.due
    assert outcome.due > clock.now + timedelta(days=7)  # measured from the last real review, not from the past
    session.counts()
    session.done_summary()
    while (next_card := session.next_card()) is not None and session.answered < 8:
        session.answer(next_card, Rating.EASY)
    assert store.count_answers() == session.answered
    assert [a.reviewed_at for a in store.answers(card.id)][-1] == clock.now  # the record keeps the real clock


def test_a_time_zone_change_moves_the_learning_day_not_the_answers(store: Store, library, clock):
    clock.now = datetime(2026, 11, 23, 2, 30, tzinfo=UTC)
    berlin = StudySession(store, library, clock=clock, zone=ZoneInfo("Europe/Berlin"), fuzzing=False)
    berlin.answer(berlin.next_card(), Rating.EASY)  # 03:30 in Berlin: still the 22nd's learning day
    assert berlin.answered_today() == 1
    assert store.db.execute("select day from answers").fetchone()[0] == "2026-11-22"
    clock.advance(hours=2)  # 04:30 Berlin, a new learning day there; but the learner flew to New York
    new_york = StudySession(store, library, clock=clock, zone=ZoneInfo("America/New_York"), fuzzing=False)
    assert new_york.answered_today() == 1  # 23:30 on the 22nd in New York: the same learning day
    new_york.answer(new_york.next_card(), Rating.EASY)
    assert store.db.execute("select day from answers order by id").fetchall() == [("2026-11-22",), ("2026-11-22",)]
    assert new_york.counts().new == new_york.settings.new_per_day - 2


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="time.tzset is POSIX only")
def test_the_system_time_zone_changing_under_a_running_session(store: Store, library, clock, monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Tokyo")
    time.tzset()
    try:
        clock.now = datetime(2026, 11, 23, 18, 30, tzinfo=UTC)  # 03:30 on the 24th in Tokyo
        session = StudySession(store, library, clock=clock, zone=None, fuzzing=False)
        session.answer(session.next_card(), Rating.EASY)
        assert learning_day(clock.now, None, 4) == datetime(2026, 11, 23).date()
        monkeypatch.setenv("TZ", "Europe/London")  # 18:30 on the 23rd in London
        time.tzset()
        assert learning_day(clock.now, None, 4) == datetime(2026, 11, 23).date()
        clock.advance(hours=6)  # 00:30 on the 24th in London, before 4 am: still the 23rd
        assert session.answered_today() == 1
        session.answer(session.next_card(), Rating.EASY)
        assert session.counts().new == session.settings.new_per_day - 2
    finally:
        monkeypatch.undo()
        time.tzset()
