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


def ask(parent: QWidget | None, title: str, text: str, action: str) -> bool:
    """Ask before something that keeps a way back (a backup, kept history); Cancel is the default."""
    box = plain_box(parent, QMessageBox.Icon.Question, title, text)
    go = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(box.addButton(Button.Cancel))
    box.exec()
    return box.clickedButton() is go


def confirm(parent: QWidget | None, title: str, text: str, action: str) -> bool:
    """Ask before something that cannot be taken back; Cancel is the default."""
    box = plain_box(parent, QMessageBox.Icon.Warning, title, text)
    box.setStandardButtons(Button.Cancel)
    go = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(Button.Cancel)
    box.exec()
    return box.clickedButton() is go


RESUME, DISCARD, CANCEL = "resume", "discard", "cancel"


def ask_resume(parent: QWidget | None, title: str, text: str, informative: str, discard: str) -> str:
    """Ask what to do with something left mid-way: RESUME (the default), DISCARD or CANCEL."""
    box = plain_box(parent, QMessageBox.Icon.Question, title, text)
    box.setInformativeText(informative)
    resume_button = box.addButton("Resume", QMessageBox.ButtonRole.AcceptRole)
    discard_button = box.addButton(discard, QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(Button.Cancel)
    box.setDefaultButton(resume_button)
    box.exec()
    clicked = box.clickedButton()
    return RESUME if clicked is resume_button else DISCARD if clicked is discard_button else CANCEL


def plain_tooltip(text: str) -> str:
    """Tooltip text that Qt shows literally (Qt would otherwise guess at rich text)."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"
