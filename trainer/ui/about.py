"""The application icon and the About box: version, licence, data folder and where the content's sources are."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

from trainer import __version__, paths

LICENCE = "MIT"
ICON_FILE = "icon.svg"


def app_icon() -> QIcon:
    """The trainer's icon (assets/icon.svg), as drawn in the window, the About box and the application menu."""
    return QIcon(str(paths.assets_dir() / ICON_FILE))


def about_text(data_folder: Path) -> str:
    """The About box's text (rich text: every path and name in it is escaped)."""
    sources = paths.content_dir() / "references.toml"
    guide = paths.content_dir() / "README.md"
    return (
        f"<p><b>Reciprocity Trainer {html.escape(__version__)}</b></p>"
        "<p>Situation cards and a self-assessment quiz on reciprocity in negotiation, scheduled with FSRS.</p>"
        f"<p>Licence: {LICENCE}</p>"
        f"<p>Your data folder:<br>{html.escape(str(data_folder))}</p>"
        f'<p>The content\'s sources: <a href="{html.escape(QUrl.fromLocalFile(str(sources)).toString())}">'
        "the full citations</a> and "
        f'<a href="{html.escape(QUrl.fromLocalFile(str(guide)).toString())}">how the cards were written and checked</a>'
        "</p>"
    )


def show_about(parent: QWidget, data_folder: Path) -> QMessageBox:
    """Open the About box (non-blocking in tests: the caller may exec or close it)."""
    box = QMessageBox(parent)
    box.setWindowTitle("About Reciprocity Trainer")
    box.setIconPixmap(app_icon().pixmap(96, 96))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_text(data_folder))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    for label in box.findChildren(QLabel):
        label.setOpenExternalLinks(True)
    return box
