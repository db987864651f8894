"""Personal FSRS parameters: fit them to a learner's history, check them on held-out reviews, apply them.

Pure functions over plain values: no Qt, no SQL, no clock (every instant is an argument). The fit is the official
Rust optimiser (fsrs-rs-python); scheduling with the result is fsrs's `Scheduler`, as in `trainer.scheduling`.

Minimum history (`MIN_REVIEWS`), measured with `held_out_curve` on shared/data/review-log-sample.csv (12,580
reviews of 1,205 cards; learning day = UTC with a 04:00 start): parameters fitted on the first N reviews, all
evaluated on one fixed held-out part, the latest 20% of training items (1,255 items from 2024-09-28). Log loss as
fsrs-rs computes it (recency-weighted); the defaults score 0.4504 there.

    N reviews   train items   fitted log loss
          250            34   0.4562  worse (below 64 items fsrs-rs fits only the initial stabilities)
          500            80   0.4483  better (a lucky fit: 750 to 5,500 are all worse)
        1,000           292   0.5095  worse
        2,000           683   0.4692  worse
        3,000         1,052   0.4695  worse
        4,000         1,550   0.4581  worse
        5,000         2,101   0.4573  worse
        5,500         2,351   0.4507  worse
        5,750         2,500   0.4474  better
        6,000         2,639   0.4468  better
        7,000         3,128   0.4471  better
        8,000         3,587   0.4472  better
        9,000         4,144   0.4492  better
       10,472         5,021   0.4469  better (every review before the held-out part)

From about 6,000 reviews on, every fit beats the defaults (with a midnight day boundary, 7,000 and 9,000 fall
0.001 short). The gain is small for this learner, whom the defaults already describe well; one learner's log
only, so the threshold is a measured floor, not a law.
"""

from __future__ import annotations

import math
import random
import struct
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

import fsrs  # replaying a history with new parameters needs fsrs's own Scheduler
import fsrs_rs_python as rs

from trainer.model import CardState
from trainer.study.scheduling import DEFAULT_RETENTION, state_from_json

MIN_REVIEWS = 6000
"""Fewer reviews than this and a fit does not beat the defaults on held-out reviews (see the module docstring)."""

TEST_FRACTION = 0.2
DEFAULT_PARAMETERS: tuple[float, ...] = tuple(fsrs.Scheduler().parameters)
_LOWER = fsrs.scheduler.LOWER_BOUNDS_PARAMETERS
_UPPER = fsrs.scheduler.UPPER_BOUNDS_PARAMETERS

DayOf = Callable[[datetime], date]
"""The caller's learning-day rule: which learning day an instant belongs to."""
ProgressCallback = Callable[[float, str], None]
"""Called with the fraction done (0 to 1) and what is happening, for a progress bar."""


@dataclass(frozen=True, slots=True)
class Review:
    """One answer: which card, when (aware UTC), the rating (1 Again to 4 Easy) and how long it took."""

    card_id: str
    reviewed_at: datetime
    rating: int
    duration_ms: int | None = None

    def __post_init__(self) -> None:
        if self.reviewed_at.tzinfo is None or self.reviewed_at.utcoffset() != timedelta(0):
            raise ValueError(f"a review needs an aware UTC time, got {self.reviewed_at!r}")
        if self.rating not in (1, 2, 3, 4):
            raise ValueError(f"a rating is 1 to 4, got {self.rating!r}")


class TimedItem(NamedTuple):
    """An FSRS training item (a card's daily history up to one review) and the time of that last review."""

    at: datetime
    card_id: str
    item: rs.FSRSItem


@dataclass(frozen=True, slots=True)
class Metrics:
    """How well parameters predict recall: log loss and RMSE over bins, both as fsrs-rs computes them."""

    log_loss: float
    rmse_bins: float


@dataclass(frozen=True, slots=True)
class FitResult:
    """Everything to show the learner about a fit, and the parameters to adopt when `adopt` is true."""

    reviews: int
    train_items: int
    test_items: int
    split_at: datetime
    default: Metrics
    fitted: Metrics
    parameters: tuple[float, ...]
    adopt: bool
    summary: str

    @property
    def improvement(self) -> float:
        """Relative fall in held-out log loss, fitted against defaults (0.08 = 8% better; negative = worse)."""
        return (self.default.log_loss - self.fitted.log_loss) / self.default.log_loss


