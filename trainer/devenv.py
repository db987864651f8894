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


def ensure_environment() -> None:
    """Create .venv and install the project with its dev tools, unless that is already done."""
    if STAMP.exists() and STAMP.read_text() == _fingerprint() and _bin("python").exists():
        return
    if not _bin("python").exists():
        print("Creating the virtual environment in .venv …", flush=True)
        venv.create(VENV, with_pip=True)
    python = str(_bin("python"))
    print("Installing the trainer and its test tools into .venv …", flush=True)
    pip = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "--upgrade", "pip>=25.1"], check=True)
    subprocess.run([*pip, "--editable", str(ROOT), "--group", f"{ROOT / 'pyproject.toml'}:dev"], check=True)
    STAMP.write_text(_fingerprint())


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__)
        return 2
    ensure_environment()
    command, rest = argv[0], argv[1:]
    if command == "run":
        return subprocess.call([str(_bin("trainer")), *rest])
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.call([str(_bin("python")), "-m", "pytest", *rest], cwd=ROOT, env=env)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
