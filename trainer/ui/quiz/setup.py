"""The quiz set-up dialog: length, topics, mode, format and whether studied cards are included."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from trainer.collection import LENGTHS
from trainer.model import QuizAttempt, QuizFormat, QuizMode, Taxonomy
from trainer.ui.widgets import text_label

NO_TOPICS = "⚠ Choose at least one topic to start."


@dataclass(frozen=True, slots=True)
class QuizChoice:
    length: int
    topics: tuple[str, ...]
    mode: str
    quiz_format: str = QuizFormat.BEST
    include_studied: bool = False


class QuizSetupDialog(QDialog):
    """Asks how long, which topics, which mode and format, and whether to include studied cards.

    All topics and 20 items in Exam mode by default; the format and the studied-cards choice start as the
    last attempt left them (`last`), else single best from the held-out bank only.
    """

    def __init__(self, taxonomy: Taxonomy, parent: QWidget | None = None, last: QuizAttempt | None = None):
        super().__init__(parent)
        self.setWindowTitle("Self-assessment quiz")
        layout = QVBoxLayout(self)
        layout.addWidget(text_label("How long?", bold=True))
        self.lengths = QButtonGroup(self)
        row = QHBoxLayout()
        for length in LENGTHS:
            button = QRadioButton(f"{length} items")
            button.setChecked(length == 20)
            self.lengths.addButton(button, length)
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(text_label("Which topics?", bold=True))
        grid = QGridLayout()
        self.topic_boxes: dict[str, QCheckBox] = {}
        for index, (code, name) in enumerate(taxonomy.topics.items()):
            box = QCheckBox(name)
            box.setChecked(True)
            box.toggled.connect(self._on_topics_changed)
            self.topic_boxes[code] = box
            grid.addWidget(box, index // 2, index % 2)
        layout.addLayout(grid)
        toggles = QHBoxLayout()
        for label, state in (("All topics", True), ("No topics", False)):
            toggle = QPushButton(label)
            toggle.clicked.connect(lambda _=False, s=state: self._set_all(s))
            toggles.addWidget(toggle)
        self.no_topics = text_label(NO_TOPICS)
        self.no_topics.setProperty("tone", "bad")
        self.no_topics.hide()
        toggles.addWidget(self.no_topics, 1)
        layout.addLayout(toggles)
        layout.addWidget(text_label("Mode", bold=True))
        self.exam = QRadioButton("Exam: feedback at the end, in the report")
        self.practice = QRadioButton("Practice: feedback after each item")
        self.exam.setChecked(True)
        layout.addWidget(self.exam)
        layout.addWidget(self.practice)
        layout.addWidget(text_label("Items", bold=True))
        self.worst = QCheckBox("Also pick the worst option (best and worst: more to learn from each item)")
        self.worst.setChecked(last is not None and last.format == QuizFormat.BEST_WORST)
        self.include_studied = QCheckBox("Include cards I have studied")
        self.include_studied.setChecked(last is not None and last.include_studied)
        layout.addWidget(self.worst)
        layout.addWidget(self.include_studied)
        layout.addWidget(
            text_label(
                "Without it, the quiz draws held-out items you have never studied, so it measures "
                "what you can apply, not what you remember.",
                muted=True,
            )
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.start_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.start_button.setText("Start quiz")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _set_all(self, state: bool) -> None:
        for box in self.topic_boxes.values():
            box.setChecked(state)

    def _on_topics_changed(self) -> None:
        chosen = any(box.isChecked() for box in self.topic_boxes.values())
        self.start_button.setEnabled(chosen)
        self.start_button.setToolTip("" if chosen else NO_TOPICS)
        self.no_topics.setVisible(not chosen)

    def choice(self) -> QuizChoice:
        topics = tuple(code for code, box in self.topic_boxes.items() if box.isChecked())
        return QuizChoice(
            self.lengths.checkedId(),
            topics,
            QuizMode.PRACTICE if self.practice.isChecked() else QuizMode.EXAM,
            QuizFormat.BEST_WORST if self.worst.isChecked() else QuizFormat.BEST,
            self.include_studied.isChecked(),
        )

    @classmethod
    def ask(
        cls, taxonomy: Taxonomy, parent: QWidget | None = None, last: QuizAttempt | None = None
    ) -> QuizChoice | None:
        """Show the dialog; the learner's choice, or None if cancelled."""
        dialog = cls(taxonomy, parent, last)
        return dialog.choice() if dialog.exec() == QDialog.DialogCode.Accepted else None
