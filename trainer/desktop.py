"""The freedesktop.org menu entry: `trainer install-desktop` puts the trainer in a Linux desktop's application menu.

It writes `reciprocity-trainer.desktop` into $XDG_DATA_HOME/applications (default ~/.local/share/applications)
and the icon into $XDG_DATA_HOME/icons/hicolor/scalable/apps; `--remove` deletes both. The entry starts this
Python with `-m trainer`, so it works from a pipx install or a virtual environment alike.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from trainer import paths

APP_ID = "reciprocity-trainer"
ICON_FILE = "icon.svg"


def data_home() -> Path:
    chosen = os.environ.get("XDG_DATA_HOME")
    return Path(chosen) if chosen and Path(chosen).is_absolute() else Path.home() / ".local" / "share"


def entry_path(home: Path) -> Path:
    return home / "applications" / f"{APP_ID}.desktop"


def icon_path(home: Path) -> Path:
    return home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"


def _quoted(argument: str) -> str:
    """An Exec argument, quoted as the Desktop Entry Specification asks."""
    if not any(c in argument for c in " \t\n\"'\\><~|&;$*?#()`"):
        return argument
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    return f'"{escaped}"'.replace("\\", "\\\\")


def desktop_entry(icon: Path, python: str = sys.executable) -> str:
    """The text of the .desktop file."""
    command = " ".join(_quoted(part) for part in (python, "-m", "trainer")).replace("%", "%%")
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Version=1.5\n"
        "Name=Reciprocity Trainer\n"
        "GenericName=Negotiation trainer\n"
        "Comment=Situation cards and a self-assessment quiz on reciprocity in negotiation\n"
        f"Exec={command}\n"
        f"Icon={icon}\n"
        "Terminal=false\n"
        "Categories=Education;\n"
        "Keywords=negotiation;flashcards;reciprocity;quiz;\n"
        f"StartupWMClass={APP_ID}\n"
    )


def install(home: Path | None = None) -> tuple[Path, Path]:
    """Write the menu entry and its icon; returns both paths (raises OSError)."""
    home = home or data_home()
    entry, icon = entry_path(home), icon_path(home)
    icon.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(paths.assets_dir() / ICON_FILE, icon)
    entry.parent.mkdir(parents=True, exist_ok=True)
    partial = entry.with_name(entry.name + ".partial")
    partial.write_text(desktop_entry(icon), encoding="utf-8")
    os.replace(partial, entry)
    return entry, icon


def remove(home: Path | None = None) -> list[Path]:
    """Delete the menu entry and its icon; returns the files that were there."""
    home = home or data_home()
    removed = []
    for path in (entry_path(home), icon_path(home)):
        if path.exists():
            path.unlink()
            removed.append(path)
    return removed
