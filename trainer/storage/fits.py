"""Fitted scheduler parameters (table `scheduler_fits`) and rescheduling every studied card in one transaction."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from trainer.model import CardId, CardState, Schedule
from trainer.storage.store import Store, _schedule_row, instant, stamp


@dataclass(frozen=True, slots=True)
class FitRecord:
    """One fit: when, from how many reviews, the held-out evaluation, the parameters, whether it is in use.

    `adopted` means the fit beat the defaults on the held-out reviews; `active` that the scheduler uses it
    (at most one row is active; none means the defaults).
    """

    fitted_at: datetime
    reviews: int
    train_items: int
    test_items: int
    default_log_loss: float
    fitted_log_loss: float
    default_rmse: float
    fitted_rmse: float
    parameters: tuple[float, ...]
    adopted: bool
    active: bool = False
    id: int | None = None


class FitStore:
    """The SQL behind personal scheduler parameters."""

    def __init__(self, store: Store):
        self.store = store

    def record(self, fit: FitRecord) -> int:
        """Store a fit in one transaction (an active one deactivates the others); returns its id."""
        with self.store.transaction():
            return self._insert(fit)

    def _insert(self, fit: FitRecord) -> int:
        if fit.active:
            self.store.db.execute("update scheduler_fits set active = 0 where active = 1")
        last = self.store.db.table("scheduler_fits").insert(_row(fit)).last_pk
        assert last is not None
        return int(last)

    def latest(self) -> FitRecord | None:
        """The most recent fit, in use or not."""
        return self._one("select * from scheduler_fits order by id desc limit 1")

    def active(self) -> FitRecord | None:
        """The fit the scheduler uses, or None for the defaults."""
        return self._one("select * from scheduler_fits where active = 1 order by id desc limit 1")

    def active_parameters(self) -> tuple[float, ...] | None:
        """The parameters in use, or None for the defaults (also when the stored row cannot be read)."""
        active = self.active()
        return None if active is None else active.parameters

    def reset(self) -> None:
        """Back to the default parameters (fits stay recorded); schedules are not touched."""
        with self.store.transaction():
            self.store.db.execute("update scheduler_fits set active = 0 where active = 1")

    def reschedule(self, states: Mapping[str, CardState], fit: FitRecord | None = None) -> int:
        """Write every card's new state and switch parameters, all in ONE transaction; returns the cards written.

        With `fit`, it is recorded as the active one; without, the defaults become active.
        """
        rows = (_schedule_row(Schedule(CardId(card_id), state)) for card_id, state in states.items())
        with self.store.transaction():
            self.store.db.table("schedules").upsert_all(rows, pk="card_id", batch_size=5000)
            if fit is None:
                self.store.db.execute("update scheduler_fits set active = 0 where active = 1")
            else:
                self._insert(replace(fit, active=True))
        return len(states)

    def _one(self, sql: str) -> FitRecord | None:
        rows = list(self.store.db.query(sql))
        return next(self.store._read("scheduler_fits", rows, _fit), None)


def _row(fit: FitRecord) -> dict[str, Any]:
    return {
        "fitted_at": stamp(fit.fitted_at),
        "reviews": fit.reviews,
        "train_items": fit.train_items,
        "test_items": fit.test_items,
        "default_log_loss": fit.default_log_loss,
        "fitted_log_loss": fit.fitted_log_loss,
        "default_rmse": fit.default_rmse,
        "fitted_rmse": fit.fitted_rmse,
        "parameters": json.dumps(list(fit.parameters)),
        "adopted": int(fit.adopted),
        "active": int(fit.active),
    }


def _fit(row: dict[str, Any]) -> FitRecord:
    parameters = json.loads(row["parameters"])
    if not isinstance(parameters, list) or not all(type(value) in (int, float) for value in parameters):
        raise ValueError("parameters are not a list of numbers")
    return FitRecord(
        id=row["id"],
        fitted_at=instant(row["fitted_at"]),
        reviews=int(row["reviews"]),
        train_items=int(row["train_items"] or 0),
        test_items=int(row["test_items"] or 0),
        default_log_loss=float(row["default_log_loss"]),
        fitted_log_loss=float(row["fitted_log_loss"]),
        default_rmse=float(row["default_rmse"]),
        fitted_rmse=float(row["fitted_rmse"]),
        parameters=tuple(float(value) for value in parameters),
        adopted=bool(row["adopted"]),
        active=bool(row["active"]),
    )
