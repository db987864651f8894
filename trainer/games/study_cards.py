"""Which study cards a game's mistakes bring forward: cards whose options carry the same mistake code."""

from __future__ import annotations

from collections.abc import Iterable

from trainer.model import Card, Library

CARDS_PER_MISTAKE = 3


def cards_for_mistakes(
    library: Library, codes: Iterable[str], context: str, *, per_code: int = CARDS_PER_MISTAKE
) -> dict[str, str]:
    """Up to `per_code` study cards for each mistake code (card id → code), in a fixed order: cards set in the
    game's context first, then easier cards first. A card goes to the first code that picks it."""
    picked: dict[str, str] = {}
    cards = sorted(library.cards.values(), key=lambda card: (card.context != context, card.difficulty, card.id))
    for code in dict.fromkeys(codes):
        matching = [card for card in cards if _carries(card, code) and card.id not in picked]
        for card in matching[:per_code]:
            picked[card.id] = code
    return picked


def _carries(card: Card, code: str) -> bool:
    return any(option.mistake == code for option in card.options)
