"""Deck-level cue audit: how often surface features give a choice card's key away (pure; no I/O).

A cue is a feature only the key has, so a test-wise learner could pick it without knowing the principle:
the key is the longest option, the only one with conditional wording, the only courteous opener, or the
only one repeating a number from the situation. The audit also counts flipped keys (response other than
"trade"), contrast pairs, held-out items, and sources an explanation does not name.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from trainer.model import Card, CardId, CardKind, Library, Option

CUE_LIMIT = 0.40
CONDITIONAL = re.compile(
    r"\b(if|provided|as long as|in exchange|in return|on condition|assuming|once you)\b", re.IGNORECASE
)
COURTEOUS = re.compile(
    r"^\W*(thanks|thank you|i appreciate|appreciate|i understand|i see|understood|i hear|glad|great|fair point"
    r"|that's helpful|that’s helpful)\b",
    re.IGNORECASE,
)
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Source keys whose citation does not start with an author's surname.
SURNAMES = {"SourceA_Kahvay": "Kahvay", "SourceB_CPR": "CPR"}


def numbers(text: str) -> set[str]:
    """The numbers in a text, normalised ("€46.50" and "46.50" match; "5,000" and "5000" match)."""
    return {match.replace(",", "") for match in NUMBER.findall(text)}


def _longest(option: Option, card: Card) -> bool:
    return len(option.text) > max((len(o.text) for o in card.options if o is not option), default=0)


def _conditional(option: Option, card: Card) -> bool:
    return bool(CONDITIONAL.search(option.text))


def _courteous(option: Option, card: Card) -> bool:
    return bool(COURTEOUS.search(option.text))


def _situation_number(option: Option, card: Card) -> bool:
    return bool(numbers(option.text) & numbers(card.situation))


CUES: dict[str, tuple[str, Callable[[Option, Card], bool]]] = {
    "longest": ("key is the longest option", _longest),
    "conditional": ("key is the only conditional option", _conditional),
    "courteous": ("key is the only courteous opener", _courteous),
    "number": ("key is the only option with a number from the situation", _situation_number),
}


def key_has_cue(card: Card, cue: str) -> bool:
    """Whether the card's key, and none of its other options, shows the cue."""
    test = CUES[cue][1]
    key = card.best_option
    if key is None:
        return False
    if cue == "longest":
        return test(key, card)
    return test(key, card) and not any(test(o, card) for o in card.options if o is not key)


def surname(key: str, citation: str) -> str:
    """The first author's surname as an explanation would name it: the citation up to its first comma or full stop."""
    if key in SURNAMES:
        return SURNAMES[key]
    head = re.split(r"[,.(]", citation, maxsplit=1)[0].strip().strip('"“')
    return head.removeprefix("The ").strip()


def uncited(cards: Iterable[Card], library: Library) -> list[tuple[CardId, str]]:
    """(card id, source key) for every listed source whose first author the explanation does not name."""
    missing = []
    for card in cards:
        for key in card.sources:
            reference = library.references.get(key)
            name = surname(key, reference.citation) if reference else key
            if name.casefold() not in card.explanation.casefold():
                missing.append((card.id, key))
    return missing


def contrast_pairs(cards: Mapping[str, Card]) -> list[tuple[str, str]]:
    """Linked contrast pairs (each names the other), each once, in id order."""
    pairs: set[tuple[str, str]] = set()
    for card in cards.values():
        partner = cards.get(card.contrast) if card.contrast else None
        if partner is not None and partner.contrast == card.id:
            first, second = sorted((str(card.id), str(partner.id)))
            pairs.add((first, second))
    return sorted(pairs)


@dataclass(frozen=True, slots=True)
class Audit:
    """The figures `trainer audit` prints; shares are over choice cards of the study decks and the bank."""

    study_choice: int
    bank_choice: int
    cues: dict[str, tuple[int, float]]
    flipped: int
    flip_share: float
    untagged: int
    contrast_pairs: int
    held_out: int
    uncited: list[tuple[CardId, str]]

    def as_dict(self) -> dict:
        return {
            "study_choice_cards": self.study_choice,
            "bank_choice_items": self.bank_choice,
            "cues": {name: {"cards": n, "share": round(share, 4)} for name, (n, share) in self.cues.items()},
            "cue_limit": CUE_LIMIT,
            "flipped_keys": self.flipped,
            "flip_share": round(self.flip_share, 4),
            "no_response_type": self.untagged,
            "contrast_pairs": self.contrast_pairs,
            "held_out_items": self.held_out,
            "uncited_sources": [{"card": card, "source": key} for card, key in self.uncited],
        }


def audit(library: Library) -> Audit:
    """Cue statistics over every choice card of the study decks and the quiz bank (flips over study cards)."""
    study = [c for c in library.cards.values() if c.kind == CardKind.CHOICE]
    bank = [c for c in library.bank.values() if c.kind == CardKind.CHOICE]
    everything = study + bank
    total = max(len(everything), 1)
    cues = {}
    for name in CUES:
        count = sum(key_has_cue(card, name) for card in everything)
        cues[name] = (count, count / total)
    flipped = sum(bool(c.response) and c.response != "trade" for c in study)
    return Audit(
        study_choice=len(study),
        bank_choice=len(bank),
        cues=cues,
        flipped=flipped,
        flip_share=flipped / max(len(study), 1),
        untagged=sum(not c.response for c in study),
        contrast_pairs=len(contrast_pairs({str(k): v for k, v in [*library.cards.items(), *library.bank.items()]})),
        held_out=len(library.bank),
        uncited=uncited([*library.cards.values(), *library.bank.values()], library),
    )


def audit_lines(result: Audit) -> list[str]:
    """The audit as lines of text for the terminal."""
    lines = [f"Choice cards: {result.study_choice} in the study decks, {result.bank_choice} held out in the bank."]
    lines.append(f"Cues (share of all {result.study_choice + result.bank_choice} choice cards; keep each ≤ 40%):")
    for name, (count, share) in result.cues.items():
        flag = "  <- over the limit" if share > CUE_LIMIT else ""
        lines.append(f"  {CUES[name][0]:<58} {share:>5.0%} ({count}){flag}")
    lines.append(
        f"Flipped keys (response other than trade): {result.flip_share:.0%} of study choice cards ({result.flipped})"
        + (f"; {result.untagged} have no response type" if result.untagged else "")
    )
    lines.append(f"Contrast pairs: {result.contrast_pairs}")
    lines.append(f"Held-out quiz items: {result.held_out}")
    lines.append(f"Sources not named in the explanation: {len(result.uncited)}")
    lines.extend(f"  {card}: {key}" for card, key in result.uncited)
    return lines
