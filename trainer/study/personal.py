"""A scheduler fitted to the learner: fit on their own answers, adopt (backup, then reschedule), reset, workload.

The pure work is `trainer.study.fitting`; this module reads the learner's history from the store and writes the
outcome through `FitStore`. Everything here can run in a worker process (`trainer.study.personal_worker`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, tzinfo
from pathlib import Path

from trainer.clock import Clock
from trainer.model import Answer, CardState
from trainer.storage.backup import BackupReason, make_backup
from trainer.storage.fits import FitRecord, FitStore
from trainer.storage.store import Store
from trainer.study.days import learning_day
from trainer.study.fitting import (
    DEFAULT_PARAMETERS,
    MIN_REVIEWS,
    FitResult,
    NotEnoughHistory,
    ProgressCallback,
    Review,
    Workload,
    fit,
    reschedule,
    simulate_workload,
)

RETENTIONS = (0.80, 0.90, 0.95)
WORKLOAD_DAYS = 90

__all__ = ["MIN_REVIEWS", "FitResult", "NotEnoughHistory", "ProgressCallback", "Workload"]


@dataclass(frozen=True, slots=True)
class Adopted:
    """What adopting (or resetting) did: the backup made first and how many cards were rescheduled."""

    backup: Path
    rescheduled: int


def _review(answer: Answer) -> Review:
    return Review(answer.card_id, answer.reviewed_at.astimezone(UTC), int(answer.rating), answer.duration_ms)


def histories(answers: Sequence[Answer]) -> dict[str, list[Review]]:
    """Each card's answers as reviews, in the order they were recorded."""
    by_card: dict[str, list[Review]] = defaultdict(list)
    for answer in answers:
        by_card[answer.card_id].append(_review(answer))
    return dict(by_card)


@dataclass(frozen=True, slots=True)
class FitStatus:
    """For the settings panel: the reviews a fit would use, why it cannot run yet, the last fit, the one in use."""

    reviews: int
    needs: str | None
    latest: FitRecord | None
    active: FitRecord | None


def fit_status(store: Store) -> FitStatus:
    fits = FitStore(store)
    return FitStatus(store.count_answers(), fit_needs(store), fits.latest(), fits.active())


def fit_needs(store: Store) -> str | None:
    """Why a fit cannot run yet ("5,120 reviews; a fit needs 6,000"), or None when it can."""
    reviews = store.count_answers()
    return None if reviews >= MIN_REVIEWS else f"{reviews:,} reviews; a fit needs {MIN_REVIEWS:,}"


def fit_my_history(
    store: Store,
    clock: Clock,
    zone: tzinfo | None,
    day_start_hour: int,
    progress: ProgressCallback | None = None,
    *,
    record: bool = True,
) -> FitResult:
    """Fit parameters to every recorded answer (items: each card's first answer per learning day), judged on the
    latest 20% by time; the fit is recorded (not yet in use) unless `record` is false.

    Raises NotEnoughHistory (its message says how many reviews there are and how many are needed).
    """
    reviews = store.count_answers()
    if reviews < MIN_REVIEWS:
        raise NotEnoughHistory(reviews, MIN_REVIEWS)

    def day_of(moment: datetime) -> date:
        return learning_day(moment, zone, day_start_hour)

    history = [_review(answer) for answer in store.answers()]
    result = fit(history, day_of=day_of, progress=progress)
    if record:
        FitStore(store).record(fit_record(result, clock()))
    return result


def fit_record(result: FitResult, at: datetime, *, active: bool = False) -> FitRecord:
    """The stored form of a fit."""
    return FitRecord(
        fitted_at=at,
        reviews=result.reviews,
        train_items=result.train_items,
        test_items=result.test_items,
        default_log_loss=result.default.log_loss,
        fitted_log_loss=result.fitted.log_loss,
        default_rmse=result.default.rmse_bins,
        fitted_rmse=result.fitted.rmse_bins,
        parameters=result.parameters,
        adopted=result.adopt,
        active=active,
    )


def adopt(store: Store, result: FitResult, clock: Clock, progress: ProgressCallback | None = None) -> Adopted:
    """Use the fitted parameters: back up (`before-fit`), replay every card's answers with them, then write all
    new schedules and mark the fit active in ONE transaction. Refuses a fit that did not beat the defaults."""
    if not result.adopt:
        raise ValueError("These parameters did not predict your recall better than the defaults; kept the defaults.")
    return _switch(store, result.parameters, fit_record(result, clock(), active=True), clock, progress)


def reset_to_defaults(store: Store, clock: Clock, progress: ProgressCallback | None = None) -> Adopted:
    """Back to the default parameters: back up, replay every card with the defaults, deactivate the fit."""
    return _switch(store, DEFAULT_PARAMETERS, None, clock, progress)


def _switch(
    store: Store,
    parameters: Sequence[float],
    record: FitRecord | None,
    clock: Clock,
    progress: ProgressCallback | None,
) -> Adopted:
    report = progress or (lambda _fraction, _stage: None)
    report(0.0, "Backing up your data")
    made = make_backup(store, BackupReason.BEFORE_FIT, clock())
    report(0.3, "Rescheduling your cards")
    states = reschedule(parameters, histories(store.answers()), desired_retention=store.settings().desired_retention)
    report(0.9, "Saving")
    written = FitStore(store).reschedule(states, record)
    report(1.0, "Done")
    return Adopted(made.path, written)


def replayed_state(
    store: Store, undone: Answer, parameters: Sequence[float], desired_retention: float
) -> CardState | None:
    """A card's state without `undone`: its other answers replayed with `parameters` (None: no answer left)."""
    kept = [answer for answer in store.answers(undone.card_id) if answer.id != undone.id]
    states = reschedule(parameters, histories(kept), desired_retention=desired_retention)
    return states.get(undone.card_id)


def workload(
    store: Store,
    parameters: Sequence[float] | None,
    now: datetime,
    left_out: Collection[str] = (),
    retentions: Sequence[float] = RETENTIONS,
    *,
    runs: int = 2,
) -> tuple[Workload, ...]:
    """Simulated reviews per day over the next 90 days for the learner's studied cards, but those `left_out`
    (the cards of decks turned off), at each retention."""
    states = [schedule.state for schedule in store.schedules() if schedule.card_id not in left_out]
    chosen = DEFAULT_PARAMETERS if parameters is None else parameters
    return simulate_workload(chosen, states, now, retentions=retentions, days=WORKLOAD_DAYS, runs=runs)


def plain_comparison(default_log_loss: float, fitted_log_loss: float) -> str:
    """ "predicts your recall 8% better than the defaults" (or worse), from the held-out log losses."""
    change = (default_log_loss - fitted_log_loss) / default_log_loss
    better = "better" if change >= 0 else "worse"
    return f"predicts your recall {abs(change):.1%} {better} than the defaults"
