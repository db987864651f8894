"""Progress arithmetic: true retention, the due forecast, topic mastery, the study streak, reviews per day.

Pure functions over plain values (no Qt, no SQL, no scheduler): the caller maps instants to learning days
and asks the scheduler for retrievability, then hands the results here.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from trainer.model import Rating

MATURE_DAYS = 21  # a review counts towards true retention when the card's interval was at least this long
MASTERED_RECALL = 0.90  # predicted recall now at or above this, and
MASTERED_STABILITY_DAYS = 21.0  # memory stability at least this, count a card as mastered (durable knowledge)
MASTERY_DEFINITION = (
    "A card is mastered when its memory is durable (stability of at least 21 days: you would still recall it "
    "three weeks on with 90% odds) and your predicted recall right now is at least 90%."
)
FORECAST_DAYS = 30
ACTIVITY_DAYS = 90

DayOf = Callable[[datetime], date]  # maps an instant to its learning day


@dataclass(frozen=True, slots=True)
class Review:
    """One past answer, reduced to what the statistics need.

    Attributes:
        reviewed_at: when it was answered (aware UTC).
        rating: the rating given.
        interval_days: the interval the card had been scheduled for (None for a card's first answer).
        duration_ms: how long the answer took.
    """

    reviewed_at: datetime
    rating: Rating
    interval_days: float | None
    duration_ms: int


@dataclass(frozen=True, slots=True)
class Retention:
    """Reviews of mature cards and how many of them were passed (rated other than Again)."""

    passed: int
    total: int

    @property
    def share(self) -> float | None:
        """passed / total, or None when there were no mature reviews."""
        return self.passed / self.total if self.total else None


@dataclass(frozen=True, slots=True)
class Mastery:
    """One topic's cards: how many there are, how many were ever studied, how many are mastered now."""

    total: int
    studied: int
    mastered: int

    @property
    def not_started(self) -> int:
        return self.total - self.studied

    @property
    def share(self) -> float:
        """Mastered cards as a share of all the topic's cards (0 for an empty topic)."""
        return self.mastered / self.total if self.total else 0.0


def true_retention(reviews: Iterable[Review], mature_days: float = MATURE_DAYS) -> Retention:
    """The share of reviews of mature cards (interval >= `mature_days`) answered other than Again."""
    passed = total = 0
    for review in reviews:
        if review.interval_days is None or review.interval_days < mature_days:
            continue
        total += 1
        passed += review.rating != Rating.AGAIN
    return Retention(passed, total)


def monthly_retention(
    reviews: Iterable[Review], months: list[date], day_of: DayOf, mature_days: float = MATURE_DAYS
) -> list[Retention]:
    """True retention in each month of `months` (given by their first days), by the learning day of each review."""
    grouped: dict[date, list[Review]] = {month: [] for month in months}
    for review in reviews:
        month = day_of(review.reviewed_at).replace(day=1)
        if month in grouped:
            grouped[month].append(review)
    return [true_retention(grouped[month], mature_days) for month in months]


def due_forecast(due_days: Iterable[date], today: date, days: int = FORECAST_DAYS) -> list[int]:
    """Cards falling due on each of the next `days` learning days; overdue cards count for today."""
    counts = [0] * days
    for day in due_days:
        offset = max((day - today).days, 0)
        if offset < days:
            counts[offset] += 1
    return counts


def is_mastered(recall: float, stability_days: float) -> bool:
    """Durable knowledge: stable for at least 21 days and likely (>= 90%) to be recalled right now.

    A card answered correctly a minute ago after a lapse has recall near 100% but a stability of days, so
    it is not mastered: the recall now alone would count every card just seen.
    """
    return stability_days >= MASTERED_STABILITY_DAYS and recall >= MASTERED_RECALL


def topic_mastery(cards: Iterable[tuple[str, tuple[float, float] | None]]) -> dict[str, Mastery]:
    """Per topic, from (topic, (predicted recall now, stability in days), or None if never studied) per card."""
    totals: Counter[str] = Counter()
    studied: Counter[str] = Counter()
    mastered: Counter[str] = Counter()
    for topic, memory in cards:
        totals[topic] += 1
        if memory is not None:
            studied[topic] += 1
            mastered[topic] += is_mastered(*memory)
    return {topic: Mastery(totals[topic], studied[topic], mastered[topic]) for topic in totals}


def streak(study_days: Iterable[date], today: date) -> int:
    """Consecutive learning days with at least one answer, ending today (or yesterday, if today is not done yet).

    A recorded day after `today` (the day-start hour was moved later, or the clock went back) counts as today.
    """
    days = {min(day, today) for day in study_days}
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def reviews_per_day(counts: dict[date, int], today: date, days: int = ACTIVITY_DAYS) -> list[tuple[date, int]]:
    """The last `days` learning days up to today, oldest first, with their answer counts (0 when none)."""
    first = today - timedelta(days=days - 1)
    return [(first + timedelta(days=i), counts.get(first + timedelta(days=i), 0)) for i in range(days)]


def weekly_answer_time(
    reviews: Iterable[Review], today: date, day_of: DayOf, weeks: int = 12
) -> list[tuple[date, float | None]]:
    """Median seconds per answer in each of the last `weeks` 7-day spans ending today, oldest first.

    Each span is labelled by its first learning day; a span with no answers has None.
    """
    first = today - timedelta(days=7 * weeks - 1)
    spans: list[list[float]] = [[] for _ in range(weeks)]
    for review in reviews:
        offset = (day_of(review.reviewed_at) - first).days
        if 0 <= offset < 7 * weeks:
            spans[offset // 7].append(review.duration_ms / 1000)
    return [(first + timedelta(days=7 * i), statistics.median(span) if span else None) for i, span in enumerate(spans)]


def last_months(today: date, count: int = 12) -> list[date]:
    """The first days of the `count` calendar months up to and including today's, oldest first."""
    months: list[date] = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]
