"""Project rules made executable: lint, import layers, README/CI agreement, and the Qt binding guard."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from trainer import paths
from trainer.ui.keys import KEYS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    assert found, f"{name} is not installed in the test environment"
    return found


def test_ruff_check_and_format():
    for args in (["check", "."], ["format", "--check", "."]):
        result = subprocess.run([tool("ruff"), *args], cwd=ROOT, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr


def test_import_layers():
    result = subprocess.run([tool("lint-imports")], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_types_check():
    """mypy --strict on the core (the [tool.mypy] overrides in pyproject), the defaults on the rest."""
    result = subprocess.run([tool("mypy"), "trainer"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_readme_gives_the_two_commands_and_ci_runs_the_test_one():
    commands = re.findall(r"```sh\n(python3 -m trainer\.devenv \w+)\n```", README)
    assert commands[:2] == ["python3 -m trainer.devenv run", "python3 -m trainer.devenv test"]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.strip().splitlines()[-1] == commands[1]


def test_readme_keyboard_table_matches_the_help_overlay():
    for key, action in KEYS:
        assert f"| {key} | {action} |" in README


def test_bundled_content_and_assets_are_found():
    assert (paths.content_dir() / "taxonomy.toml").is_file()
    assert (paths.assets_dir() / "style.qss").is_file()
    assert any(p.suffix == ".png" for p in paths.assets_dir().iterdir())


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_qt_binding_keeps_none_alive(qapp):
    # PySide6 6.12.0 drops a reference to None on every call that returns nothing, which
    # crashes a long study session on Python 3.11; pyproject excludes that release.
    from PySide6.QtWidgets import QLabel

    label = QLabel()
    before = sys.getrefcount(None)
    for _ in range(200):
        label.setText("x")
    assert sys.getrefcount(None) >= before


def test_architecture_names_only_what_exists():
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = set(re.findall(r"`(trainer(?:\.[a-z_]+)+)`", text))
    assert len(named) >= 15
    for dotted in named:
        path = ROOT / Path(*dotted.split("."))
        assert path.is_dir() or path.with_suffix(".py").is_file(), f"ARCHITECTURE.md names {dotted}, which is not there"
    for relative in re.findall(r"`(trainer/[a-z_/]+\.py)`", text):
        assert (ROOT / relative).is_file(), f"ARCHITECTURE.md names {relative}, which is not there"
    packages = {p.name for p in (ROOT / "trainer").iterdir() if (p / "__init__.py").is_file()}
    assert {f"trainer.{name}" for name in packages} <= named, "every package is on the map"
