"""Feedback shared by study and quiz: every option marked with its quality tier, and the principle with its
evidence (both levels when the finding is stronger than the advice on the move)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout

from trainer.collection import keyed_worst
from trainer.model import Card, Library
from trainer.ui.messages import plain_tooltip
from trainer.ui.widgets import OptionTile, set_style_property, text_label

EVIDENCE_WORDS = {"A": "A · strong evidence", "B": "B · moderate evidence", "C": "C · practitioner advice"}
LEVEL_WORDS = {"A": "strong evidence", "B": "moderate evidence", "C": "practitioner advice"}
# quality -> (icon, word); the word is also the tile's style state, so each tier has its own colour.
TIERS = {3: ("✓", "best"), 2: ("~", "acceptable"), 1: ("✗", "weak"), 0: ("⚠", "harmful")}


def tier_text(quality: int) -> str:
    """'✓ best', '~ acceptable', '✗ weak' or '⚠ harmful'."""
    icon, word = TIERS[quality]
    return f"{icon} {word}"


def evidence_text(card: Card) -> str:
    """The evidence badge: both levels when the underlying finding is stronger than the advice on the move."""
    if card.finding_evidence:
        return f"The norm: {card.finding_evidence} · This move: {card.evidence}"
    return EVIDENCE_WORDS[card.evidence]


def evidence_tip(card: Card) -> str:
    if card.finding_evidence:
        return (
            f"The finding behind it: {LEVEL_WORDS[card.finding_evidence]}. "
            f"The advice on this move: {LEVEL_WORDS[card.evidence]}."
        )
    return f"Evidence for this advice: {LEVEL_WORDS[card.evidence]}."


def mark_tiles(
    tiles: Sequence[OptionTile], order: Sequence[str], card: Card, chosen: str | None, worst: str | None = None
) -> None:
    """After a choice: every option with its quality tier (icon, word, colour) and its one-line feedback.

    The learner's own choice is marked "Your choice" (in best-and-worst, "Your best pick" and "Your worst pick").
    `chosen` is None for a card shown read-only.
    """
    for tile, option_id in zip(tiles, order, strict=False):
        option = card.option(option_id)
        icon, word = TIERS[option.quality]
        verdict = f"{icon} {word.capitalize()}"
        if option_id == chosen:
            verdict += " · Your best pick" if worst else " · Your choice"
        elif option_id == worst:
            verdict += " · Your worst pick"
        tile.show_result(word, verdict, option.feedback, mine=option_id in (chosen, worst))


def verdict_text(card: Card, chosen: str, library: Library, worst: str | None = None) -> tuple[str, str]:
    """The one-line verdict and its tone ('good' or 'bad') for a chosen option (and worst pick, if any)."""
    option = card.option(chosen)
    if option.is_best:
        text, good = "✓ Right: that is the best response.", True
    else:
        mistake = library.taxonomy.mistakes.get(option.mistake or "")
        name = f" ({mistake.name.lower()})" if mistake else ""
        text, good = f"✗ Not the best response{name}.", False
    if worst is not None:
        if worst in keyed_worst(card):
            text += " ✓ Your worst pick is the worst response."
        else:
            text += f" ✗ Your worst pick is {TIERS[card.option(worst).quality][1]}, not the worst."
            good = False
    return text, "good" if good else "bad"


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
        self.evidence.setText(evidence_text(card))
        self.evidence.setToolTip(plain_tooltip(evidence_tip(card)))
        references = self.library.references
        self.sources.setText("Sources: " + "; ".join(references[key].short for key in card.sources))
        self.sources.setToolTip(plain_tooltip("\n".join(references[key].citation for key in card.sources)))
        self.show()