class NotEnoughHistory(ValueError):  # noqa: N818 - the name the callers were promised
    """The history is too short for a fit that can beat the defaults."""

    def __init__(self, reviews: int, needed: int, detail: str = "") -> None:
        self.reviews = reviews
        self.needed = needed
        super().__init__(
            f"Not enough history to personalise the scheduler: you have {reviews:,} reviews and it needs at least "
            f"{needed:,}{detail}. Until then the default parameters are used."
        )


class FitCancelledError(Exception):
    """The caller asked to stop the fit."""


def training_items(reviews: Iterable[Review], *, day_of: DayOf) -> list[TimedItem]:
    """FSRS training items: each card's first answer per learning day, one item per answer after the first.

    An item holds the card's history up to and including that answer, with `delta_t` in learning days since the
    previous one; the model predicts the last answer from the rest. Items are sorted by time.
    """
    by_card: dict[str, list[Review]] = defaultdict(list)
    for review in reviews:
        by_card[review.card_id].append(review)
    items = [item for card_id, history in by_card.items() for item in _card_items(card_id, history, day_of)]
    items.sort(key=lambda timed: timed.at)
    return items


def _card_items(card_id: str, history: list[Review], day_of: DayOf) -> list[TimedItem]:
    history = sorted(history, key=lambda review: review.reviewed_at)
    steps: list[rs.FSRSReview] = []
    items: list[TimedItem] = []
    previous: date | None = None
    for review in history:
        day = day_of(review.reviewed_at)
        if previous is not None and day <= previous:
            continue
        steps.append(rs.FSRSReview(review.rating, 0 if previous is None else (day - previous).days))
        if previous is not None:
            items.append(TimedItem(review.reviewed_at, card_id, rs.FSRSItem(steps)))
        previous = day
    return items


def split_by_time(
    items: Sequence[TimedItem], test_fraction: float = TEST_FRACTION
) -> tuple[list[TimedItem], list[TimedItem]]:
    """The earlier (1 - test_fraction) of the time-sorted items, and the rest."""
    cut = round(len(items) * (1 - test_fraction))
    return list(items[:cut]), list(items[cut:])


