"""Message boxes and tooltips that show their text literally: paths, errors and content are never markup."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

Button = QMessageBox.StandardButton


def plain_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str, text: str) -> QMessageBox:
    """A message box whose text is plain (call exec() or add buttons first)."""
    box = QMessageBox(icon, title, text, Button.NoButton, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def warn(parent: QWidget | None, title: str, text: str) -> None:
    box = plain_box(parent, QMessageBox.Icon.Warning, title, text)
    box.setStandardButtons(Button.Ok)
    box.exec()


def critical(parent: QWidget | None, title: str, text: str) -> None:
    box = plain_box(parent, QMessageBox.Icon.Critical, title, text)
    box.setStandardButtons(Button.Ok)
    box.exec()


def inform(parent: QWidget | None, title: str, text: str) -> None:
    box = plain_box(parent, QMessageBox.Icon.Information, title, text)
    box.setStandardButtons(Button.Ok)
    box.exec()


def confirm(parent: QWidget | None, title: str, text: str, action: str) -> bool:
    """Ask before something that cannot be taken back; Cancel is the default."""
    box = plain_box(parent, QMessageBox.Icon.Warning, title, text)
    box.setStandardButtons(Button.Cancel)
    go = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(Button.Cancel)
    box.exec()
    return box.clickedButton() is go


def plain_tooltip(text: str) -> str:
    """Tooltip text that Qt shows literally (Qt would otherwise guess at rich text)."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"
