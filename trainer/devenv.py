"""Set up the project's own virtual environment once, then start the trainer or run the tests.

    python3 -m trainer.devenv run  [trainer arguments]
    python3 -m trainer.devenv test [pytest arguments]

Standard library only: it runs before anything is installed. The environment lives in `.venv`
beside `pyproject.toml`; it is (re)installed only when `pyproject.toml` or the Python version
changed since the last install, so running either command again reinstalls nothing.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = ROOT / ".venv"
STAMP = VENV / ".trainer-installed"


def _bin(name: str) -> Path:
    folder = VENV / ("Scripts" if os.name == "nt" else "bin")
    return folder / (name + (".exe" if os.name == "nt" else ""))


def _fingerprint() -> str:
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update(sys.version.encode())
    return digest.hexdigest()


def _installed() -> tuple[str, str]:
    """(fingerprint, 'run' or 'test') of the last install; ('', '') when none. An old one-line stamp was 'test'."""
    if not STAMP.exists() or not _bin("python").exists():
        return "", ""
    fingerprint, _, level = STAMP.read_text().partition("\n")
    return fingerprint.strip(), level.strip() or "test"


def ensure_environment(with_tests: bool = True) -> None:
    """Create .venv and install the trainer (with the test tools for `test`), unless that is already done.

    `run` installs only what the app needs; `test` adds pytest, ruff, mypy and the rest. Nothing is
    installed again until `pyproject.toml` (or the Python version) changes.
    """
    fingerprint, level = _installed()
    if fingerprint == _fingerprint() and (level == "test" or not with_tests):
        return
    if not _bin("python").exists():
        print("Creating the virtual environment in .venv …", flush=True)
        venv.create(VENV, with_pip=True)
    python = str(_bin("python"))
    what = "the trainer and its test tools" if with_tests else "the trainer"
    print(f"Installing {what} into .venv (once; again only when pyproject.toml changes) …", flush=True)
    pip = [python, "-m", "pip", "install", "--disable-pip-version-check"]
    subprocess.run([*pip, "--quiet", "--upgrade", "pip>=25.1"], check=True)
    group = ["--group", f"{ROOT / 'pyproject.toml'}:dev"] if with_tests else []
    subprocess.run([*pip, "--editable", str(ROOT), *group], check=True)
    STAMP.write_text(_fingerprint() + "\n" + ("test" if with_tests else "run"))


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    ensure_environment(with_tests=command == "test")
    if command == "run":
        return subprocess.call([str(_bin("trainer")), *rest])
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.call([str(_bin("python")), "-m", "pytest", *rest], cwd=ROOT, env=env)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
