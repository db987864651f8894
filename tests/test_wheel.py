"""The wheel `python -m build` makes holds the package data the trainer needs to run with no checkout."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(
    importlib.util.find_spec("build") is None or importlib.util.find_spec("hatchling") is None,
    reason="needs the dev tools `build` and `hatchling` (pip install build hatchling)",
)
def test_the_wheel_holds_decks_taxonomy_references_assets_and_the_icon(tmp_path):
    source = tmp_path / "src"
    # A copy of what the wheel is built from, so the build leaves nothing in the checkout.
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(".venv", ".git", "tests", "__pycache__", "*.pyc", "dist", "build", ".*cache"),
    )
    out = tmp_path / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    [wheel] = out.glob("trainer-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    decks = sorted(p.name for p in (ROOT / "content" / "decks").glob("*.toml"))
    bank = sorted(p.name for p in (ROOT / "content" / "quiz-bank").glob("*.toml"))
    expected = {
        *(f"trainer/content/decks/{name}" for name in decks),
        *(f"trainer/content/quiz-bank/{name}" for name in bank),
        "trainer/content/taxonomy.toml",
        "trainer/content/references.toml",
        "trainer/content/templates/situation-cards.csv",
        "trainer/assets/icon.svg",
        "trainer/assets/style.qss",
        "trainer/cli.py",
        "trainer/ui/deck_list.py",
    }
    assert expected <= names, sorted(expected - names)
    assert any(name.endswith("entry_points.txt") for name in names)
    assert not any(name.startswith("tests/") for name in names)
