"""Backups: online copies, rotation, the daily and before-upgrade backups, restore (CLI and File menu)."""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import timedelta
from pathlib import Path

import pytest
from old_databases import database_at, dump, fill, schema_of

from trainer import paths
from trainer.cli import main
from trainer.model import Rating
from trainer.storage import backup
from trainer.storage.migrations import known_names
from trainer.storage.store import Store, StoreError
from trainer.study.session import StudySession
from trainer.ui.backup_actions import RestoreDialog
from trainer.ui.main_window import MainWindow
from trainer.ui.single_instance import SingleInstance


def answer_some(session: StudySession, clock, count: int) -> None:
    for _ in range(count):
        session.answer(session.next_card(), Rating.GOOD)
        clock.advance(minutes=3)


def test_backup_is_one_consistent_self_contained_file(store: Store, session, clock, data_dir: Path):
    answer_some(session, clock, 5)
    made = backup.make_backup(store, backup.BackupReason.MANUAL, clock())
    assert made.path.parent == data_dir / "backups"
    assert made.reason == backup.BackupReason.MANUAL
    assert sorted(p.name for p in made.path.parent.iterdir()) == [made.path.name]  # no -wal, no leftovers
    assert backup.check_backup(made.path) == known_names()
    assert dump(made.path) == dump(store.path)
    assert backup.backups(data_dir) == [made]


def test_backup_leaves_out_what_another_connection_has_not_committed(store: Store, session, clock):
    answer_some(session, clock, 2)
    other = sqlite3.connect(store.path)
    other.execute("begin immediate")
    other.execute("insert into settings (key, value) values ('theme', 'dark')")
    made = backup.make_backup(store, backup.BackupReason.MANUAL, clock())
    other.rollback()
    other.close()
    assert dump(made.path) == dump(store.path)
    assert ("theme", "dark") not in dump(made.path)["settings"]


def test_rotation_keeps_the_newest_of_each_kind_and_damaged_files(store: Store, clock, data_dir: Path):
    for _ in range(backup.KEEP[backup.BackupReason.MANUAL] + 3):
        backup.make_backup(store, backup.BackupReason.MANUAL, clock())
        clock.advance(minutes=1)
    for _ in range(backup.KEEP[backup.BackupReason.DAILY] + 2):
        backup.make_backup(store, backup.BackupReason.DAILY, clock())
        clock.advance(days=1)
    damaged = backup.backup_folder(data_dir) / "trainer-20200101-000000-damaged.db"
    damaged.write_bytes(b"kept whatever it is")
    kinds = [made.reason for made in backup.backups(data_dir)]
    assert kinds.count(backup.BackupReason.MANUAL) == backup.KEEP[backup.BackupReason.MANUAL]
    assert kinds.count(backup.BackupReason.DAILY) == backup.KEEP[backup.BackupReason.DAILY]
    backup.rotate(data_dir, clock())
    assert damaged.exists()
    newest_manual = [m.made_at for m in backup.backups(data_dir) if m.reason == backup.BackupReason.MANUAL]
    assert newest_manual == sorted(newest_manual, reverse=True)
    assert newest_manual[-1] == clock.now.replace(microsecond=0) - timedelta(days=9, minutes=10)


def test_files_that_only_look_like_backups_are_ignored(store: Store, clock, data_dir: Path):
    made = backup.make_backup(store, backup.BackupReason.MANUAL, clock())
    folder = backup.backup_folder(data_dir)
    for name in ("trainer-99999999-999999-manual.db", "notes.txt", "trainer-20261123-090000-manual.db-wal"):
        (folder / name).write_text("not ours")
    (folder / "trainer-20261124-090000-manual.db").mkdir()
    assert backup.backups(data_dir) == [made]


def test_two_backups_in_the_same_second_get_different_names(store: Store, clock):
    first = backup.make_backup(store, backup.BackupReason.MANUAL, clock())
    second = backup.make_backup(store, backup.BackupReason.MANUAL, clock())
    assert first.path != second.path
    assert second.path.name.endswith("-2-manual.db")
    assert backup.backups(store.path.parent)[0] == second


