"""The app's one front door: everything a screen may ask of the learner's collection.

A `Collection` holds the open database, the loaded content, the clock and the time zone, and offers the
use cases: `.study` (the queue and answering), `.quizzes` (start, resume, report, history), card actions,
the figures behind home, statistics and the browser, settings, and backups. Screens receive a Collection and
import nothing below it (an import-linter contract says so); the values they show are re-exported here.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from trainer.clock import Clock, system_clock
from trainer.exchange import exporting, user_decks
from trainer.exchange.user_decks import ImportPlan
from trainer.games import (
    Debrief,
    Game,
    GameRecord,
    Games,
    GameSession,
    IllegalMoveError,
    Move,
    MoveKind,
    ProgressPoint,
    ReplayError,
    Scenario,
    SeriesPoint,
    StrategyName,
    Tone,
)
from trainer.games.progress import strategy_guide, strategy_label
from trainer.library.search import text_index
from trainer.model import Answer, CardId, Library, QuizAttempt, QuizFormat, Settings, TextIndex
from trainer.paths import DataFolder, content_dir
from trainer.quiz.scoring import (
    CONFIDENCE_STEPS,
    INDICATIVE_BELOW,
    LENGTHS,
    ItemResult,
    Report,
    TopicScore,
    confidence_levels,
    keyed_worst,
)
from trainer.quiz.session import QuizSession, attempt_report
from trainer.storage import backup
from trainer.storage.backup import Backup
from trainer.storage.content_cache import cached_library, fingerprint
from trainer.storage.errors import StoreError
from trainer.storage.quizzes import QuizStore
from trainer.storage.store import Store
from trainer.study import figures
from trainer.study.browsing import CardListing, CardQuery, CardRow
from trainer.study.deck_list import DeckRow, deck_rows
from trainer.study.figures import Dashboard, Statistics
from trainer.study.personal_worker import Job as FitJob
from trainer.study.personal_worker import PersonalScheduler
from trainer.study.progress import MASTERY_DEFINITION, MATURE_DAYS, Mastery, Retention
from trainer.study.scheduling import state_from_json
from trainer.study.session import StudySession, suggested_rating

__all__ = [
    "CONFIDENCE_STEPS",
    "INDICATIVE_BELOW",
    "LENGTHS",
    "MASTERY_DEFINITION",
    "MATURE_DAYS",
    "Backup",
    "CardListing",
    "CardQuery",
    "CardRow",
    "Collection",
    "Dashboard",
    "Debrief",
    "DeckRow",
    "FitJob",
    "Game",
    "GameRecord",
    "GameSession",
    "Games",
    "HistoryEntry",
    "IllegalMoveError",
    "ImportPlan",
    "ItemResult",
    "Mastery",
    "Move",
    "MoveKind",
    "PersonalScheduler",
    "ProgressPoint",
    "QuizSession",
    "Quizzes",
    "ReplayError",
    "Report",
    "Retention",
    "Scenario",
    "SeriesPoint",
    "Statistics",
    "StoreError",
    "StrategyName",
    "Tone",
    "TopicScore",
    "confidence_levels",
    "keyed_worst",
    "strategy_guide",
    "strategy_label",
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
        self.text_index: TextIndex = text_index(library)
        """Searching the cards by their text (the content cache's index, or a scan)."""
        self._listing: CardListing | None = None
        self.clock = clock
        self.study = StudySession(store, library, clock=clock, zone=zone, fuzzing=fuzzing)
        self.quizzes = Quizzes(store, library, clock)
        self.games = Games(store, library, clock=clock)
        self.personal = PersonalScheduler(self.study)
        """The scheduler fitted to the learner: fit, adopt, reset and the workload, in a worker process."""
        self._decks_seen = self._deck_files_fingerprint()

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

    def statistics_job(self) -> tuple[Callable[[], Statistics], bool]:
        """The statistics as a function to run later, and whether it may run on a worker thread.

        A collection on a file gives a function that opens a read-only connection of its own (safe on any
        thread); an in-memory one gives a function for the GUI thread.
        """
        study = self.study
        parts = (study.library, study.scheduler, study.settings, study.zone, study.clock())
        if self._store.path is None:
            return (lambda: figures.statistics_from(study.store, *parts)), False

        def compute() -> Statistics:
            with self._store.reader() as reader:
                return figures.statistics_from(reader, *parts)

        return compute, True

    def card_listing(self) -> CardListing:
        """The browser's listing of the study cards (made once per library: again after decks are reloaded)."""
        if self._listing is None or self._listing.library is not self.library:
            self._listing = CardListing(self.study.card_table, self.library, self.text_index)
        return self._listing

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

    # Decks: the deck list, own decks, import and export ------------------------

    @property
    def decks_folder(self) -> Path:
        """The learner's own decks (the data folder's `decks`; it may not exist yet)."""
        return DataFolder(self.database.parent).decks

    def decks(self) -> list[DeckRow]:
        """Every study deck, bundled then own, with its due and new counts and whether it is on."""
        return deck_rows(self.study)

    def set_deck_enabled(self, deck_id: str, enabled: bool) -> None:
        """Turn a deck on or off (off: its cards are neither studied nor counted; history kept)."""
        self.study.set_deck_enabled(deck_id, enabled)

    def study_deck(self, deck_id: str | None) -> None:
        """Study one deck only, or (None) every deck turned on."""
        self.study.study_deck(deck_id)

    def plan_import(self, source: Path, *, deck_id: str | None = None, title: str | None = None) -> ImportPlan:
        """Check a TOML deck or a CSV of situation cards for import (raises OSError when unreadable)."""
        return user_decks.plan_import(source, self.library, self.decks_folder, deck_id=deck_id, title=title)

    def import_deck(self, plan: ImportPlan) -> Path:
        """Copy a checked deck into the own decks folder and load it; returns the deck's file."""
        written = user_decks.install(plan)
        self.reload_decks()
        return written

    def reload_decks(self) -> None:
        """Load the decks again (bundled and own) after one was added or replaced."""
        self._decks_seen = self._deck_files_fingerprint()
        library = cached_library(content_dir(), self.database.parent)
        self.library = library
        self.text_index = text_index(library)
        self.study.use_library(library)
        self.quizzes.library = library
        self.games.library = library

    def reload_decks_if_changed(self) -> bool:
        """Reload when a deck file was added, edited or removed since the last load (say, dropped into the
        decks folder by hand); True when it did."""
        seen = self._deck_files_fingerprint()
        if seen is None or seen == self._decks_seen:
            return False
        self.reload_decks()
        return True

    def _deck_files_fingerprint(self) -> str | None:
        """The deck files' names, sizes and times (None for an in-memory collection, which has no folder)."""
        if self._store.path is None:
            return None
        return fingerprint(content_dir(), self.decks_folder)

    def export_apkg(self, path: Path, deck_id: str | None = None) -> int:
        """The study cards (one deck's, or all) as an Anki package; returns the number of notes."""
        return exporting.write_apkg(self.library, path, deck_id)

    def export_history(self, path: Path) -> int:
        """Every answer as a CSV row (FSRS optimiser columns first); returns the number of rows."""
        return exporting.write_history(self._store, self.library, path)

    def export_quizzes(self, path: Path) -> int:
        """Every quiz item as a CSV row; returns the number of rows."""
        return exporting.write_quizzes(self._store, path)

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
