"""Feedback shared by study and quiz: tiles marked best/wrong, and the principle with its evidence."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout

from trainer.model import Card, Library
from trainer.ui.messages import plain_tooltip
from trainer.ui.widgets import OptionTile, set_style_property, text_label

EVIDENCE_WORDS = {"A": "A · strong evidence", "B": "B · moderate evidence", "C": "C · practitioner advice"}


def mark_tiles(tiles: Sequence[OptionTile], order: Sequence[str], card: Card, chosen: str) -> None:
    """After a choice: the best tile ✓ with its feedback, the chosen weak one ✗ with its feedback, others dimmed."""
    for tile, option_id in zip(tiles, order, strict=False):
        option = card.option(option_id)
        if option.is_best:
            verdict = "✓ Best response" + (" · your choice" if option_id == chosen else "")
            tile.show_result("best", verdict, option.feedback)
        elif option_id == chosen:
            tile.show_result("wrong", "✗ Your choice", option.feedback)
        else:
            tile.show_result("dimmed")


def verdict_text(card: Card, chosen: str, library: Library) -> tuple[str, str]:
    """The one-line verdict and its tone ('good' or 'bad') for a chosen option."""
    option = card.option(chosen)
    if option.is_best:
        return "✓ Right: that is the best response.", "good"
    mistake = library.taxonomy.mistakes.get(option.mistake or "")
    name = f" ({mistake.name.lower()})" if mistake else ""
    return f"✗ Not the best response{name}.", "bad"


class ExplanationPanel(QFrame):
    """The verdict, the principle as a heading, the explanation, the evidence badge and the sources."""

    def __init__(self, library: Library):
        super().__init__()
        self.library = library
        self.setObjectName("explanation")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(8)
        self.verdict = text_label(bold=True, scale=1.1)
        self.principle = text_label(bold=True, scale=1.15)
        self.why = text_label()
        meta = QHBoxLayout()
        self.evidence = QLabel()
        self.evidence.setObjectName("evidence")
        self.sources = text_label(muted=True)
        meta.addWidget(self.evidence, 0, Qt.AlignmentFlag.AlignTop)
        meta.addWidget(self.sources, 1)
        for widget in (self.verdict, self.principle, self.why):
            layout.addWidget(widget)
        layout.addLayout(meta)

    def show_card(self, card: Card, verdict: str, tone: str) -> None:
        self.verdict.setText(verdict)
        set_style_property(self.verdict, "tone", tone)
        self.principle.setText(card.principle)
        self.why.setText(card.explanation)
        self.evidence.setText(EVIDENCE_WORDS[card.evidence])
        references = self.library.references
        self.sources.setText("Sources: " + "; ".join(references[key].short for key in card.sources))
        self.sources.setToolTip(plain_tooltip("\n".join(references[key].citation for key in card.sources)))
        self.show()
