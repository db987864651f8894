"""Searching cards by what they say, for a library held in memory (a fresh load)."""

from __future__ import annotations

from trainer.model import Card, CardId, Library, TextIndex


def searchable_text(card: Card) -> str:
    """What the browser's search looks in: the id, the situation, the teaching and every option, case-folded."""
    text = card.text
    parts = [card.id, text.situation, text.prompt, text.principle, text.explanation, text.answer]
    parts += [option.text for option in text.options] + [option.feedback for option in text.options]
    return "\n".join(parts).casefold()


class TextScan:
    """The TextIndex of a library loaded from its files: every card's text is in memory, so scan it."""

    def __init__(self, library: Library):
        self._cards = [card for deck in library.decks for card in deck.cards]
        self._searchable: dict[CardId, str] = {}

    def matching(self, query: str) -> set[CardId]:
        folded = query.casefold()
        found = set()
        for card in self._cards:
            text = self._searchable.get(card.id)
            if text is None:
                text = self._searchable[card.id] = searchable_text(card)
            if folded in text:
                found.add(card.id)
        return found


def text_index(library: Library) -> TextIndex:
    """The library's own index (a cached library's, in SQL) or a scan of its cards."""
    return library.text_index or TextScan(library)
