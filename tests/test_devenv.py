"""`python3 -m trainer.devenv run|test`: run installs only the app, test adds the test tools, once each."""

from __future__ import annotations

from pathlib import Path

from trainer import devenv


def fake_project(tmp_path: Path, monkeypatch) -> list[list[str]]:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'trainer'\n")
    venv_dir = tmp_path / ".venv"
    monkeypatch.setattr(devenv, "ROOT", tmp_path)
    monkeypatch.setattr(devenv, "VENV", venv_dir)
    monkeypatch.setattr(devenv, "STAMP", venv_dir / ".trainer-installed")

    def create(folder, with_pip):
        python = devenv._bin("python")
        python.parent.mkdir(parents=True)
        python.write_text("")

    calls: list[list[str]] = []
    monkeypatch.setattr(devenv.venv, "create", create)
    monkeypatch.setattr(devenv.subprocess, "run", lambda command, check: calls.append(command))
    return calls


def installs(calls: list[list[str]]) -> list[list[str]]:
    return [call for call in calls if "--editable" in call]


def test_run_installs_the_app_only_and_shows_pips_progress(tmp_path, monkeypatch):
    calls = fake_project(tmp_path, monkeypatch)
    devenv.ensure_environment(with_tests=False)
    (install,) = installs(calls)
    assert "--group" not in install
    assert "--quiet" not in install  # pip's progress is shown
    devenv.ensure_environment(with_tests=False)
    assert len(installs(calls)) == 1  # nothing again


def test_test_adds_the_test_tools_once_and_run_then_installs_nothing(tmp_path, monkeypatch):
    calls = fake_project(tmp_path, monkeypatch)
    devenv.ensure_environment(with_tests=False)
    devenv.ensure_environment(with_tests=True)
    assert "--group" in installs(calls)[-1]
    devenv.ensure_environment(with_tests=True)
    devenv.ensure_environment(with_tests=False)
    assert len(installs(calls)) == 2


def test_a_changed_pyproject_installs_again(tmp_path, monkeypatch):
    calls = fake_project(tmp_path, monkeypatch)
    devenv.ensure_environment(with_tests=True)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'trainer'\nversion = '2'\n")
    devenv.ensure_environment(with_tests=False)
    assert len(installs(calls)) == 2


def test_an_old_one_line_stamp_counts_as_the_test_install(tmp_path, monkeypatch):
    calls = fake_project(tmp_path, monkeypatch)
    devenv.ensure_environment(with_tests=True)
    devenv.STAMP.write_text(devenv._fingerprint())
    devenv.ensure_environment(with_tests=True)
    assert len(installs(calls)) == 1
