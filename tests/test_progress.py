"""The progress arithmetic against examples worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from trainer.model import Rating
from trainer.study.days import learning_day
from trainer.study.progress import (
    Mastery,
    Retention,
    Review,
    due_forecast,
    is_mastered,
    last_months,
    monthly_retention,
    reviews_per_day,
    streak,
    topic_mastery,
    true_retention,
    weekly_answer_time,
)

MOMENT = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
PARIS = ZoneInfo("Europe/Paris")


def review(rating: Rating, interval: float | None, *, at: datetime = MOMENT, seconds: float = 5) -> Review:
    return Review(at, rating, interval, int(seconds * 1000))


def test_true_retention_counts_only_mature_reviews_and_hard_as_passed():
    reviews = [
        review(Rating.GOOD, 30),
        review(Rating.HARD, 21),  # exactly 21 days is mature; Hard is a pass
        review(Rating.AGAIN, 45),
        review(Rating.EASY, 60),
        review(Rating.AGAIN, 20.9),  # young: ignored
        review(Rating.GOOD, 3),  # young: ignored
        review(Rating.GOOD, None),  # a first answer: ignored
    ]
    # Mature: Good, Hard, Again, Easy -> 3 passed of 4.
    assert true_retention(reviews) == Retention(passed=3, total=4)
    assert true_retention(reviews).share == pytest.approx(0.75)


def test_true_retention_without_mature_reviews_has_no_share():
    assert true_retention([review(Rating.GOOD, 2)]) == Retention(0, 0)
    assert true_retention([]).share is None


def test_monthly_retention_groups_by_learning_month():
    months = [date(2026, 10, 1), date(2026, 11, 1)]
    reviews = [
        review(Rating.GOOD, 30, at=datetime(2026, 10, 5, 12, tzinfo=UTC)),
        review(Rating.AGAIN, 30, at=datetime(2026, 10, 20, 12, tzinfo=UTC)),
        # 1 Nov 02:00 in Paris is before the 04:00 day start: still the learning day 31 October.
        review(Rating.AGAIN, 30, at=datetime(2026, 11, 1, 1, tzinfo=UTC)),
        review(Rating.GOOD, 30, at=datetime(2026, 11, 10, 12, tzinfo=UTC)),
        review(Rating.GOOD, 30, at=datetime(2026, 9, 10, 12, tzinfo=UTC)),  # outside the months: ignored
    ]
    result = monthly_retention(reviews, months, lambda t: learning_day(t, PARIS, 4))
    assert result == [Retention(1, 3), Retention(1, 1)]


def test_forecast_counts_overdue_as_today_and_drops_days_beyond_the_window():
    today = date(2026, 11, 23)
    due_days = [
        date(2026, 11, 20),  # overdue -> today
        date(2026, 11, 23),
        date(2026, 11, 24),
        date(2026, 11, 24),
        date(2026, 12, 22),  # day 29: the last one in a 30-day window
        date(2026, 12, 23),  # day 30: outside
    ]
    forecast = due_forecast(due_days, today)
    assert len(forecast) == 30
    assert forecast[0] == 2
    assert forecast[1] == 2
    assert forecast[29] == 1
    assert sum(forecast) == 5


def test_mastery_needs_durable_memory_and_90_percent_recall_now_and_keeps_unstudied_cards_apart():
    cards = [
        ("T1", (0.95, 40.0)),
        ("T1", (0.90, 21.0)),  # exactly 90% and exactly 21 days count
        ("T1", (0.89, 60.0)),  # durable but likely forgotten now
        ("T1", (0.99, 2.0)),  # just seen, not durable
        ("T1", None),
        ("T2", None),
        ("T2", None),
    ]
    mastery = topic_mastery(cards)
    assert mastery == {"T1": Mastery(total=5, studied=4, mastered=2), "T2": Mastery(total=2, studied=0, mastered=0)}
    assert mastery["T1"].share == pytest.approx(0.4)
    assert mastery["T1"].not_started == 1
    assert mastery["T2"].not_started == 2
    assert mastery["T2"].share == 0


def test_a_card_failed_a_minute_ago_is_not_mastered(session, library, clock):
    """A lapse a minute ago leaves recall near 100% (just seen) but the memory short-lived: not mastered."""
    from trainer.study.figures import topic_mastery as figures_mastery

    card = next(c for c in library.cards.values() if c.topic == "T1")
    for gap in (0, 10, 30, 90):  # a long run of Easy answers makes the memory durable
        clock.advance(days=gap)
        session.answer(card, Rating.EASY)
    clock.advance(days=20)
    assert figures_mastery(session)["T1"].mastered == 1
    session.answer(card, Rating.AGAIN)
    clock.advance(minutes=1)
    assert not is_mastered(1.0, 0.5)
    assert figures_mastery(session)["T1"].mastered == 0


def test_streak_counts_consecutive_days_and_survives_until_today_is_studied():
    today = date(2026, 11, 23)
    days = [date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 22), date(2026, 11, 18)]
    assert streak(days, today) == 3  # today not studied yet: the streak up to yesterday holds
    assert streak([*days, today], today) == 4
    assert streak([date(2026, 11, 21)], today) == 0  # a day missed
    assert streak([], today) == 0
    assert streak([date(2026, 11, 24), date(2026, 11, 22)], today) == 2  # a day recorded ahead counts as today


def test_streak_follows_the_learning_day_across_midnight():
    # Day start at 04:00 local (Paris, UTC+1 in November): an answer at 01:30 local belongs to the evening before.
    answers = [
        datetime(2026, 11, 20, 20, 0, tzinfo=UTC),  # Fri 21:00 local -> Fri
        datetime(2026, 11, 22, 0, 30, tzinfo=UTC),  # Sun 01:30 local -> Sat
        datetime(2026, 11, 22, 19, 0, tzinfo=UTC),  # Sun 20:00 local -> Sun
    ]
    days = {learning_day(moment, PARIS, 4) for moment in answers}
    assert days == {date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 22)}
    # Mon 03:59 local is still Sunday's learning day; at 04:00 Monday begins and Sunday's streak still counts.
    assert streak(days, learning_day(datetime(2026, 11, 23, 2, 59, tzinfo=UTC), PARIS, 4)) == 3
    assert streak(days, learning_day(datetime(2026, 11, 23, 3, 0, tzinfo=UTC), PARIS, 4)) == 3
    # Without the 01:30 answer Saturday is missing, and the streak is Sunday alone.
    assert streak(days - {date(2026, 11, 21)}, date(2026, 11, 22)) == 1


def test_reviews_per_day_fills_missing_days_with_zero():
    today = date(2026, 11, 23)
    series = reviews_per_day({date(2026, 11, 23): 4, date(2026, 11, 21): 2, date(2026, 8, 1): 9}, today, days=3)
    assert series == [(date(2026, 11, 21), 2), (date(2026, 11, 22), 0), (date(2026, 11, 23), 4)]
    assert len(reviews_per_day({}, today)) == 90
    assert reviews_per_day({}, today)[0][0] == today - timedelta(days=89)


def test_weekly_answer_time_takes_the_median_of_each_week():
    today = date(2026, 11, 23)
    day_of = lambda moment: moment.date()  # noqa: E731 - UTC days for this example
    reviews = [
        review(Rating.GOOD, None, at=datetime(2026, 11, 23, 9, tzinfo=UTC), seconds=4),
        review(Rating.GOOD, None, at=datetime(2026, 11, 20, 9, tzinfo=UTC), seconds=10),
        review(Rating.GOOD, None, at=datetime(2026, 11, 17, 9, tzinfo=UTC), seconds=6),  # first day of the last week
        review(Rating.GOOD, None, at=datetime(2026, 11, 16, 9, tzinfo=UTC), seconds=30),  # the week before
    ]
    weeks = weekly_answer_time(reviews, today, day_of, weeks=3)
    assert weeks == [(date(2026, 11, 3), None), (date(2026, 11, 10), 30.0), (date(2026, 11, 17), 6.0)]


def test_last_months_cross_the_year():
    assert last_months(date(2026, 2, 14), 4) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
