"""The command line: --version, stats --json, and the data folder it uses."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from trainer import __version__, paths
from trainer.cli import main
from trainer.model import Rating
from trainer.storage.store import Store
from trainer.study.days import day_bounds
from trainer.study.session import StudySession


def test_version(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.strip() == f"trainer {__version__}"


def test_stats_json_counts_a_fresh_data_folder(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path), "stats", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures == {
        "cards": 120,
        "new": 120,
        "due": 0,
        "reviews": 0,
        "reviews_today": 0,
        "skipped_decks": 0,
        "quiz_attempts": 0,
        "last_quiz_score": None,
    }
    assert (tmp_path / paths.DATABASE_NAME).exists()


def test_stats_json_after_answers(tmp_path, capsys, library):
    answered_at = datetime.now(UTC) - timedelta(minutes=2)
    with Store.open(tmp_path) as store:
        session = StudySession(store, library, clock=lambda: answered_at, fuzzing=False)
        for _ in range(3):
            session.answer(session.next_card(), Rating.EASY)
        session.answer(session.next_card(), Rating.AGAIN)
    assert main(["--data-dir", str(tmp_path), "stats", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["reviews"] == 4
    today_started, _ = day_bounds(datetime.now(UTC), None, 4)
    assert figures["reviews_today"] == (4 if answered_at >= today_started else 0)
    assert figures["new"] == 116
    assert figures["due"] == 1  # the card answered Again two minutes ago is due again


def test_data_dir_from_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "env"))
    assert main(["stats", "--json"]) == 0
    assert (tmp_path / "env" / paths.DATABASE_NAME).exists()


def test_stats_on_a_file_that_is_not_a_database_exits_2_without_traceback(tmp_path, capsys):
    (tmp_path / paths.DATABASE_NAME).write_text("not sqlite")
    assert main(["--data-dir", str(tmp_path), "stats", "--json"]) == 2
    err = capsys.readouterr().err
    assert "not a trainer database" in err
    assert "Traceback" not in err


def test_module_entry_point_runs_check():
    result = subprocess.run([sys.executable, "-m", "trainer", "check"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("ok:")


def test_help_says_no_command_opens_the_app(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "Without a COMMAND, `trainer` opens the app" in " ".join(capsys.readouterr().out.split())


def test_data_dir_is_accepted_after_the_subcommand_too(tmp_path, capsys):
    assert main(["stats", "--json", "--data-dir", str(tmp_path)]) == 0
    json.loads(capsys.readouterr().out)
    assert (tmp_path / "trainer.db").is_file()


def test_stats_without_json_prints_labels_and_a_percentage(tmp_path, capsys):
    assert main(["--data-dir", str(tmp_path), "stats"]) == 0
    out = capsys.readouterr().out
    assert "Due now" in out
    assert "Answers today" in out
    assert "Last quiz score" in out
    assert "no quiz yet" in out
    assert "reviews_today" not in out


def test_without_a_display_the_app_says_so_and_exits_1(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert main(["--data-dir", str(tmp_path)]) == 1
    assert "no display found: start it from a desktop session" in capsys.readouterr().err
    assert not (tmp_path / "trainer.db").exists()  # nothing was opened
