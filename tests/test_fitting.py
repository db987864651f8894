"""Fitting FSRS parameters to a real history, judged on held-out later reviews; replay and workload."""

from __future__ import annotations

import csv
import zlib
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import fsrs
import pytest

from trainer.model import Rating
from trainer.study.days import learning_day
from trainer.study.fitting import (
    DEFAULT_PARAMETERS,
    MIN_REVIEWS,
    FitCancelledError,
    FitResult,
    NotEnoughHistory,
    Review,
    fit,
    reschedule,
    scheduler_parameters,
    simulate_workload,
    training_items,
)
from trainer.study.scheduling import Scheduler

SAMPLE = Path(__file__).parents[2] / "shared" / "data" / "review-log-sample.csv"
AFTER_SAMPLE = datetime(2024, 10, 7, tzinfo=UTC)  # the day after the log's last review
T0 = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)


def day_of(moment: datetime) -> date:
    return learning_day(moment, UTC, 4)


@pytest.fixture(scope="module")
def sample() -> list[Review]:
    with SAMPLE.open(newline="") as file:
        return [
            Review(row["card_id"], datetime.fromisoformat(row["review_time"]), int(row["review_rating"]), int(d))
            for row in csv.DictReader(file)
            if (d := row["review_duration"])
        ]


@pytest.fixture(scope="module")
def fitted(sample: list[Review]) -> FitResult:
    return fit(sample, day_of=day_of)


def test_sample_is_the_documented_log(sample: list[Review]) -> None:
    assert len(sample) == 12_580
    assert len({review.card_id for review in sample}) == 1_205


def test_fitted_parameters_predict_held_out_reviews_no_worse_than_defaults(fitted: FitResult) -> None:
    numbers = (
        f"held-out log loss: defaults {fitted.default.log_loss:.4f}, fitted {fitted.fitted.log_loss:.4f}; "
        f"RMSE (bins): defaults {fitted.default.rmse_bins:.4f}, fitted {fitted.fitted.rmse_bins:.4f}; "
        f"{fitted.train_items} train items, {fitted.test_items} held out from {fitted.split_at:%Y-%m-%d}"
    )
    assert fitted.fitted.log_loss <= fitted.default.log_loss, numbers
    assert fitted.adopt, numbers
    assert fitted.reviews == 12_580
    assert fitted.test_items == pytest.approx((fitted.train_items + fitted.test_items) * 0.2, abs=1)
    assert fitted.summary.startswith("Your personal parameters predict your recall"), fitted.summary
    assert f"{fitted.improvement:.1%} better" in fitted.summary


def test_fitted_parameters_are_valid_for_the_fsrs_scheduler(fitted: FitResult) -> None:
    assert len(fitted.parameters) == 21
    assert all(type(value) is float for value in fitted.parameters)
    assert fsrs.Scheduler(parameters=fitted.parameters).parameters == fitted.parameters
    assert fitted.parameters != DEFAULT_PARAMETERS


def test_float32_parameters_are_brought_within_the_scheduler_bounds() -> None:
    as_float32 = [
        0.800000011920929 if index in (9, 19, 20) else value for index, value in enumerate(DEFAULT_PARAMETERS)
    ]
    with pytest.raises(ValueError, match="out of bounds"):
        fsrs.Scheduler(parameters=as_float32)
    parameters = scheduler_parameters(as_float32)
    assert parameters[20] == 0.8
    fsrs.Scheduler(parameters=parameters)


def test_a_history_below_the_threshold_is_refused_with_the_counts(sample: list[Review]) -> None:
    earliest = sorted(sample, key=lambda review: review.reviewed_at)[: MIN_REVIEWS - 1]
    with pytest.raises(NotEnoughHistory, match=f"you have {MIN_REVIEWS - 1:,} reviews.*at least {MIN_REVIEWS:,}"):
        fit(earliest, day_of=day_of)


def test_fit_reports_progress_and_can_be_cancelled(sample: list[Review]) -> None:
    stages: list[float] = []
    fit(sample, day_of=day_of, progress=lambda fraction, _stage: stages.append(fraction))
    assert stages == sorted(stages)
    assert (stages[0], stages[-1]) == (0.0, 1.0)
    with pytest.raises(FitCancelledError, match="Fitting"):
        fit(sample, day_of=day_of, cancelled=lambda: len(stages) > 4, progress=lambda f, _: stages.append(f))


