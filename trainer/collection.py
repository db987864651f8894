"""The app's one front door: everything a screen may ask of the learner's collection.

A `Collection` holds the open database, the loaded content, the clock and the time zone, and offers the
use cases: `.study` (the queue and answering), `.quizzes` (start, resume, report, history), card actions,
the figures behind home, statistics and the browser, settings, and backups. Screens receive a Collection and
import nothing below it (an import-linter contract says so); the values they show are re-exported here.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from trainer.clock import Clock, system_clock
from trainer.model import Answer, CardId, Library, QuizAttempt, QuizFormat, Settings
from trainer.quiz.scoring import CONFIDENCE_STEPS, LENGTHS, ItemResult, Report, confidence_levels, keyed_worst
from trainer.quiz.session import QuizSession, attempt_report
from trainer.storage import backup
from trainer.storage.backup import Backup
from trainer.storage.errors import StoreError
from trainer.storage.quizzes import QuizStore
from trainer.storage.store import Store
from trainer.study import figures
from trainer.study.figures import CardRow, Dashboard, Statistics
from trainer.study.progress import MATURE_DAYS, Mastery, Retention
from trainer.study.scheduling import state_from_json
from trainer.study.session import StudySession, suggested_rating

__all__ = [
    "CONFIDENCE_STEPS",
    "LENGTHS",
    "MATURE_DAYS",
    "Backup",
    "CardRow",
    "Collection",
    "Dashboard",
    "HistoryEntry",
    "ItemResult",
    "Mastery",
    "QuizSession",
    "Quizzes",
    "Report",
    "Retention",
    "Statistics",
    "StoreError",
    "confidence_levels",
    "keyed_worst",
    "suggested_rating",
]


@dataclass(frozen=True, slots=True)
class HistoryEntry:
    """One past answer of a card, with when the card was next due after it."""

    answer: Answer
    due_after: datetime


class Quizzes:
    """The self-assessment quiz: attempts started, resumed, reported and listed."""

    def __init__(self, store: Store, library: Library, clock: Clock):
        self._store = store
        self._attempts = QuizStore(store)
        self.library = library
        self.clock = clock

    def open_attempt(self) -> QuizAttempt | None:
        """The attempt left mid-way, if any."""
        return self._attempts.open_attempt()

    def last_attempt(self) -> QuizAttempt | None:
        """The latest attempt, finished or not (set-up starts from its choices)."""
        return self._attempts.last_attempt()

    def history(self) -> list[QuizAttempt]:
        """Every finished attempt, oldest first."""
        return self._attempts.finished_attempts()

    def start(
        self,
        *,
        mode: str,
        topics: Sequence[str],
        length: int,
        quiz_format: str = QuizFormat.BEST,
        include_studied: bool = False,
        rng: random.Random | None = None,
    ) -> QuizSession:
        return QuizSession.start(
            self._store,
            self.library,
            mode=mode,
            topics=topics,
            length=length,
            quiz_format=quiz_format,
            include_studied=include_studied,
            clock=self.clock,
            rng=rng,
        )

    def resume(self, attempt_id: int) -> QuizSession:
        return QuizSession(self._store, self.library, attempt_id, clock=self.clock)

    def report(self, attempt_id: int) -> Report | None:
        """A stored attempt's report (None when none of its cards is left in the deck)."""
        return attempt_report(self._store, self.library, attempt_id)


class Collection:
    """The learner's collection as the screens see it (see the module docstring)."""

    def __init__(
        self,
        store: Store,
        library: Library,
        *,
        clock: Clock = system_clock,
        zone: tzinfo | None = None,
        fuzzing: bool = True,
    ):
        self._store = store
        self.library = library
        self.clock = clock
        self.study = StudySession(store, library, clock=clock, zone=zone, fuzzing=fuzzing)
        self.quizzes = Quizzes(store, library, clock)

    # Settings ---------------------------------------------------------------

    @property
    def settings(self) -> Settings:
        return self.study.settings

    def save_settings(self, settings: Settings) -> None:
        """Validate (raises SettingsError) and store the settings, and use them from now on."""
        self._store.save_settings(settings)
        self.study.apply_settings(settings)

    # Figures ----------------------------------------------------------------

    def dashboard(self) -> Dashboard:
        return figures.dashboard(self.study)

    def statistics(self) -> Statistics:
        return figures.statistics(self.study)

    def card_rows(self) -> list[CardRow]:
        return figures.card_rows(self.study)

    def history(self, card_id: CardId) -> list[HistoryEntry]:
        """A card's answers, oldest first, each with the due date it set."""
        return [HistoryEntry(a, state_from_json(a.state_after).due) for a in self._store.answers(card_id)]

    def has_answered(self, card_id: str) -> bool:
        return bool(self._store.answers(CardId(card_id)))

    def skipped_rows(self) -> int:
        """Rows skipped so far because a value in them could not be read (see `trainer doctor`)."""
        return sum(self._store.skipped.values())

    # Card actions -------------------------------------------------------------

    def set_suspended(self, card_ids: list[str], suspended: bool) -> None:
        self.study.set_suspended(card_ids, suspended)

    def bury(self, card_ids: list[str]) -> None:
        self.study.bury(card_ids)

    def reset(self, card_ids: list[str]) -> int:
        return self.study.reset(card_ids)

    # Backups ----------------------------------------------------------------

    @property
    def database(self) -> Path:
        assert self._store.path is not None, "an in-memory collection has no file"
        return self._store.path

    @property
    def backups_folder(self) -> Path:
        return backup.backup_folder(self.database.parent)

    def back_up_now(self) -> Backup:
        return backup.make_backup(self._store, backup.BackupReason.MANUAL, self.clock())

    def check_backup(self, path: Path) -> None:
        """Raise StoreError saying why a file cannot be restored."""
        backup.check_backup(path)

    def restore(self, path: Path) -> Backup:
        """Replace the data with a backup's (after backing up the current data); the session starts over."""
        safety = backup.restore(self._store, path, self.clock())
        self.study.reload()
        return safety

    def daily_backup(self) -> Backup | None:
        """The daily backup if one is due, on a connection of its own (safe on a worker thread)."""
        return backup.backup_file_if_due(self.database, self.clock())

    def verify(self) -> str | None:
        """The full check of a database opened after a fast one (any thread); the damage, or None."""
        return backup.verify_store(self._store)
