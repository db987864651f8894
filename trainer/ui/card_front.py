"""The front of a choice or recall card: the situation, the prompt and up to four option tiles."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from trainer.model import Card
from trainer.ui.widgets import OptionTile, text_label


class CardFront(QWidget):
    """Shows a card's question; study and quiz screens put their own controls below it."""

    sig_option_chosen = Signal(int)
    """Emitted with the index (0-3) of the tile the learner picked."""

    def __init__(self):
        super().__init__()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(14)
        self.situation = text_label(scale=1.3)
        self.prompt = text_label(bold=True)
        layout.addWidget(self.situation)
        layout.addWidget(self.prompt)
        # The tiles sit in one box that a recall card hides whole: showing four tiles one by one after a recall
        # card laid the page out four times (about 9 ms, the slowest answers of the benchmark).
        self.options = QWidget()
        options = QVBoxLayout(self.options)
        options.setContentsMargins(0, 0, 0, 0)
        options.setSpacing(14)
        self.tiles = [OptionTile(n) for n in range(1, 5)]
        for index, tile in enumerate(self.tiles):
            tile.sig_chosen.connect(lambda i=index: self.sig_option_chosen.emit(i))
            options.addWidget(tile)
        layout.addWidget(self.options)

    def show_card(self, card: Card, order: Sequence[str]) -> None:
        """Show the situation and prompt, and the options in the given order (none for a recall card)."""
        self.situation.setText(card.situation)
        self.prompt.setText(card.prompt)
        if not order:
            self.options.hide()
            return
        for index, tile in enumerate(self.tiles):
            visible = index < len(order)
            if visible:
                tile.show_option(card.option(order[index]).text, len(order))
            if tile.isVisibleTo(self.options) != visible:
                tile.setVisible(visible)
        self.options.show()
