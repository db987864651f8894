"""A card opened from a report or a contrast link: the situation, every option marked, and the explanation."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from trainer.model import Card, Library
from trainer.ui.explanation import ExplanationPanel, mark_tiles, verdict_text
from trainer.ui.widgets import OptionTile, centred_scroll, text_label


class CardDialog(QDialog):
    """Read-only view of a choice card after a given answer (`chosen` None: no answer, just the key)."""

    def __init__(
        self,
        card: Card,
        chosen: str | None,
        library: Library,
        parent: QWidget | None = None,
        *,
        worst: str | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(library.taxonomy.topics[card.topic])
        self.resize(820, 640)
        column = QWidget()
        body = QVBoxLayout(column)
        body.setSpacing(12)
        body.addWidget(text_label(card.situation, scale=1.2))
        body.addWidget(text_label(card.prompt, bold=True))
        order = [option.id for option in card.options]
        self.tiles = [OptionTile(n) for n in range(1, len(order) + 1)]
        for tile, option_id in zip(self.tiles, order, strict=True):
            tile.show_option(card.option(option_id).text)
            tile.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            tile.setCursor(Qt.CursorShape.ArrowCursor)
            body.addWidget(tile)
        mark_tiles(self.tiles, order, card, chosen, worst)
        self.explanation = ExplanationPanel(library)
        if chosen is None:
            self.explanation.show_card(card, "The options as keyed, each with why.", "")
        else:
            self.explanation.show_card(card, *verdict_text(card, chosen, library, worst))
        body.addWidget(self.explanation)
        body.addStretch(1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(centred_scroll(column), 1)
        layout.addWidget(buttons)

    @classmethod
    def show_card(
        cls,
        card: Card,
        chosen: str | None,
        library: Library,
        parent: QWidget | None = None,
        *,
        worst: str | None = None,
    ) -> CardDialog:
        """Open the dialog without blocking; returns it."""
        dialog = cls(card, chosen, library, parent, worst=worst)
        dialog.open()
        return dialog
