"""Two trainers on one data folder: the second says so and brings the first forward; a crashed one's lock is freed."""

from __future__ import annotations

import os
import select
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from trainer import app as trainer_app
from trainer.storage import backup
from trainer.storage.store import StoreError
from trainer.ui import messages
from trainer.ui.background_backup import BackgroundBackup
from trainer.ui.main_window import MainWindow
from trainer.ui.single_instance import SingleInstance

FIRST_TRAINER = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from trainer.ui.single_instance import SingleInstance

app = QCoreApplication([])
guard = SingleInstance(Path(sys.argv[1]))
print("acquired" if guard.acquire() else "refused", flush=True)
guard.sig_activation_requested.connect(lambda: print("raised", flush=True))
app.exec()
"""


def read_line(process: subprocess.Popen, timeout: float = 20.0) -> str:
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    assert ready, "the first trainer did not answer"
    return process.stdout.readline().strip()


@pytest.fixture
def first_trainer(tmp_path: Path):
    process = subprocess.Popen(
        [sys.executable, "-c", FIRST_TRAINER, str(tmp_path)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    yield process
    if process.poll() is None:
        process.kill()
    process.wait()
    process.stdout.close()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL and select on pipes are POSIX")
def test_second_start_is_refused_and_raises_the_first_then_a_killed_first_frees_the_folder(
    qapp, tmp_path: Path, first_trainer
):
    assert read_line(first_trainer) == "acquired"
    second = SingleInstance(tmp_path)
    assert not second.acquire()
    assert second.ask_running_to_come_forward()
    assert read_line(first_trainer) == "raised"
    first_trainer.send_signal(signal.SIGKILL)
    first_trainer.wait()
    assert second.acquire()  # the dead trainer's lock went with its process
    third = SingleInstance(tmp_path)
    assert not third.acquire()
    second.release()


def test_the_running_trainer_hears_a_second_start(qtbot, tmp_path: Path):
    first, second = SingleInstance(tmp_path), SingleInstance(tmp_path)
    assert first.acquire()
    assert not second.acquire()
    with qtbot.waitSignal(first.sig_activation_requested, timeout=5000):
        assert second.ask_running_to_come_forward()
    first.release()
    assert second.acquire()
    second.release()


def test_without_a_running_trainer_nothing_is_reached(qapp, tmp_path: Path):
    assert not SingleInstance(tmp_path).ask_running_to_come_forward()


def test_run_says_the_trainer_is_already_open(qapp, tmp_path: Path, monkeypatch):
    holder = SingleInstance(tmp_path)
    assert holder.acquire()
    shown = []
    monkeypatch.setattr(trainer_app, "apply_theme", lambda *args: None)
    monkeypatch.setattr(messages, "inform", lambda parent, title, text: shown.append((title, text)))
    heard = []
    holder.sig_activation_requested.connect(lambda: heard.append(True))
    assert trainer_app.run(str(tmp_path)) == 1
    qapp.processEvents()
    holder.release()
    ((title, text),) = shown
    assert title == "Reciprocity Trainer is already open"
    assert str(tmp_path) in text
    assert "brought to the front" in text
    assert heard == [True]
    assert not (tmp_path / "trainer.db").exists()  # the second start never touched the database


def test_bring_forward_restores_a_minimised_window(qtbot, session, library, collection):
    window = MainWindow(collection)
    qtbot.addWidget(window)
    window.showMinimized()
    trainer_app.bring_forward(window)
    assert not window.isMinimized()
    assert window.isVisible()


@pytest.mark.parametrize(
    ("error", "title"),
    [
        (StoreError("The disk holding x is full, so this was not saved."), "Your data could not be read or saved"),
        (KeyError("oops"), "Something went wrong"),
        (sqlite3.OperationalError("database or disk is full"), "Your data could not be read or saved"),
    ],
)
def test_error_dialog_names_what_happened(qapp, monkeypatch, capsys, error, title):
    shown = []
    monkeypatch.setattr(messages, "critical", lambda parent, title, text: shown.append((title, text)))
    trainer_app.report_error(None, type(error), error, None)
    ((shown_title, text),) = shown
    assert shown_title == title
    assert str(error) in text
    assert type(error).__name__ in capsys.readouterr().err


def test_run_backs_up_at_start_and_frees_the_folder_on_quit(qapp, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(trainer_app, "apply_theme", lambda *args: None)
    seen = []

    def quit_soon() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        seen.extend(windows)
        for window in windows:
            window.close()
            window.deleteLater()
        QApplication.quit()

    hook = sys.excepthook
    QTimer.singleShot(300, quit_soon)
    assert trainer_app.run(str(tmp_path)) == 0
    assert len(seen) == 1
    assert [made.reason for made in backup.backups(tmp_path)] == [backup.BackupReason.DAILY]
    assert sys.excepthook is hook  # the error dialog hook is only in place while the app runs
    later = SingleInstance(tmp_path)
    assert later.acquire()  # the trainer let go of the data folder when it closed
    later.release()


def test_the_background_check_makes_the_daily_backup_once(qtbot, collection, data_dir):
    daily = BackgroundBackup(collection)
    messages: list[str] = []
    # Direct: collected on the worker thread itself, whatever state earlier tests left the event loop in.
    daily.sig_finished.connect(messages.append, Qt.ConnectionType.DirectConnection)
    daily.start()
    daily.wait()
    daily.start()
    daily.wait()
    assert [made.reason for made in backup.backups(data_dir)] == [backup.BackupReason.DAILY]
    assert len(messages) == 1
    assert messages[0].startswith("Backed up to")


def test_deleting_files_in_the_folder_does_not_let_a_second_trainer_in(qapp, tmp_path: Path):
    holder = SingleInstance(tmp_path)
    assert holder.acquire()
    for leftover in tmp_path.iterdir():
        leftover.unlink()
    assert not SingleInstance(tmp_path).acquire()
    holder.release()


def test_a_guard_that_cannot_be_taken_keeps_the_database_closed(qapp, tmp_path: Path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    shown = []
    monkeypatch.setattr(trainer_app, "apply_theme", lambda *args: None)
    monkeypatch.setattr(messages, "critical", lambda parent, title, text: shown.append((title, text)))
    assert trainer_app.run(str(blocker / "data")) == 2
    ((title, text),) = shown
    assert "cannot open your data" in title
    assert "was not opened" in text
    assert not (blocker / "data").exists()
