"""Crash safety: kill the trainer with SIGKILL at random moments and check that nothing was lost or half-written.

A worker process (tests/crash_worker.py) runs the real study loop, quizzes, a schema upgrade, backups or
restores on a real database file and prints a line after each commit. The test kills it, either after a
random delay or just before a random SQL statement, then opens the database and checks: the file is
intact (`PRAGMA integrity_check`), every acknowledged answer is there exactly once, nothing earlier
changed, and no answer is half-written (answers, schedules and quiz items agree).

Every run is decided by its seed. To replay some: TRAINER_CRASH_SEEDS=1203,1317 pytest tests/test_crash.py
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import random
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from old_databases import database_at, dump, fill, schema_of

from trainer import paths
from trainer.storage import backup
from trainer.storage.migrations import known_names
from trainer.storage.store import Store

pytestmark = [
    pytest.mark.crash,
    pytest.mark.skipif(not hasattr(os, "fork"), reason="the harness forks its workers (POSIX only)"),
]

WORKER = Path(__file__).with_name("crash_worker.py")
SEEDS_ENV = "TRAINER_CRASH_SEEDS"
STUDY_RUNS = 120  # half killed after a random delay, half just before a random SQL statement
MIGRATE_TIMER_RUNS = 15  # plus one run for each SQL statement of the upgrade
BACKUP_RUNS = 20
RESTORE_RUNS = 24
WORKER_TIMEOUT_S = 60.0
HISTORY_START = datetime(2025, 1, 6, 8, tzinfo=UTC)


def seeds(base: int, count: int) -> list[int]:
    chosen = os.environ.get(SEEDS_ENV)
    if chosen:
        wanted = [int(seed) for seed in chosen.split(",")]
        return [seed for seed in wanted if base <= seed < base + count]
    return list(range(base, base + count))


@dataclass
class Run:
    """What one killed worker acknowledged, parsed from its log."""

    seed: int
    killed: bool
    lines: list[str]
    acked: dict[int, str] = field(default_factory=dict)
    undoing: set[int] = field(default_factory=set)
    undone: set[int] = field(default_factory=set)
    quiz_started: dict[int, int] = field(default_factory=dict)
    quiz_acked: dict[int, str] = field(default_factory=dict)
    quiz_finished: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        for line in self.lines:
            word, *rest = line.split()
            # An undone answer's id is free again: the next answer may get it (SQLite reuses the top rowid).
            if word == "ack":
                self.acked[int(rest[0])] = rest[1]
                self.undone.discard(int(rest[0]))
            elif word == "undoing":
                self.undoing.add(int(rest[0]))
            elif word == "undone":
                self.undoing.discard(int(rest[0]))
                self.undone.add(int(rest[0]))
                del self.acked[int(rest[0])]
            elif word == "quiz-started":
                self.quiz_started[int(rest[0])] = int(rest[1])
            elif word == "quiz-ack":
                self.quiz_acked[int(rest[0])] = rest[1]
            elif word == "quiz-finished":
                self.quiz_finished.add(int(rest[0]))

    def last(self, word: str) -> str | None:
        return next((line for line in reversed(self.lines) if line.startswith(word)), None)


class Harness:
    """Drives the zygote: one worker per run, killed by the test or by itself; records every run."""

    def __init__(self, log: Path):
        self.log = log
        self.kills = 0
        self.process = subprocess.Popen(
            [sys.executable, str(WORKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1
        )

    def _line(self, timeout: float) -> str:
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        assert ready, "the crash worker stopped answering"
        line = self.process.stdout.readline()
        assert line, "the crash worker's zygote died"
        return line.strip()

    def run(self, mode: str, folder: Path, seed: int, *, delay: float | None = None, statement: int = 0) -> Run:
        """One worker: killed after `delay` seconds, or by itself before SQL statement number `statement`."""
        self.process.stdin.write(f"{mode} {folder} {seed} {statement}\n")
        self.process.stdin.flush()
        pid = int(self._line(WORKER_TIMEOUT_S).removeprefix("pid "))
        if delay is not None:
            time.sleep(delay)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        try:
            status = int(self._line(WORKER_TIMEOUT_S).removeprefix("exit "))
        except AssertionError:
            os.kill(pid, signal.SIGKILL)
            raise
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        acks = folder / f"acks-{seed}.log"
        lines = acks.read_text(encoding="utf-8").splitlines() if acks.exists() else []
        acks.unlink(missing_ok=True)
        assert killed or os.WEXITSTATUS(status) == 0, f"seed {seed}: the worker failed:\n" + "\n".join(lines)
        self.kills += killed
        with self.log.open("a", encoding="utf-8") as stream:
            record = {"mode": mode, "seed": seed, "delay": delay, "statement": statement, "killed": killed}
            stream.write(json.dumps(record | {"acks": len(lines)}) + "\n")
        return Run(seed, killed, lines)

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=WORKER_TIMEOUT_S)
        self.process.stdout.close()


@pytest.fixture(scope="module")
def harness(tmp_path_factory):
    started = time.monotonic()
    log = tmp_path_factory.mktemp("crash") / "runs.jsonl"
    driver = Harness(log)
    yield driver
    driver.close()
    runs = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    print(
        f"\ncrash harness: {len(runs)} runs, {driver.kills} kills survived, "
        f"{time.monotonic() - started:.1f} s (log: {log})"
    )


def integrity_ok(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    assert conn.execute("pragma integrity_check").fetchall() == [("ok",)]
    return conn


def check_study(path: Path, earlier: dict[int, tuple], run: Run) -> dict[int, tuple]:
    """The checks after a kill of the study loop; returns every answer row, for the next run to compare."""
    context = f"seed {run.seed}"
    conn = integrity_ok(path)
    try:
        answers = {row[0]: row for row in conn.execute("select * from answers")}
        columns = [d[0] for d in conn.execute("select * from answers limit 0").description]
        schedules = {row[0]: row[3] for row in conn.execute("select card_id, phase, due, fsrs from schedules")}
        items = conn.execute(
            "select id, attempt_id, option_id, quality, confidence, duration_ms, answered_at from quiz_items"
        ).fetchall()
        attempts = {
            row[0]: row[1:] for row in conn.execute("select id, length, status, finished_at from quiz_attempts")
        }
    finally:
        conn.close()
    for answer_id, row in earlier.items():  # nothing stored before this run changed or vanished
        assert answers.get(answer_id) == row, f"{context}: answer {answer_id} from an earlier run changed"
    for answer_id, card_id in run.acked.items():
        if answer_id not in run.undoing:  # an undo in flight may or may not have committed
            assert answer_id in answers, f"{context}: acknowledged answer {answer_id} is lost"
            assert answers[answer_id][1] == card_id, f"{context}: answer {answer_id} is for another card"
    # At most the one answer in flight (committed, killed before it was acknowledged) is extra;
    # an undone answer is gone unless its id went to that one.
    unacknowledged = set(answers) - set(earlier) - set(run.acked)
    assert len(unacknowledged) <= 1, f"{context}: answers nobody acknowledged: {sorted(unacknowledged)}"
    moments = [(row[1], row[2]) for row in answers.values()]
    assert len(moments) == len(set(moments)), f"{context}: an answer is stored twice"

    # No half-written answer: each card's answers chain state to state, and its schedule is the last state.
    by_card: dict[str, list[dict]] = defaultdict(list)
    for answer_id in sorted(answers):
        by_card[answers[answer_id][1]].append(dict(zip(columns, answers[answer_id], strict=True)))
    assert set(by_card) == set(schedules), f"{context}: answers and schedules disagree on which cards were studied"
    for card_id, chain in by_card.items():
        assert chain[0]["state_before"] is None, f"{context}: {card_id}'s first answer has a state before it"
        for before, after in itertools.pairwise(chain):
            assert after["state_before"] == before["state_after"], f"{context}: {card_id}'s history is broken"
        assert schedules[card_id] == chain[-1]["state_after"], f"{context}: {card_id}'s schedule is not its last answer"

    # Quiz: every item all answered or not at all; acknowledged ones kept; attempts whole.
    per_attempt: dict[int, int] = defaultdict(int)
    answered = {}
    for item_id, attempt_id, *answer in items:
        per_attempt[attempt_id] += 1
        assert all(v is None for v in answer) or all(v is not None for v in answer), f"{context}: half an item"
        answered[item_id] = answer[0]
    for attempt_id, (length, status, finished_at) in attempts.items():
        assert per_attempt[attempt_id] == length, f"{context}: attempt {attempt_id} is missing items"
        assert (status == "finished") == (finished_at is not None), f"{context}: attempt {attempt_id} half finished"
    for attempt_id, length in run.quiz_started.items():
        assert attempts[attempt_id][0] == length, f"{context}: started attempt {attempt_id} is lost"
    for item_id, option_id in run.quiz_acked.items():
        assert answered.get(item_id) == option_id, f"{context}: quiz answer {item_id} is lost"
    for attempt_id in run.quiz_finished:
        assert attempts[attempt_id][1] == "finished", f"{context}: finished attempt {attempt_id} is open again"
    return answers


def test_killing_the_study_loop_loses_no_acknowledged_answer(harness: Harness, tmp_path: Path):
    folder = tmp_path / "data"
    Store.open(folder).close()
    known: dict[int, tuple] = {}
    acknowledged = 0
    for seed in seeds(1000, STUDY_RUNS):
        rng = random.Random(seed)
        if seed % 2:
            run = harness.run("study", folder, seed, delay=rng.uniform(0.0, 0.35))
        else:
            run = harness.run("study", folder, seed, statement=rng.randint(1, 500))
        assert run.killed, f"seed {seed}: the study loop ended by itself"
        known = check_study(folder / paths.DATABASE_NAME, known, run)
        acknowledged += len(run.acked)
        Store.open(folder).close()  # and the app opens it
    if not replaying():
        assert acknowledged > 500  # the kills landed while real work was going on
        assert len(known) > 300


@pytest.fixture(scope="module")
def old_database(tmp_path_factory, library) -> Path:
    """A data folder at the previous schema version, with a good deal of history."""
    folder = tmp_path_factory.mktemp("old")
    db = database_at(folder / paths.DATABASE_NAME, known_names()[-1])
    fill(db, library, HISTORY_START, answers=3000)
    db.execute("pragma wal_checkpoint(truncate)")
    db.close()
    return folder


def fresh_copy(source: Path, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    return target


def replaying() -> bool:
    return os.environ.get(SEEDS_ENV) is not None


def test_killing_a_schema_upgrade_leaves_the_old_or_the_new_schema_never_a_mix(
    harness: Harness, old_database: Path, tmp_path: Path
):
    before = dump(old_database / paths.DATABASE_NAME)
    old_version = known_names()[:-1]
    calibration = harness.run("migrate", fresh_copy(old_database, tmp_path / "calibrate"), 1)
    assert calibration.last("migrated")
    total = int(calibration.last("statements").split()[1])
    new_tables = set(dump(tmp_path / "calibrate" / paths.DATABASE_NAME))
    killed = 0
    plan = [(seed, None) for seed in seeds(2000, total)]  # a kill before each statement in turn: 2000 + n - 1
    plan += [(seed, random.Random(seed).uniform(0.0, 0.06)) for seed in seeds(3000, MIGRATE_TIMER_RUNS)]
    for seed, delay in plan:
        folder = fresh_copy(old_database, tmp_path / "run")
        if delay is None:
            run = harness.run("migrate", folder, seed, statement=seed - 1999)
        else:
            run = harness.run("migrate", folder, seed, delay=delay)
        killed += run.killed
        path = folder / paths.DATABASE_NAME
        integrity_ok(path).close()
        version = schema_of(path)
        assert version in (old_version, known_names()), f"seed {seed}: half-applied schema {version}"
        after = dump(path)
        assert set(after) == (set(before) if version == old_version else new_tables), f"seed {seed}: tables"
        for table in ("answers", "settings", "quiz_attempts", "quiz_items"):
            width = len(before[table][0]) if before[table] else 0  # columns a migration adds come last
            kept = [row[:width] for row in after[table]]
            assert kept == before[table], f"seed {seed}: {table} changed by a killed upgrade"
        for made in backup.backups(folder):  # a finished backup is whole and holds the old data
            assert backup.check_backup(made.path) == old_version
            assert dump(made.path) == before
        with Store.open(folder) as store:  # the next start finishes the upgrade
            assert schema_of(store.path) == known_names()
            assert store.count_answers() == len(before["answers"])
    if not replaying():
        assert killed >= total  # every statement kill lands; timer kills depend on the machine's speed


def test_killing_a_backup_never_harms_the_database_or_leaves_a_bad_backup(
    harness: Harness, old_database: Path, tmp_path: Path
):
    folder = fresh_copy(old_database, tmp_path / "data")
    Store.open(folder).close()
    before = dump(folder / paths.DATABASE_NAME)
    finished = 0
    checked: set[tuple[str, int]] = set()
    for seed in seeds(4000, BACKUP_RUNS):
        rng = random.Random(seed)
        run = harness.run("backup", folder, seed, delay=rng.uniform(0.005, 0.4))
        assert run.killed
        integrity_ok(folder / paths.DATABASE_NAME).close()
        assert dump(folder / paths.DATABASE_NAME) == before
        present = {made.path.name: made for made in backup.backups(folder)}
        assert (
            len(present) <= backup.KEEP[backup.BackupReason.MANUAL] + 1
        )  # +1: killed between a backup and its rotation
        for made in present.values():
            if (made.path.name, made.path.stat().st_mtime_ns) in checked:
                continue  # a finished backup is never written again: each is checked once
            checked.add((made.path.name, made.path.stat().st_mtime_ns))
            assert backup.check_backup(made.path) == known_names(), f"seed {seed}: {made.path.name} is broken"
            assert dump(made.path) == before
        last = run.last("backup ")
        if last is not None:  # the newest finished backup is kept
            assert last.split()[1] in present, f"seed {seed}: the last finished backup is gone"
        finished += sum(line.startswith("backup ") for line in run.lines)
    if not replaying():
        assert finished > BACKUP_RUNS


def test_killing_a_restore_leaves_the_old_or_the_restored_data(harness: Harness, old_database: Path, tmp_path: Path):
    folder = fresh_copy(old_database, tmp_path / "data")
    sources = folder / "sources"
    sources.mkdir()
    with Store.open(folder) as store:
        start = backup.make_backup(store, backup.BackupReason.MANUAL, HISTORY_START)
        shutil.move(start.path, tmp_path / "start.db")
        for name, keep in (("large", 2500), ("small", 40)):
            store.db.execute(f"delete from answers where id > {keep}")
            made = backup.make_backup(store, backup.BackupReason.MANUAL, HISTORY_START)
            shutil.move(made.path, sources / f"{name}.db")
        backup.restore(store, tmp_path / "start.db", HISTORY_START)
    shutil.rmtree(backup.backup_folder(folder))
    contents = {name: dump(sources / f"{name}.db") for name in ("large", "small")}
    contents["start"] = dump(folder / paths.DATABASE_NAME)
    assert len({json.dumps(c, sort_keys=True) for c in contents.values()}) == 3
    checked: set[tuple[str, int]] = set()
    for seed in seeds(5000, RESTORE_RUNS):
        rng = random.Random(seed)
        if seed % 2:
            run = harness.run("restore", folder, seed, delay=rng.uniform(0.0, 0.4))
        else:
            run = harness.run("restore", folder, seed, statement=rng.randint(1, 120))
        assert run.killed
        integrity_ok(folder / paths.DATABASE_NAME).close()
        now = dump(folder / paths.DATABASE_NAME)
        assert now in contents.values(), f"seed {seed}: a killed restore left a mix of old and restored data"
        if run.last("restored") is not None:
            assert now in (contents["large"], contents["small"]), f"seed {seed}: a finished restore was undone"
        for made in backup.backups(folder):
            if (made.path.name, made.path.stat().st_mtime_ns) in checked:
                continue  # a finished backup is never written again: each is checked once
            checked.add((made.path.name, made.path.stat().st_mtime_ns))
            assert backup.check_backup(made.path) == known_names()
            assert dump(made.path) in contents.values()


def test_killing_the_very_first_start_never_breaks_the_data_folder(harness: Harness, tmp_path: Path):
    calibration = tmp_path / "calibrate"
    calibration.mkdir()
    run = harness.run("first-start", calibration, 6000)
    total = int(run.last("statements").split()[1])
    for seed in seeds(6001, total):
        folder = tmp_path / f"first-{seed}"
        folder.mkdir()
        run = harness.run("first-start", folder, seed, statement=seed - 6000)
        database = folder / paths.DATABASE_NAME
        if database.exists():
            integrity_ok(database).close()
        with Store.open(folder) as store:  # the next start always works, with every acknowledged answer
            assert schema_of(store.path) == known_names(), f"seed {seed}"
            assert store.count_answers() == (1 if run.last("ack") else store.count_answers())
        assert not [p.name for p in folder.iterdir() if ".new-" in p.name], f"seed {seed}: a leftover"


def test_killing_rotation_keeps_every_backup_whole_and_the_only_copy_of_a_state(
    harness: Harness, old_database: Path, tmp_path: Path
):
    folder = fresh_copy(old_database, tmp_path / "data")
    with Store.open(folder) as store:
        store.db.execute("delete from answers where id > 2000")  # a state from before a reset...
        store.db.conn.commit()
        unique = backup.make_backup(store, backup.BackupReason.MANUAL, HISTORY_START - timedelta(days=400))
        store.db.execute("delete from answers where id > 1000")  # ...that only this backup still holds
        store.db.conn.commit()
    for seed in seeds(7000, 30):
        run = harness.run("backup", folder, seed, statement=random.Random(seed).randint(1, 400))
        assert run.killed
        assert unique.path.is_file(), f"seed {seed}: the only copy of 1000 answers was rotated away"
        for made in backup.backups(folder):
            assert backup.check_backup(made.path) == known_names(), f"seed {seed}: {made.path.name} is broken"