def test_crash_leftovers_are_removed_only_when_old(store: Store, clock, data_dir: Path):
    backup.make_backup(store, backup.BackupReason.MANUAL, clock())
    folder = backup.backup_folder(data_dir)
    old = folder / f"{backup.PARTIAL_PREFIX}123-trainer-20260101-000000-manual.db"
    fresh = folder / f"{backup.PARTIAL_PREFIX}456-trainer-20260101-000001-manual.db"
    old.write_bytes(b"half a backup")
    fresh.write_bytes(b"a backup being written")
    an_hour_ago = time.time() - backup.PARTIAL_MAX_AGE_S - 60
    os.utime(old, (an_hour_ago, an_hour_ago))
    assert backup.rotate(data_dir, clock()) == [old]
    assert fresh.exists()
    assert all(made.path.name.startswith("trainer-") for made in backup.backups(data_dir))


def test_daily_backup_once_a_day_and_after_a_clock_jump(store: Store, clock, data_dir: Path):
    assert backup.backup_file_if_due(store.path, clock()).reason == backup.BackupReason.DAILY
    clock.advance(hours=23)
    assert backup.backup_file_if_due(store.path, clock()) is None
    clock.advance(hours=1)
    assert backup.backup_file_if_due(store.path, clock()) is not None
    clock.advance(days=-30)  # the system clock was set back a month
    assert backup.backup_file_if_due(store.path, clock()) is not None
    assert backup.backup_file_if_due(store.path, clock()) is None
    assert len(backup.backups(data_dir)) == 3


@pytest.mark.parametrize("stop_before", known_names()[1:])
def test_a_backup_is_made_before_every_schema_upgrade(tmp_path: Path, library, clock, stop_before: str):
    old = database_at(tmp_path / paths.DATABASE_NAME, stop_before)
    fill(old, library, clock())
    old.close()
    before = dump(tmp_path / paths.DATABASE_NAME)
    with backup.open_store(tmp_path, clock) as store:
        assert schema_of(store.path) == known_names()
    (made,) = backup.backups(tmp_path)
    assert made.reason == backup.BackupReason.BEFORE_UPGRADE
    assert schema_of(made.path) == known_names()[: known_names().index(stop_before)]
    assert dump(made.path) == before


def test_no_upgrade_backup_for_a_new_or_current_database(tmp_path: Path, clock):
    backup.open_store(tmp_path, clock).close()
    backup.open_store(tmp_path, clock).close()
    assert backup.backups(tmp_path) == []


def test_a_failed_upgrade_backup_stops_the_upgrade(tmp_path: Path, library, clock):
    old = database_at(tmp_path / paths.DATABASE_NAME, known_names()[-1])
    fill(old, library, clock())
    old.close()
    paths.DataFolder(tmp_path).backups.write_text("a file where the backups folder should be")
    with pytest.raises(StoreError, match="backup"):
        backup.open_store(tmp_path, clock)
    assert schema_of(tmp_path / paths.DATABASE_NAME) == known_names()[:-1]


def test_restore_backs_up_first_and_replaces_everything(store: Store, session, clock, data_dir: Path):
    answer_some(session, clock, 3)
    saved = backup.make_backup(store, backup.BackupReason.MANUAL, clock())
    kept = dump(store.path)
    answer_some(session, clock, 4)
    store.save_settings(store.settings().__class__(theme="dark"))
    changed = dump(store.path)
    clock.advance(minutes=1)
    safety = backup.restore(store, saved.path, clock())
    assert safety.reason == backup.BackupReason.BEFORE_RESTORE
    assert dump(store.path) == kept
    assert dump(safety.path) == changed
    assert store.db.execute("pragma journal_mode").fetchone()[0] == "wal"
    with sqlite3.connect(store.path) as other:  # another connection sees the restored content at once
        assert other.execute("select count(*) from answers").fetchone()[0] == 3


