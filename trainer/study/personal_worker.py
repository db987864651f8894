"""Run a fit, an adoption, a reset or a workload simulation in a child process, reporting through a pipe.

The Rust optimiser and fsrs's replay hold the GIL, so a thread would freeze the window; a spawned process does
not. The child opens its own connection to the database file. The parent calls `poll()` (say from a timer) and
gets progress events, then one done or failed event. `PersonalScheduler` is the face screens use.
"""

from __future__ import annotations

import multiprocessing
from dataclasses import dataclass
from datetime import datetime, tzinfo
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from trainer.storage.errors import StoreError
from trainer.storage.fits import FitStore
from trainer.storage.store import Store
from trainer.study import personal
from trainer.study.fitting import FitResult, NotEnoughHistory
from trainer.study.session import StudySession, counted_cards

FIT, ADOPT, RESET, WORKLOAD = "fit", "adopt", "reset", "workload"


PROGRESS, DONE, FAILED = "progress", "done", "failed"


@dataclass(frozen=True, slots=True)
class Event:
    """What the child reports: progress (`fraction`, `stage`), then done (`value`) or failed (`message`)."""

    kind: str
    fraction: float = 0.0
    stage: str = ""
    value: Any = None
    message: str = ""

    @property
    def final(self) -> bool:
        return self.kind != PROGRESS


def _progress(fraction: float, stage: str) -> Event:
    return Event(PROGRESS, fraction, stage)


def _done(value: Any) -> Event:
    return Event(DONE, 1.0, value=value)


def _failed(message: str) -> Event:
    return Event(FAILED, message=message)


@dataclass(frozen=True, slots=True)
class Request:
    """What the child should do, with plain picklable values (a fixed `now` stands in for the clock)."""

    kind: str
    database: Path
    now: datetime
    zone: tzinfo | None = None
    day_start_hour: int = 4
    fit: FitResult | None = None
    left_out: frozenset[str] = frozenset()  # cards the workload leaves out (those of decks turned off)


class Job:
    """One request running in a spawned child process."""

    def __init__(self, request: Request):
        self.request = request
        context = multiprocessing.get_context("spawn")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_child, args=(request, send), daemon=True, name=f"trainer-{request.kind}"
        )
        self._process.start()
        send.close()
        self.finished = False

    @property
    def kind(self) -> str:
        """fit, adopt, reset or workload."""
        return self.request.kind

    def poll(self) -> list[Event]:
        """Every event sent since the last call; a child that died silently becomes a failed event."""
        events: list[Event] = []
        try:
            while not self.finished and self._receive.poll():
                event = self._receive.recv()
                events.append(event)
                self.finished = event.final
        except EOFError:
            self.finished = True
            self._process.join(1)
            events.append(_failed(f"The {self.kind} stopped unexpectedly (exit code {self._process.exitcode})."))
        if self.finished:
            self._receive.close()
        return events

    def wait(self, timeout: float | None = None) -> list[Event]:
        """Block until the job ends (for the command line and tests); every event."""
        events: list[Event] = []
        while not self.finished:
            self._receive.poll(timeout)
            events.extend(self.poll())
        self._process.join(5)
        return events

    def cancel(self) -> None:
        """Stop the child (a write it was making is rolled back by SQLite)."""
        if self._process.is_alive():
            self._process.terminate()
            self._process.join(5)
        if not self.finished:
            self.finished = True
            self._receive.close()


def _child(request: Request, send: Connection) -> None:
    def progress(fraction: float, stage: str) -> None:
        send.send(_progress(fraction, stage))

    try:
        with Store.at(request.database, full_check=False) as store:
            send.send(_done(run(request, store, progress)))
    except (NotEnoughHistory, StoreError, ValueError) as error:
        send.send(_failed(str(error)))
    except Exception as error:  # the parent must hear of any failure, not wait forever
        send.send(_failed(f"The {request.kind} failed: {error!r}"))
    finally:
        send.close()


def run(request: Request, store: Store, progress: personal.ProgressCallback) -> Any:
    """Do the request on an open store (in the child, or in-process for the command line)."""

    def clock() -> datetime:
        return request.now

    if request.kind == FIT:
        return personal.fit_my_history(store, clock, request.zone, request.day_start_hour, progress)
    if request.kind == ADOPT:
        if request.fit is None:
            raise ValueError("nothing to adopt")
        return personal.adopt(store, request.fit, clock, progress)
    if request.kind == RESET:
        return personal.reset_to_defaults(store, clock, progress)
    if request.kind == WORKLOAD:
        return personal.workload(store, FitStore(store).active_parameters(), request.now, request.left_out)
    raise ValueError(f"unknown job {request.kind!r}")


class PersonalScheduler:
    """What a screen needs for one study session: the fit's status, and jobs that fit, adopt, reset or simulate
    the workload in a child process. `changed()` makes the session schedule with the parameters now stored."""

    retentions = personal.RETENTIONS
    """The retentions the workload is simulated at, lowest first."""

    def __init__(self, session: StudySession):
        self.session = session

    @property
    def retention(self) -> float:
        return self.session.settings.desired_retention

    @property
    def on_disk(self) -> bool:
        return self.session.store.path is not None

    def status(self) -> personal.FitStatus:
        return personal.fit_status(self.session.store)

    def comparison(self, default_log_loss: float, fitted_log_loss: float) -> str:
        return personal.plain_comparison(default_log_loss, fitted_log_loss)

    def fit(self) -> Job:
        return self._job(FIT)

    def adopt(self, result: FitResult) -> Job:
        return self._job(ADOPT, result)

    def reset(self) -> Job:
        return self._job(RESET)

    def workload(self) -> Job:
        """Simulate the workload, leaving out the cards of decks turned off (the learner will not be shown them)."""
        store, library = self.session.store, self.session.library
        return self._job(WORKLOAD, left_out=frozenset(library.cards).difference(counted_cards(store, library)))

    def changed(self) -> None:
        self.session.apply_settings(self.session.settings)

    def _job(self, kind: str, fit: FitResult | None = None, left_out: frozenset[str] = frozenset()) -> Job:
        path = self.session.store.path
        if path is None:
            raise StoreError("A fit needs the database on disk.")
        settings = self.session.settings
        return Job(Request(kind, path, self.session.clock(), self.session.zone, settings.day_start_hour, fit, left_out))
