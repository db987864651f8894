"""The child side of the SIGKILL harness in test_crash.py: a zygote that forks one worker per run.

The zygote imports the trainer and loads the decks once, then reads commands from stdin, one a line:
`<mode> <data folder> <seed> <kill at statement>`. For each it forks a worker, prints `pid <n>`, waits
for the worker to end (normally, or killed by the test) and prints `exit <status>`.

A worker sends its stdout to `<data folder>/acks-<seed>.log` and prints a line only after the commit it
reports, so whatever the log holds was acknowledged before the kill. With a statement number above 0,
the worker kills itself with SIGKILL just before its SQL statement of that number (counted over every
connection), which puts the crash at an exact point inside a transaction.

Modes: study (answers, undo and quizzes through StudySession and QuizSession), migrate (open an
old-schema database as the app does: a backup first, then the upgrade), backup (back up over and over,
rotating each time), restore (restore one of the backups in <data folder>/sources over and over),
first-start (create the database in an empty folder and answer one card).
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import sys
import traceback
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from trainer import paths
from trainer.library.loading import load_library
from trainer.model import Library, Rating
from trainer.quiz.session import QuizSession
from trainer.storage import backup
from trainer.storage.store import Store
from trainer.study.session import StudySession

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
_statements = 0


class WorkerClock:
    """Moves forward only when told; starts after the last answer already stored."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def say(line: str) -> None:
    print(line, flush=True)


def kill_at_statement(number: int) -> None:
    """From now on, count SQL statements on every new connection and die just before statement `number`."""
    real_connect = sqlite3.connect

    def tick(_statement: str) -> None:
        global _statements
        _statements += 1
        if number and _statements >= number:
            os.kill(os.getpid(), signal.SIGKILL)

    def connect(*args, **kwargs):
        conn = real_connect(*args, **kwargs)
        conn.set_trace_callback(tick)
        return conn

    sqlite3.connect = connect


def study(folder: Path, rng: random.Random, library: Library, seed: int) -> None:
    store = Store.open(folder)
    last = store.db.execute("select max(reviewed_at) from answers").fetchone()[0]
    clock = WorkerClock(datetime.fromisoformat(last) + timedelta(minutes=1) if last else START)
    session = StudySession(store, library, clock=clock, zone=UTC, fuzzing=False)
    topics = sorted(library.taxonomy.topics)
    mine: list[int] = []  # this run's answers, newest last: what the session can undo
    say("ready")
    while True:
        roll = rng.random()
        if roll < 0.08 and mine:
            answer_id = mine.pop()
            say(f"undoing {answer_id}")
            session.undo()
            say(f"undone {answer_id}")
        elif roll < 0.13:
            quiz(store, library, clock, rng, topics)
        else:
            card = session.next_card()
            if card is None:
                clock.advance(days=1)
                continue
            option = rng.choice(card.options).id if card.options else None
            rating = Rating(rng.randint(1, 4))
            outcome = session.answer(card, rating, option_id=option, duration_ms=rng.randint(500, 30000))
            mine.append(outcome.answer_id)
            say(f"ack {outcome.answer_id} {card.id}")
            clock.advance(minutes=rng.randint(1, 90))


def quiz(store: Store, library: Library, clock: WorkerClock, rng: random.Random, topics: list[str]) -> None:
    chosen = rng.sample(topics, rng.randint(1, 3))
    session = QuizSession.start(
        store, library, mode="exam", topics=chosen, length=rng.randint(3, 6), clock=clock, rng=rng
    )
    say(f"quiz-started {session.attempt_id} {len(session.items)}")
    while (current := session.current()) is not None:
        item, card = current
        option = rng.choice(card.options).id
        session.answer(option, rng.randint(1, 4), rng.randint(500, 9000))
        say(f"quiz-ack {item.id} {option}")
        clock.advance(seconds=rng.randint(5, 60))
    if rng.random() < 0.7:
        session.finish()
        say(f"quiz-finished {session.attempt_id}")


def migrate(folder: Path, rng: random.Random, library: Library, seed: int) -> None:
    clock = WorkerClock(START)
    say("opening")
    with backup.open_store(folder, clock):
        say("migrated")
    say(f"statements {_statements}")


def backups(folder: Path, rng: random.Random, library: Library, seed: int) -> None:
    store = Store.open(folder)
    clock = WorkerClock(START + timedelta(hours=seed))  # later seeds make newer backups
    while True:
        made = backup.make_backup(store, backup.BackupReason.MANUAL, clock())
        say(f"backup {made.path.name}")
        clock.advance(seconds=1)


def restores(folder: Path, rng: random.Random, library: Library, seed: int) -> None:
    store = Store.open(folder)
    clock = WorkerClock(START + timedelta(hours=seed))
    sources = sorted((folder / "sources").glob("*.db"))
    while True:
        source = rng.choice(sources)
        backup.restore(store, source, clock())
        say(f"restored {source.name}")
        clock.advance(seconds=1)


def first_start(folder: Path, rng: random.Random, library: Library, seed: int) -> None:
    with backup.open_store(folder, WorkerClock(START)) as store:
        say("opened")
        session = StudySession(store, library, clock=WorkerClock(START), zone=UTC, fuzzing=False)
        card = session.next_card()
        outcome = session.answer(card, Rating.GOOD)
        say(f"ack {outcome.answer_id} {card.id}")
    say(f"statements {_statements}")


MODES = {"study": study, "migrate": migrate, "backup": backups, "restore": restores, "first-start": first_start}


def work(mode: str, folder: Path, seed: int, stop_at: int, library: Library) -> None:
    log = os.open(folder / f"acks-{seed}.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    os.dup2(log, 1)
    os.dup2(log, 2)
    sys.stdout = os.fdopen(1, "w", buffering=1)
    kill_at_statement(stop_at)
    MODES[mode](folder, random.Random(seed), library, seed)


def main() -> None:
    library = load_library(paths.content_dir())
    for command in sys.stdin:
        mode, folder, seed, stop_at = command.split()
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                work(mode, Path(folder), int(seed), int(stop_at), library)
            except BaseException:
                traceback.print_exc()
                sys.stdout.flush()
                code = 3
            os._exit(code)
        say(f"pid {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"exit {status}")


if __name__ == "__main__":
    main()
