"""Contrast pairs in the study feedback: a link to the partner card, and both cards side by side.

Card text is plain text: the one highlighted fact is built from escaped text, never from raw content.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from trainer.model import Card, CardId, Library
from trainer.ui.card_dialog import CardDialog
from trainer.ui.theme import status_colours
from trainer.ui.widgets import clear_layout, text_label

FIRST_WORDS = 12


def first_words(text: str, count: int = FIRST_WORDS) -> str:
    words = text.split()
    return " ".join(words[:count]) + ("…" if len(words) > count else "")


def highlight_html(text: str, fact: str, background: str) -> str:
    """`text` as escaped HTML with the first occurrence of `fact` in a highlighted bold span."""
    at = text.find(fact) if fact else -1
    if at < 0:
        return html.escape(text).replace("\n", "<br>")
    before, after = text[:at], text[at + len(fact) :]
    span = f'<span style="background-color:{background}; font-weight:600">{html.escape(fact)}</span>'
    return (html.escape(before) + span + html.escape(after)).replace("\n", "<br>")


def _rich_label(markup: str) -> QLabel:
    """A wrapping label for markup built only from escaped text; links never open."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.RichText)
    label.setWordWrap(True)
    label.setOpenExternalLinks(False)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setText(markup)
    return label


class ContrastPanel(QFrame):
    """Below a paired card's feedback: "Compare: <partner's first words…>", and once the partner has been
    answered before, both cards side by side with the one fact that differs highlighted."""

    def __init__(self, library: Library):
        super().__init__()
        self.library = library
        self.partner: Card | None = None
        self.setObjectName("explanation")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 12, 0, 0)
        layout.setSpacing(8)
        self.compare_button = QPushButton()
        self.compare_button.setToolTip("Open the paired card, with its key and explanation")
        self.compare_button.clicked.connect(self.open_partner)
        layout.addWidget(self.compare_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.side_by_side = QWidget()
        self.grid = QGridLayout(self.side_by_side)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(16)
        layout.addWidget(self.side_by_side)
        self.hide()

    def show_pair(self, card: Card, *, side_by_side: bool) -> None:
        """Show the link to the card's partner (hidden if it has none); both cards when `side_by_side`."""
        self.partner = self.library.cards.get(CardId(card.contrast)) if card.contrast else None
        if self.partner is None:
            self.hide()
            return
        changed = self.partner.contrast_fact or self.partner.situation  # the one fact that differs says most
        self.compare_button.setText(f"Compare the case where: {first_words(changed)}")
        self._fill(card, self.partner) if side_by_side else self.side_by_side.hide()
        self.show()

    def _fill(self, card: Card, partner: Card) -> None:
        clear_layout(self.grid)
        self.grid.addWidget(
            text_label("Same move, one fact changed: compare the best responses.", bold=True), 0, 0, 1, 2
        )
        mark = status_colours(self.palette()).mark
        self.situations: list[QLabel] = []
        for column, (title, shown) in enumerate((("This card", card), ("The card you answered before", partner))):
            self.grid.addWidget(text_label(title, muted=True), 1, column)
            situation = _rich_label(highlight_html(shown.situation, shown.contrast_fact, mark))
            self.situations.append(situation)
            self.grid.addWidget(situation, 2, column, Qt.AlignmentFlag.AlignTop)
            key = shown.best_option
            self.grid.addWidget(
                text_label(f"✓ Best: {key.text if key else shown.answer}"), 3, column, Qt.AlignmentFlag.AlignTop
            )
            self.grid.addWidget(text_label(shown.principle, bold=True), 4, column, Qt.AlignmentFlag.AlignTop)
        for column in (0, 1):
            self.grid.setColumnStretch(column, 1)
        self.side_by_side.show()

    def open_partner(self) -> CardDialog | None:
        """Open the partner card read-only, with every option's tier and the explanation."""
        if self.partner is None:
            return None
        return CardDialog.show_card(self.partner, None, self.library, self.window())
