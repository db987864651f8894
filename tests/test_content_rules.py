"""Content rules for the rewritten decks and the quiz bank: flipped keys, contrast pairs, a held-out bank,
no surface cue giving keys away, sources named, complete references, evidence wording."""

from __future__ import annotations

import re
import tomllib
from collections import Counter

import pytest

from trainer import paths
from trainer.library.audit import CUE_LIMIT, CUES, audit, contrast_pairs, key_has_cue, uncited
from trainer.model import CardKind

LEVELS = "ABC"  # strongest first


def test_at_least_30_percent_of_study_choice_cards_flip_the_usual_trade(library):
    choice = [c for c in library.cards.values() if c.kind == CardKind.CHOICE]
    flipped = [c for c in choice if c.response and c.response != "trade"]
    assert len(flipped) / len(choice) >= 0.30, f"{len(flipped)} of {len(choice)} flip"


def test_at_least_20_linked_contrast_pairs_sharing_a_move_with_different_keys(library):
    cards = {**library.cards, **library.bank}
    pairs = contrast_pairs(cards)
    assert len(pairs) >= 20
    for one, other in pairs:
        a, b = cards[one], cards[other]
        assert a.move == b.move, (one, other)
        assert a.contrast_fact, one
        assert b.contrast_fact, other
        key_a = a.best_option.text if a.best_option else a.answer
        key_b = b.best_option.text if b.best_option else b.answer
        assert key_a != key_b, (one, other)
    dangling = [c.id for c in cards.values() if c.contrast and tuple(sorted((c.id, c.contrast))) not in pairs]
    assert dangling == []


def test_held_out_bank_has_60_items_and_6_per_topic(library):
    assert len(library.bank) >= 60
    per_topic = Counter(c.topic for c in library.bank.values())
    assert {t: per_topic.get(t, 0) for t in library.taxonomy.topics if per_topic.get(t, 0) < 6} == {}
    assert not set(library.bank) & set(library.cards)


@pytest.mark.parametrize("cue", list(CUES))
def test_no_surface_cue_gives_more_than_40_percent_of_keys_away(library, cue):
    everything = [c for c in [*library.cards.values(), *library.bank.values()] if c.kind == CardKind.CHOICE]
    cued = [c.id for c in everything if key_has_cue(c, cue)]
    assert len(cued) / len(everything) <= CUE_LIMIT, f"{CUES[cue][0]}: {len(cued)} of {len(everything)}"
    assert audit(library).cues[cue][0] == len(cued)


def test_every_listed_source_is_named_in_the_explanation(library):
    assert uncited([*library.cards.values(), *library.bank.values()], library) == []


def test_every_reference_has_authors_and_a_year():
    references = tomllib.loads((paths.content_dir() / "references.toml").read_text(encoding="utf-8"))
    incomplete = [
        key
        for key, entry in references.items()
        if entry["citation"].lstrip().startswith(('"', "“", "'"))
        or not re.search(r"\(((1[89]|20)\d\d|n\.d\.)", entry["citation"])  # n.d.: an undated web page
    ]
    assert incomplete == []


def test_collabra2023_is_complete_or_gone(library):
    references = tomllib.loads((paths.content_dir() / "references.toml").read_text(encoding="utf-8"))
    used = any("Collabra2023" in c.sources for c in [*library.cards.values(), *library.bank.values()])
    if not used:
        assert "Collabra2023" not in references
    else:
        assert not references["Collabra2023"]["citation"].startswith('"')


def test_finding_evidence_is_stronger_than_the_advice_where_given(library):
    wrong = [
        c.id
        for c in [*library.cards.values(), *library.bank.values()]
        if c.finding_evidence and LEVELS.index(c.finding_evidence) >= LEVELS.index(c.evidence)
    ]
    assert wrong == []


def test_no_practitioner_card_claims_research(library):
    claims = re.compile(r"research shows|studies show", re.IGNORECASE)
    found = [
        c.id
        for c in [*library.cards.values(), *library.bank.values()]
        if c.evidence == "C" and claims.search(" ".join([c.explanation, c.principle, c.answer]))
    ]
    assert found == []