def test_restoring_an_older_schema_upgrades_it(store: Store, tmp_path: Path, library, clock):
    old_path = tmp_path / "old.db"
    old = database_at(old_path, known_names()[-1])
    fill(old, library, clock(), answers=9)
    old.close()
    backup.restore(store, old_path, clock())
    assert schema_of(store.path) == known_names()
    assert store.count_answers() == 9


def not_sqlite(path: Path) -> None:
    path.write_bytes(b"just some text\n" * 100)


def damaged(path: Path) -> None:
    with Store.at(path) as store:
        store.db.table("settings").insert_all({"key": f"k{n}", "value": "x" * 200} for n in range(300))
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(path.read_bytes())
    data[4096 + 8 : 4096 + 4000] = os.urandom(3992)  # scramble most of the second page
    path.write_bytes(bytes(data))


def newer(path: Path) -> None:
    with Store.at(path) as store:
        store.db.table("_sqlite_migrations").insert(
            {"migration_set": "trainer", "name": "m999_future", "applied_at": "2031-01-01"}
        )


def not_trainer(path: Path) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute("create table recipes (name text)")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (not_sqlite, "not an SQLite"),
        (damaged, "damaged|not a trainer"),
        (newer, "newer version"),
        (not_trainer, "another program"),
    ],
)
def test_restore_refuses_an_unusable_file_and_changes_nothing(store, session, clock, tmp_path, make, message):
    answer_some(session, clock, 2)
    source = tmp_path / "candidate.db"
    make(source)
    candidate = source.read_bytes()
    before = dump(store.path)
    with pytest.raises(StoreError, match=message):
        backup.restore(store, source, clock())
    assert dump(store.path) == before
    assert source.read_bytes() == candidate
    assert backup.backups(store.path.parent) == []


def test_restoring_the_oldest_kept_backup_of_its_kind_works(store: Store, session, clock, data_dir: Path):
    answer_some(session, clock, 1)
    for _ in range(backup.KEEP[backup.BackupReason.BEFORE_RESTORE]):
        made = backup.make_backup(store, backup.BackupReason.BEFORE_RESTORE, clock())
        answer_some(session, clock, 1)
    oldest = [m for m in backup.backups(data_dir) if m.reason == backup.BackupReason.BEFORE_RESTORE][-1]
    assert dump(oldest.path)["answers"] == dump(store.path)["answers"][:1]
    backup.restore(store, oldest.path, clock())  # its own safety backup must not rotate it away first
    assert store.count_answers() == 1
    assert made.path.exists()


def test_restore_refuses_the_database_in_use(store: Store, clock):
    with pytest.raises(StoreError, match="in use"):
        backup.restore(store, store.path, clock())


def test_cli_backup_list_and_restore(tmp_path: Path, library, clock, capsys):
    data = tmp_path / "data"
    with Store.open(data) as store:
        session = StudySession(store, library, clock=clock, fuzzing=False)
        answer_some(session, clock, 3)
    assert main(["--data-dir", str(data), "backup"]) == 0
    made = Path(capsys.readouterr().out.strip().removeprefix("backed up to "))
    assert backup.check_backup(made)
    with Store.open(data) as store:
        answer_some(StudySession(store, library, clock=clock, fuzzing=False), clock, 2)
    assert main(["--data-dir", str(data), "backup", "--list"]) == 0
    assert str(made) in capsys.readouterr().out
    assert main(["--data-dir", str(data), "restore", str(made)]) == 0
    assert "the data from before the restore is in" in capsys.readouterr().out
    with Store.open(data) as store:
        assert store.count_answers() == 3
    kinds = sorted(m.reason for m in backup.backups(data))
    assert kinds == [backup.BackupReason.BEFORE_RESTORE, backup.BackupReason.MANUAL]


