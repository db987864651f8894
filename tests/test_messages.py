"""The shared dialogs: the resume question answers with the button the learner pressed, Resume by default."""

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from trainer.ui import messages


def _press_when_shown(label: str | None) -> None:
    """Once the box is open, press the button labelled `label` (None: Enter on the default button)."""

    def press() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, press)
            return
        if label is None:
            box.defaultButton().click()
            return
        (button,) = [b for b in box.buttons() if b.text().replace("&", "") == label]
        button.click()

    QTimer.singleShot(0, press)


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        (None, messages.RESUME),
        ("Resume", messages.RESUME),
        ("Set aside", messages.DISCARD),
        ("Cancel", messages.CANCEL),
    ],
)
def test_ask_resume_returns_the_pressed_button(qtbot, label, expected):
    _press_when_shown(label)
    answer = messages.ask_resume(None, "Unfinished", "You left it.", "Resume it?", "Set aside")
    assert answer == expected


@pytest.mark.parametrize(("label", "expected"), [(None, False), ("Cancel", False), ("Restore", True)])
def test_ask_is_true_only_for_its_action_and_cancel_is_the_default(qtbot, label, expected):
    _press_when_shown(label)
    assert messages.ask(None, "Restore from backup?", "Replace everything?", "Restore") is expected
