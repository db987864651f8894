"""Rotation never deletes the backup it just made, nor the only copy of a state (issue 17, items 1 and 2)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from old_databases import dump

from trainer.cli import main
from trainer.model import Rating
from trainer.storage import backup
from trainer.storage.store import Store
from trainer.study.session import StudySession


def answer_some(session: StudySession, clock, count: int) -> None:
    for _ in range(count):
        session.answer(session.next_card(), Rating.GOOD)
        clock.advance(minutes=3)


def test_six_restores_in_a_row_keep_the_data_from_before_the_first(store: Store, session, clock, data_dir: Path):
    answer_some(session, clock, 2)
    chosen = backup.make_backup(store, backup.BackupReason.MANUAL, clock())
    answer_some(session, clock, 6)  # work that exists only in the live database
    before_first = dump(store.path)["answers"]
    for _ in range(backup.KEEP[backup.BackupReason.BEFORE_RESTORE] + 1):
        clock.advance(minutes=5)
        backup.restore(store, chosen.path, clock())
    safety = [b for b in backup.backups(data_dir) if b.reason == backup.BackupReason.BEFORE_RESTORE]
    assert any(dump(b.path)["answers"] == before_first for b in safety), "the only copy of 8 answers was deleted"
    assert (
        len(safety) <= backup.KEEP[backup.BackupReason.BEFORE_RESTORE]
    )  # the copies of the restored state were thinned


def test_a_restore_keeps_its_safety_copy_when_older_ones_are_dated_in_the_future(
    store: Store, session, clock, data_dir: Path
):
    answer_some(session, clock, 1)
    chosen = backup.make_backup(store, backup.BackupReason.MANUAL, clock())
    ahead = clock.now + timedelta(days=400)
    for step in range(backup.KEEP[backup.BackupReason.BEFORE_RESTORE]):
        backup.make_backup(store, backup.BackupReason.BEFORE_RESTORE, ahead + timedelta(minutes=step))
    answer_some(session, clock, 3)
    safety = backup.restore(store, chosen.path, clock())
    assert safety.path.is_file()
    assert len(dump(safety.path)["answers"]) == 4


def test_after_the_clock_was_ahead_a_new_backup_is_kept_and_reported_truthfully(
    store: Store, session, clock, data_dir: Path, capsys
):
    answer_some(session, clock, 1)
    for step in range(backup.KEEP[backup.BackupReason.MANUAL] + 2):
        backup.make_backup(store, backup.BackupReason.MANUAL, clock.now + timedelta(days=30, minutes=step))
    answer_some(session, clock, 2)
    made = backup.make_backup(store, backup.BackupReason.MANUAL, clock())
    assert made.path.is_file()
    assert main(["--data-dir", str(data_dir), "backup"]) == 0
    printed = capsys.readouterr().out
    reported = [word for word in printed.split() if word.endswith(".db")]
    assert reported, printed
    assert all(Path(word).is_file() for word in reported), printed


def test_rotation_deletes_surplus_copies_whose_work_is_held_elsewhere(store: Store, session, clock, data_dir: Path):
    for _ in range(backup.KEEP[backup.BackupReason.DAILY] + 3):
        answer_some(session, clock, 1)
        backup.make_backup(store, backup.BackupReason.DAILY, clock())
        clock.advance(days=1)
    daily = [b for b in backup.backups(data_dir) if b.reason == backup.BackupReason.DAILY]
    assert len(daily) == backup.KEEP[backup.BackupReason.DAILY]


def test_rotation_keeps_a_surplus_copy_holding_answers_found_nowhere_else(store: Store, session, clock, data_dir):
    answer_some(session, clock, 3)
    unique = backup.make_backup(store, backup.BackupReason.DAILY, clock())
    store.db.execute("delete from answers where id = (select max(id) from answers)")  # e.g. a reset since
    store.db.conn.commit()
    for _ in range(backup.KEEP[backup.BackupReason.DAILY] + 2):
        clock.advance(days=1)
        backup.make_backup(store, backup.BackupReason.DAILY, clock())
    assert unique.path.is_file()


def test_rotation_keeps_files_it_cannot_read(store: Store, clock, data_dir: Path):
    folder = backup.backup_folder(data_dir)
    folder.mkdir(parents=True)
    unreadable = folder / "trainer-20200101-000000-daily.db"
    unreadable.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    for _ in range(backup.KEEP[backup.BackupReason.DAILY] + 1):
        clock.advance(days=1)
        backup.make_backup(store, backup.BackupReason.DAILY, clock())
    assert unreadable.exists()
