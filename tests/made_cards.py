"""Test helpers: small libraries of made-up cards, so quiz and feedback tests do not depend on deck wording."""

from __future__ import annotations

from dataclasses import replace

from trainer.model import Card, CardId, CardKind, Deck, Library, Option

WORDS = {3: "the best reply", 2: "an acceptable reply", 1: "a weak reply", 0: "a harmful reply"}


def made_card(card_id: str, topic: str, *, bank: bool = False, qualities=(3, 2, 1, 0), **fields) -> Card:
    """A choice card with one option per quality (ids a, b, c, d in that order), each with its own feedback."""
    options = tuple(
        Option(
            id="abcdefgh"[i],
            text=f"{card_id}: {WORDS[q]} ({i})",
            quality=q,
            feedback=f"Feedback on {WORDS[q]} of {card_id}.",
            mistake=None if q == 3 else "E1",
        )
        for i, q in enumerate(qualities)
    )
    values = {
        "id": CardId(card_id),
        "kind": CardKind.CHOICE,
        "deck_id": "bank" if bank else "made",
        "topic": topic,
        "move": "M1",
        "context": "P",
        "power": "equal",
        "horizon": "repeated",
        "difficulty": 1,
        "situation": f"Situation of {card_id}: the supplier offers 5% off.",
        "prompt": "What is your best next move?",
        "principle": f"Principle of {card_id}.",
        "explanation": f"Explanation of {card_id} (Gouldner).",
        "evidence": "C",
        "sources": ("Gouldner1960",),
        "options": options,
        "bank": bank,
    }
    return Card(**(values | fields))


def made_library(base: Library, study: list[Card], bank: list[Card]) -> Library:
    """The bundled taxonomy and references with only the given study cards and held-out items."""
    decks = (
        Deck("made", "Made", "", "made.toml", tuple(study)),
        Deck("bank", "Bank", "", "bank.toml", tuple(bank), True),
    )
    return replace(base, decks=decks, problems=(), cards={c.id: c for c in study}, bank={c.id: c for c in bank})
