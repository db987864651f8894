"""The shared sample review log (../shared/data/review-log-sample.csv) imported as a learner's history."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from trainer.model import Answer, CardId, CardState, Phase, Rating, Schedule
from trainer.study.days import learning_day
from trainer.study.scheduling import Scheduler

SAMPLE = Path(__file__).parents[2] / "shared" / "data" / "review-log-sample.csv"
AFTER_SAMPLE = datetime(2024, 10, 7, 9, 0, tzinfo=UTC)  # the morning after the log's last review
HistoryRows = tuple[list[tuple[Answer, Phase, date]], list[Schedule]]


def fixed(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def sample_history(limit: int | None = None) -> HistoryRows:
    """The sample log (optionally its earliest `limit` reviews) as recorded answers, scheduled by the defaults;
    for `Store.import_history`."""
    with SAMPLE.open(newline="") as file:
        rows = sorted(csv.DictReader(file), key=lambda row: row["review_time"])[:limit]
    scheduler = Scheduler(fuzzing=False)
    states: dict[CardId, CardState] = {}
    answers = []
    for row in rows:
        card_id, at, rating = (
            CardId(row["card_id"]),
            datetime.fromisoformat(row["review_time"]),
            Rating(int(row["review_rating"])),
        )
        before = states.get(card_id)
        after = scheduler.review(card_id, before, rating, at)
        answer = Answer(card_id, at, rating, int(row["review_duration"] or 0), before.json if before else None,
                        after.json)  # fmt: skip
        answers.append((answer, before.phase if before else Phase.NEW, learning_day(at, UTC, 4)))
        states[card_id] = after
    return answers, [Schedule(card_id, state) for card_id, state in states.items()]