def fit(
    reviews: Sequence[Review],
    *,
    day_of: DayOf,
    min_reviews: int = MIN_REVIEWS,
    test_fraction: float = TEST_FRACTION,
    progress: ProgressCallback | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> FitResult:
    """Fit parameters on the earlier reviews and judge them, against the defaults, on the later ones.

    The split is by time, not at random: parameters are always used to predict a learner's *future* reviews, so
    they are judged the same way, and a random split would leak each card's later answers into training. Train:
    the items (see `training_items`) of the earlier ~80% by time; held out: the latest ~20%, whose histories may
    reach back into the training period, as a real prediction's would. `adopt` is true when the fitted parameters
    have the lower held-out log loss.

    `progress` is told the stage; `cancelled` is polled between stages (raising `FitCancelledError`): the Rust
    optimiser offers neither progress nor interruption, and it holds the GIL while it runs (whole fit, 2 cores:
    0.02 s for 12,580 reviews, 0.5 s for 200,000, 2.6 s for 1,000,000), so a GUI should run it in a worker.
    """
    step = _Stepper(progress, cancelled)
    if len(reviews) < min_reviews:
        raise NotEnoughHistory(len(reviews), min_reviews)
    step(0.0, "Preparing your reviews")
    train, test = split_by_time(training_items(reviews, day_of=day_of), test_fraction)
    if not train or not test:
        raise NotEnoughHistory(len(reviews), min_reviews, " spread over several learning days")
    step(0.1, f"Fitting on {len(train):,} earlier reviews")
    parameters = scheduler_parameters(rs.FSRS(DEFAULT_PARAMETERS).compute_parameters([t.item for t in train]))
    step(0.8, f"Checking on your latest {len(test):,} reviews")
    default, fitted = evaluate(DEFAULT_PARAMETERS, test), evaluate(parameters, test)
    step(1.0, "Done")
    adopt = fitted.log_loss < default.log_loss
    return FitResult(
        reviews=len(reviews),
        train_items=len(train),
        test_items=len(test),
        split_at=test[0].at,
        default=default,
        fitted=fitted,
        parameters=parameters,
        adopt=adopt,
        summary=_summary(default, fitted, len(test)),
    )


class _Stepper:
    def __init__(self, progress: ProgressCallback | None, cancelled: Callable[[], bool] | None) -> None:
        self._progress, self._cancelled = progress, cancelled

    def __call__(self, fraction: float, stage: str) -> None:
        if self._cancelled is not None and self._cancelled():
            raise FitCancelledError(stage)
        if self._progress is not None:
            self._progress(fraction, stage)


def evaluate(parameters: Sequence[float], items: Sequence[TimedItem]) -> Metrics:
    """Log loss and RMSE (bins) of `parameters` predicting each item's last answer, as fsrs-rs defines them.

    fsrs-rs weights later items more (0.25 to 1, by position), so `items` must be in time order.
    """
    result = rs.FSRS(list(parameters)).evaluate([timed.item for timed in items])
    return Metrics(log_loss=result.log_loss, rmse_bins=result.rmse_bins)


def _summary(default: Metrics, fitted: Metrics, tested: int) -> str:
    change = (default.log_loss - fitted.log_loss) / default.log_loss
    checked = f"log loss {fitted.log_loss:.3f} against {default.log_loss:.3f}, on your latest {tested:,} reviews"
    if change > 0:
        return f"Your personal parameters predict your recall {change:.1%} better than the defaults ({checked})."
    return (
        f"Keeping the defaults: parameters fitted to your earlier reviews predicted your later ones "
        f"{-change:.1%} worse ({checked})."
    )


def scheduler_parameters(raw: Sequence[float]) -> tuple[float, ...]:
    """fsrs-rs's float32 parameters as the shortest decimals that round-trip, within `fsrs.Scheduler`'s bounds.

    Widening float32 as is can leave a bound: 0.8 becomes 0.800000011920929, which the Scheduler rejects.
    """
    if len(raw) != len(_LOWER):
        raise ValueError(f"expected {len(_LOWER)} parameters, got {len(raw)}")
    return tuple(min(max(_shortest(value), low), high) for value, low, high in zip(raw, _LOWER, _UPPER, strict=True))


def _shortest(value: float) -> float:
    packed = struct.pack("<f", value)
    for digits in range(1, 10):
        candidate = float(f"{value:.{digits}g}")
        if struct.pack("<f", candidate) == packed:
            return candidate
    return value


class CurvePoint(NamedTuple):
    """One row of the minimum-history measurement."""

    reviews: int
    train_items: int
    default_log_loss: float
    fitted_log_loss: float


def held_out_curve(
    reviews: Sequence[Review], sizes: Iterable[int], *, day_of: DayOf, test_fraction: float = TEST_FRACTION
) -> list[CurvePoint]:
    """Fit on the first N reviews for each N in `sizes`; evaluate all on the same held-out latest items.

    How `MIN_REVIEWS` was measured. Each N must leave its reviews before the held-out part.
    """
    ordered = sorted(reviews, key=lambda review: review.reviewed_at)
    train, test = split_by_time(training_items(ordered, day_of=day_of), test_fraction)
    default = evaluate(DEFAULT_PARAMETERS, test).log_loss
    points = []
    for size in sizes:
        last = ordered[size - 1].reviewed_at
        subset = [timed.item for timed in train if timed.at <= last]
        parameters = scheduler_parameters(rs.FSRS(DEFAULT_PARAMETERS).compute_parameters(subset))
        points.append(CurvePoint(size, len(subset), default, evaluate(parameters, test).log_loss))
    return points


def _scheduler(parameters: Sequence[float], desired_retention: float) -> fsrs.Scheduler:
    return fsrs.Scheduler(parameters=tuple(parameters), desired_retention=desired_retention, enable_fuzzing=False)


def reschedule(
    parameters: Sequence[float],
    histories: Mapping[str, Sequence[Review]],
    *,
    desired_retention: float = DEFAULT_RETENTION,
) -> dict[str, CardState]:
    """Each card's state after replaying its answers, in the order given, with `parameters` and no fuzzing.

    Replays as `trainer.scheduling.Scheduler.review` would have (same fsrs card id; an answer timed before the
    previous one counts as no time passing), so the caller can write every new state in one transaction.
    """
    scheduler = _scheduler(parameters, desired_retention)
    return {card_id: _replay(scheduler, card_id, history) for card_id, history in histories.items() if history}


def _replay(scheduler: fsrs.Scheduler, card_id: str, history: Sequence[Review]) -> CardState:
    card = fsrs.Card(card_id=zlib.crc32(card_id.encode()), due=history[0].reviewed_at)
    for review in history:
        at = max(review.reviewed_at, card.last_review or review.reviewed_at)
        card, _ = scheduler.review_card(card, fsrs.Rating(review.rating), at, review.duration_ms)
    return state_from_json(card.to_json())


@dataclass(frozen=True, slots=True)
class Workload:
    """Expected reviews on each of the coming days at one desired retention."""

    retention: float
    reviews_per_day: tuple[float, ...]

    @property
    def total(self) -> float:
        return sum(self.reviews_per_day)

    @property
    def mean_per_day(self) -> float:
        return self.total / len(self.reviews_per_day)


def simulate_workload(
    parameters: Sequence[float],
    cards: Iterable[CardState],
    now: datetime,
    *,
    retentions: Sequence[float] = (0.80, 0.85, 0.90, 0.95),
    days: int = 90,
    runs: int = 4,
    seed: int = 0,
) -> tuple[Workload, ...]:
    """Expected reviews per day over the next `days` for the learner's own studied cards, at each retention.

    A seeded Monte Carlo replay with fsrs's Scheduler (no fuzzing): each card in review is first rescheduled to
    the retention being simulated (its interval from its last review), then at each due time it is recalled
    with the forgetting curve's probability (answered Good) or forgotten (Again, then its relearning steps).
    Every retention sees the same random draws, so differences are the retention's, not noise. Cards never
    studied and new cards the learner may add are left out. Averaged over `runs` replays.
    """
    states = [fsrs.Card.from_json(state.json) for state in cards if state.stability is not None]
    return tuple(_workload(parameters, states, now, retention, days, runs, seed) for retention in retentions)


def _workload(
    parameters: Sequence[float],
    cards: list[fsrs.Card],
    now: datetime,
    retention: float,
    days: int,
    runs: int,
    seed: int,
) -> Workload:
    scheduler = _scheduler(parameters, retention)
    counts = [0] * days
    for run in range(runs):
        for index, card in enumerate(cards):
            rng = random.Random(f"{seed}/{run}/{index}")
            for day in _card_review_days(scheduler, _retimed(scheduler, card), now, days, rng):
                counts[day] += 1
    return Workload(retention, tuple(count / runs for count in counts))


def _retimed(scheduler: fsrs.Scheduler, card: fsrs.Card) -> fsrs.Card:
    if card.state != fsrs.State.Review or card.last_review is None or card.stability is None:
        return card
    return fsrs.Card(
        card_id=card.card_id,
        state=card.state,
        step=card.step,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.last_review + timedelta(days=_interval(scheduler, card.stability)),
        last_review=card.last_review,
    )


def _interval(scheduler: fsrs.Scheduler, stability: float) -> int:
    """fsrs's next interval (days) for `stability` at the scheduler's desired retention, without fuzz."""
    decay = -scheduler.parameters[20]
    factor = float(0.9 ** (1 / decay)) - 1
    days = stability / factor * (float(scheduler.desired_retention ** (1 / decay)) - 1)
    return min(max(round(days), 1), scheduler.maximum_interval)


def _card_review_days(
    scheduler: fsrs.Scheduler, card: fsrs.Card, now: datetime, days: int, rng: random.Random
) -> Iterable[int]:
    end = now + timedelta(days=days)
    while card.due < end:
        at = max(card.due, now)
        yield math.floor((at - now) / timedelta(days=1))
        recalled = rng.random() < scheduler.get_card_retrievability(card, at)
        card, _ = scheduler.review_card(card, fsrs.Rating.Good if recalled else fsrs.Rating.Again, at)
