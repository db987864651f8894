"""A database the trainer cannot use: a clear message, and the file left exactly as it was.

Also a commit that fails while studying: reported at once, the answer kept on screen to retry.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from old_databases import database_at, dump, fill, schema_of
from PySide6.QtCore import Qt

from trainer import paths
from trainer.model import Rating
from trainer.storage.migrations import known_names
from trainer.storage.store import Store, StoreError
from trainer.study.session import StudySession
from trainer.ui.study_view import StudyView

UNLIMITED_PAGES = 1_000_000


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}


def studied_database(folder: Path, library, clock, answers: int = 6) -> Path:
    with Store.open(folder) as store:
        session = StudySession(store, library, clock=clock, fuzzing=False)
        for _ in range(answers):
            session.answer(session.next_card(), Rating.GOOD)
            clock.advance(minutes=2)
    return folder / paths.DATABASE_NAME


def answers_page(path: Path) -> int:
    """The byte offset of an index page of the answers: damage there leaves the schema and the tables' rows
    readable (so only the full check finds it)."""
    with sqlite3.connect(path) as conn:
        root = conn.execute("select rootpage from sqlite_master where name = 'answers_by_day'").fetchone()[0]
        size = conn.execute("pragma page_size").fetchone()[0]
        conn.execute("pragma wal_checkpoint(truncate)")
    return (root - 1) * size


def scramble(path: Path, start: int, length: int) -> None:
    data = bytearray(path.read_bytes())
    data[start : start + length] = bytes((b ^ 0x5A) for b in data[start : start + length])
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda p: scramble(p, 4096, 3000), id="scrambled-page"),
        pytest.param(lambda p: p.write_bytes(p.read_bytes()[: len(p.read_bytes()) // 2]), id="truncated"),
        pytest.param(lambda p: scramble(p, 100, 300), id="scrambled-schema"),
    ],
)
def test_a_damaged_database_is_refused_and_untouched(tmp_path: Path, library, clock, damage):
    path = studied_database(tmp_path, library, clock, answers=30)
    damage(path)
    before = files_of(tmp_path)
    with pytest.raises(StoreError, match=r"damaged|not a trainer database") as refused:
        Store.open(tmp_path)
    assert "backup" in str(refused.value)
    assert "not changed" in str(refused.value)
    assert files_of(tmp_path) == before


def test_another_programs_sqlite_database_is_refused_and_untouched(tmp_path: Path):
    with sqlite3.connect(tmp_path / paths.DATABASE_NAME) as conn:
        conn.execute("create table recipes (name text)")
        conn.execute("insert into recipes values ('bread')")
    conn.close()
    before = files_of(tmp_path)
    with pytest.raises(StoreError, match="another program"):
        Store.open(tmp_path)
    assert files_of(tmp_path) == before


def test_a_folder_where_the_database_should_be_is_refused(tmp_path: Path):
    (tmp_path / paths.DATABASE_NAME).mkdir()
    with pytest.raises(StoreError, match=str(tmp_path)):
        Store.open(tmp_path)


@contextlib.contextmanager
def read_only(path: Path):
    """Make a file or folder read-only for this process, even as root (then with chattr +i), or skip."""
    mode = path.stat().st_mode
    path.chmod(0o555 if path.is_dir() else 0o444)
    immutable = False
    try:
        probe = path / "probe" if path.is_dir() else path
        try:
            with probe.open("ab"):
                pass
            writable = True
            if path.is_dir():
                probe.unlink()
        except OSError:
            writable = False
        if writable:
            chattr = shutil.which("chattr")
            if chattr is None or subprocess.run([chattr, "+i", str(path)], capture_output=True).returncode != 0:
                pytest.skip("cannot make a file read-only for this user here")
            immutable = True
        yield
    finally:
        if immutable:
            subprocess.run([shutil.which("chattr"), "-i", str(path)], check=True)
        path.chmod(mode)


def test_a_read_only_database_file_is_refused_and_untouched(tmp_path: Path, library, clock):
    path = studied_database(tmp_path, library, clock)
    before = files_of(tmp_path)
    with read_only(path), pytest.raises(StoreError, match="read-only") as refused:
        Store.open(tmp_path)
    assert "writable" in str(refused.value)
    assert files_of(tmp_path) == before


def test_a_read_only_data_folder_is_refused_and_untouched(tmp_path: Path, library, clock):
    studied_database(tmp_path, library, clock)
    before = files_of(tmp_path)
    with read_only(tmp_path), pytest.raises(StoreError, match="read-only"):
        Store.open(tmp_path)
    assert files_of(tmp_path) == before


def fill_the_disk(store: Store) -> None:
    """From now on the database cannot grow: SQLite reports SQLITE_FULL, exactly as on a full disk."""
    pages = store.db.execute("pragma page_count").fetchone()[0]
    store.db.execute(f"pragma max_page_count = {pages}")


def test_a_full_disk_during_an_upgrade_leaves_the_old_database(tmp_path: Path, library, clock):
    needs_space = "m003_card_marks"  # creates a table, so the upgrade must allocate pages
    old = database_at(tmp_path / paths.DATABASE_NAME, needs_space)
    fill(old, library, clock())
    old.close()
    before = dump(tmp_path / paths.DATABASE_NAME)
    with pytest.raises(StoreError, match="full") as refused:
        Store.open(tmp_path, before_upgrade=fill_the_disk)
    assert "Free some space" in str(refused.value)
    assert schema_of(tmp_path / paths.DATABASE_NAME) == known_names()[: known_names().index(needs_space)]
    assert dump(tmp_path / paths.DATABASE_NAME) == before
    with Store.open(tmp_path) as store:  # with space again, the upgrade goes through
        assert schema_of(store.path) == known_names()
    width = len(before["answers"][0])
    assert [row[:width] for row in dump(tmp_path / paths.DATABASE_NAME)["answers"]] == before["answers"]


def test_a_full_disk_while_answering_raises_store_error_and_saves_nothing(session: StudySession, store: Store, clock):
    fill_the_disk(store)
    failure = None
    for saved in range(50):  # noqa: B007 - the count is checked below
        try:
            session.answer(session.next_card(), Rating.GOOD)
        except StoreError as error:
            failure = str(error)
            break
        clock.advance(minutes=1)
    assert failure is not None
    assert "full" in failure
    assert "not saved" in failure
    assert store.count_answers() == saved
    assert session.answered == saved
    assert session.can_undo() == (saved > 0)
    store.db.execute(f"pragma max_page_count = {UNLIMITED_PAGES}")
    session.answer(session.next_card(), Rating.GOOD)
    assert store.count_answers() == saved + 1


def test_study_screen_reports_a_failed_commit_and_keeps_the_answer_to_retry(
    qtbot, session, library, store, clock, collection
):
    view = StudyView(collection)
    qtbot.addWidget(view)
    view.show()
    view.start()
    fill_the_disk(store)
    for _ in range(50):
        card = view.card
        if card.options:
            view.choose(0)
        else:
            view.reveal()
        before = store.count_answers()
        qtbot.mouseClick(view.rating_buttons[Rating.GOOD], Qt.MouseButton.LeftButton)
        if view.save_error.isVisible():
            break
        assert store.count_answers() == before + 1
        assert not view.save_error.isVisible()
    assert view.save_error.isVisible()
    assert "Not saved" in view.save_error.message.text()
    assert "full" in view.save_error.message.text()
    assert view.card is card  # still the same card, rated but not saved
    assert view.rating_bar.isVisible()
    assert store.count_answers() == before
    store.db.execute(f"pragma max_page_count = {UNLIMITED_PAGES}")
    qtbot.mouseClick(view.rating_buttons[Rating.GOOD], Qt.MouseButton.LeftButton)
    assert store.count_answers() == before + 1
    assert store.answers()[-1].card_id == card.id
    assert not view.save_error.isVisible()
    assert view.card is not card


def test_settings_on_a_full_disk_raise_store_error(store: Store):
    fill_the_disk(store)
    changed = store.settings().__class__(theme="dark", new_per_day=7)
    for size in (500, 10):  # big rows until none fits, then small ones: the settings pages are full
        with contextlib.suppress(sqlite3.OperationalError):
            for _ in range(2000):
                store.db.table("settings").insert({"key": os.urandom(8).hex(), "value": "x" * size})
    with pytest.raises(StoreError, match="full"):
        store.save_settings(changed)


def test_a_large_damaged_database_is_never_written_to(tmp_path: Path, library, clock, monkeypatch):
    from trainer.storage import backup, usability
    from trainer.storage import store as storage

    path = studied_database(tmp_path, library, clock, answers=30)
    scramble(path, answers_page(path), 3000)  # inside a table page of answers; the schema stays readable
    with sqlite3.connect(path) as conn:
        assert usability.integrity_problems(conn), "the scrambled bytes must land in a table page"
    damaged = path.read_bytes()
    monkeypatch.setattr(storage, "QUICK_CHECK_LIMIT", 0)  # treat this small file as a large one
    with pytest.raises(StoreError, match="damaged"):  # the command line always checks every page
        Store.open(tmp_path)
    store = Store.open(tmp_path, full_check=False)  # the app opens after a fast check...
    assert not store.verified
    message = backup.verify_store(store)  # ...and the full one, off the GUI thread, finds the damage
    assert message is not None
    assert "damaged" in message
    with pytest.raises(StoreError, match="damaged"):
        store.save_settings(store.settings())
    store.close()
    assert path.read_bytes() == damaged
    with pytest.raises(StoreError, match="damaged"):
        backup.backup_file_if_due(path, clock())
    assert backup.backups(tmp_path) == []  # and no damaged copy joins the good backups


def test_stats_refuses_a_large_damaged_database_and_leaves_it_unchanged(tmp_path: Path, library, clock, monkeypatch):
    from trainer.cli import main
    from trainer.storage import store as storage

    path = studied_database(tmp_path, library, clock, answers=30)
    scramble(path, answers_page(path), 3000)
    damaged = path.read_bytes()
    monkeypatch.setattr(storage, "QUICK_CHECK_LIMIT", 0)
    assert main(["--data-dir", str(tmp_path), "stats", "--json"]) == 2
    assert path.read_bytes() == damaged


def test_the_fast_check_refuses_a_truncated_file(tmp_path: Path, library, clock, monkeypatch):
    from trainer.storage import store as storage

    path = studied_database(tmp_path, library, clock, answers=30)
    with path.open("r+b") as stream:
        stream.truncate(path.stat().st_size - 4096)
    monkeypatch.setattr(storage, "QUICK_CHECK_LIMIT", 0)
    with pytest.raises(StoreError, match="damaged"):
        Store.open(tmp_path, full_check=False)


def test_a_half_initialised_database_from_an_old_first_start_is_finished(tmp_path: Path):
    with Store.open(tmp_path / "model") as complete:
        schema = complete.db.execute("select sql from sqlite_master where name = '_sqlite_migrations'").fetchone()[0]
    with sqlite3.connect(tmp_path / "trainer.db") as conn:  # what a trainer killed in its first start used to leave
        conn.execute(schema)
    with Store.open(tmp_path) as store:
        assert "answers" in store.db.table_names()


def test_a_full_disk_during_the_first_start_leaves_nothing_behind(tmp_path: Path, monkeypatch):
    from trainer.storage import store as storage

    def full(_db) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(storage.migrations, "apply", full)
    with pytest.raises(StoreError, match="full"):
        Store.open(tmp_path)
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    with Store.open(tmp_path) as store:  # space freed: the next start just works
        assert store.count_answers() == 0


@pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")
def test_the_data_folder_database_and_backups_are_private(tmp_path: Path, clock):
    from trainer.storage import backup

    folder = tmp_path / "data"
    with Store.open(folder) as store:
        made = backup.make_backup(store, backup.BackupReason.MANUAL, clock())
    assert folder.stat().st_mode & 0o777 == 0o700
    assert (folder / "trainer.db").stat().st_mode & 0o777 == 0o600
    assert backup.backup_folder(folder).stat().st_mode & 0o777 == 0o700
    assert made.path.stat().st_mode & 0o777 == 0o600
    with Store.open(folder) as store:
        safety = backup.restore(store, made.path, clock())
    assert safety.path.stat().st_mode & 0o777 == 0o600
    assert (folder / "trainer.db").stat().st_mode & 0o777 == 0o600