def test_cli_restore_moves_a_damaged_database_aside_unchanged(tmp_path: Path, library, clock, capsys):
    data = tmp_path / "data"
    with Store.open(data) as store:
        answer_some(StudySession(store, library, clock=clock, fuzzing=False), clock, 3)
        made = backup.make_backup(store, backup.BackupReason.MANUAL, clock())
    current = data / paths.DATABASE_NAME
    damaged(current)
    broken = current.read_bytes()
    assert main(["--data-dir", str(data), "restore", str(made.path)]) == 0
    moved = Path(capsys.readouterr().out.strip().split(" is in ")[-1])
    assert moved.read_bytes() == broken
    with Store.open(data) as store:
        assert store.count_answers() == 3


def test_cli_restore_refuses_a_bad_file_without_traceback(tmp_path: Path, capsys):
    bad = tmp_path / "bad.db"
    not_sqlite(bad)
    assert main(["--data-dir", str(tmp_path / "data"), "restore", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "not an SQLite" in err
    assert "Traceback" not in err


def test_cli_restore_refuses_while_the_trainer_is_open(tmp_path: Path, qapp, capsys):
    data = tmp_path / "data"
    Store.open(data).close()
    guard = SingleInstance(data)
    assert guard.acquire()
    try:
        assert main(["--data-dir", str(data), "restore", str(data / paths.DATABASE_NAME)]) == 2
    finally:
        guard.release()
    assert "the trainer is open on this data folder" in capsys.readouterr().err


def open_window(qtbot, collection) -> MainWindow:
    window = MainWindow(collection)
    qtbot.addWidget(window)
    window.show()
    return window


def file_action(window: MainWindow, text: str):
    menu = window.menuBar().actions()[0].menu()
    return next(action for action in menu.actions() if action.text().replace("&", "") == text)


def test_file_menu_back_up_now(qtbot, session, library, clock, data_dir: Path, collection):
    window = open_window(qtbot, collection)
    file_action(window, "Back up now").trigger()
    (made,) = backup.backups(data_dir)
    assert made.reason == backup.BackupReason.MANUAL
    assert str(made.path) in window.statusBar().currentMessage()


def test_file_menu_restore_asks_then_restores_and_resets_the_session(
    qtbot, session, library, clock, store, data_dir, monkeypatch, collection
):
    answer_some(session, clock, 2)
    saved = backup.make_backup(store, backup.BackupReason.MANUAL, clock())
    answer_some(session, clock, 3)
    window = open_window(qtbot, collection)
    asked = []
    monkeypatch.setattr(RestoreDialog, "choose_file", classmethod(lambda cls, parent, folder: saved.path))
    monkeypatch.setattr(RestoreDialog, "confirm", classmethod(lambda cls, parent, path: asked.append(path) or False))
    file_action(window, "Restore from backup…").trigger()
    assert asked == [saved.path]
    assert store.count_answers() == 5  # declined: nothing changed
    monkeypatch.setattr(RestoreDialog, "confirm", classmethod(lambda cls, parent, path: True))
    file_action(window, "Restore from backup…").trigger()
    assert store.count_answers() == 2
    assert not session.can_undo()  # the undo history belonged to the replaced data
    assert window.pages.currentWidget() is window.home
    assert "Done today: 2" in window.home.summary.text()
    assert {m.reason for m in backup.backups(data_dir)} == {
        backup.BackupReason.MANUAL,
        backup.BackupReason.BEFORE_RESTORE,
    }


def test_cli_stats_on_an_old_database_backs_it_up_before_upgrading(tmp_path: Path, library, clock, capsys):
    old = database_at(tmp_path / paths.DATABASE_NAME, known_names()[-1])
    fill(old, library, clock())
    old.close()
    assert main(["--data-dir", str(tmp_path), "stats", "--json"]) == 0
    (made,) = backup.backups(tmp_path)
    assert made.reason == backup.BackupReason.BEFORE_UPGRADE
    assert schema_of(made.path) == known_names()[:-1]