def test_items_take_each_cards_first_answer_per_learning_day() -> None:
    reviews = [
        Review("a", T0, 1),
        Review("a", T0 + timedelta(minutes=10), 3),  # same learning day: not an item
        Review("a", datetime(2024, 1, 2, 3, 0, tzinfo=UTC), 3),  # before 04:00: still 1 January
        Review("a", datetime(2024, 1, 3, 5, 0, tzinfo=UTC), 3),
        Review("a", datetime(2024, 1, 6, 5, 0, tzinfo=UTC), 1),
        Review("b", T0, 3),
    ]
    items = training_items(reversed(reviews), day_of=day_of)
    assert [item.at for item in items] == [reviews[3].reviewed_at, reviews[4].reviewed_at]
    assert repr(items[-1].item.reviews) == (
        "[FSRSReview { rating: 1, delta_t: 0 }, FSRSReview { rating: 3, delta_t: 2 }, "
        "FSRSReview { rating: 1, delta_t: 3 }]"
    )


def test_reviews_need_utc_times_and_ratings_1_to_4() -> None:
    with pytest.raises(ValueError, match="UTC"):
        Review("a", datetime(2024, 1, 1), 3)  # a naive time
    with pytest.raises(ValueError, match="1 to 4"):
        Review("a", T0, 5)


TWO_CARDS = {
    "card-1": [
        Review("card-1", T0, 3, 4000),
        Review("card-1", T0 + timedelta(minutes=1), 3),
        Review("card-1", T0 + timedelta(days=3), 1),
    ],
    "card-2": [Review("card-2", T0 + timedelta(hours=1), 4), Review("card-2", T0 + timedelta(days=9), 2)],
}
HAND_MADE = (*DEFAULT_PARAMETERS[:20], 0.25)


def test_reschedule_matches_fsrs_and_is_deterministic() -> None:
    scheduler = fsrs.Scheduler(parameters=HAND_MADE, enable_fuzzing=False)
    expected = {}
    for key, history in TWO_CARDS.items():
        card = fsrs.Card(card_id=zlib.crc32(key.encode()), due=history[0].reviewed_at)
        for review in history:
            card, _ = scheduler.review_card(card, fsrs.Rating(review.rating), review.reviewed_at)
        expected[key] = card.to_json()
    first, second = reschedule(HAND_MADE, TWO_CARDS), reschedule(HAND_MADE, TWO_CARDS)
    assert first == second
    assert {key: state.json for key, state in first.items()} == expected
    assert first["card-2"].due == T0 + timedelta(days=9) + timedelta(days=round(first["card-2"].stability or 0) or 1)


def test_reschedule_with_the_defaults_agrees_with_the_apps_scheduler() -> None:
    app = Scheduler(fuzzing=False)
    for key, history in TWO_CARDS.items():
        state = None
        for review in history:
            state = app.review(key, state, Rating(review.rating), review.reviewed_at)
        assert reschedule(DEFAULT_PARAMETERS, TWO_CARDS)[key] == state


def test_workload_falls_as_retention_falls(sample: list[Review], fitted: FitResult) -> None:
    histories: dict[str, list[Review]] = defaultdict(list)
    for review in sorted(sample, key=lambda review: review.reviewed_at):
        histories[review.card_id].append(review)
    states = reschedule(fitted.parameters, histories).values()
    workloads = simulate_workload(fitted.parameters, states, AFTER_SAMPLE, runs=1)
    totals = [workload.total for workload in workloads]
    assert [workload.retention for workload in workloads] == [0.80, 0.85, 0.90, 0.95]
    assert totals == sorted(totals), totals
    assert totals[0] < totals[-1] * 0.7, totals
    assert all(len(workload.reviews_per_day) == 90 for workload in workloads)
    assert workloads[2].mean_per_day == pytest.approx(totals[2] / 90)
    assert simulate_workload(fitted.parameters, states, AFTER_SAMPLE, runs=1) == workloads
