"""The bundled deck against its blueprint (content brief §2) and item-writing rules; fails when content drifts."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from difflib import SequenceMatcher

import pytest

from trainer import paths
from trainer.library.coverage import coverage_markdown
from trainer.model import CardKind, Library

TOPIC_TARGETS = {"T1": 10, "T2": 14, "T3": 14, "T4": 12, "T5": 14, "T6": 12, "T7": 14, "T8": 10, "T9": 10, "T10": 10}
CONTEXTS = "PSBWRN"
# Brief §2.4: counterpart move x context (P, S, B, W, R, N).
MATRIX = {
    "M1": (3, 2, 3, 1, 3, 0),
    "M2": (2, 1, 2, 1, 2, 0),
    "M3": (2, 2, 2, 2, 1, 1),
    "M4": (2, 3, 3, 0, 1, 1),
    "M5": (2, 1, 2, 3, 2, 2),
    "M6": (2, 1, 3, 0, 2, 0),
    "M7": (2, 1, 1, 2, 2, 0),
    "M8": (1, 1, 1, 4, 2, 1),
    "M9": (1, 2, 1, 1, 1, 0),
    "M10": (2, 0, 1, 1, 1, 5),
    "M11": (1, 1, 1, 2, 2, 1),
    "M12": (1, 1, 1, 1, 0, 2),
    "M13": (0, 0, 1, 2, 1, 2),
    "M14": (1, 2, 0, 2, 0, 1),
}


@pytest.fixture(scope="module")
def cards(library: Library):
    return list(library.cards.values())


def choice_cards(cards):
    return [c for c in cards if c.kind == CardKind.CHOICE]


def test_kinds_and_totals(cards):
    kinds = Counter(c.kind for c in cards)
    assert kinds[CardKind.CHOICE] >= 100
    assert kinds[CardKind.RECALL] >= 20


@pytest.mark.parametrize(("topic", "target"), TOPIC_TARGETS.items())
def test_topic_counts_within_two_of_the_blueprint(cards, topic, target):
    count = sum(c.topic == topic for c in cards)
    assert abs(count - target) <= 2, (topic, count)


def test_move_by_context_cells_within_one_of_the_matrix(cards):
    counts = Counter((c.move, c.context) for c in cards)
    off = {
        (move, context): (counts[(move, context)], want)
        for move, row in MATRIX.items()
        for context, want in zip(CONTEXTS, row, strict=True)
        if abs(counts[(move, context)] - want) > 1
    }
    assert not off


def test_every_topic_in_three_contexts_and_every_context_in_six_topics(cards):
    for topic in TOPIC_TARGETS:
        assert len({c.context for c in cards if c.topic == topic}) >= 3, topic
    for context in CONTEXTS:
        assert len({c.topic for c in cards if c.context == context}) >= 6, context


def test_difficulty_mix_leaves_room_for_boundary_cards(cards):
    """The blueprint's 40/40/20 predates the rule that a third of the keys flip (brief §2.6 rule 11): those
    boundary cases are level 3, so level 3 may reach 40%; every level keeps at least a fifth."""
    levels = Counter(c.difficulty for c in cards)
    shares = [levels[level] / len(cards) for level in (1, 2, 3)]
    assert all(share >= 0.2 for share in shares), shares
    assert shares[2] <= 0.4, shares


def test_boundary_cards_exist_in_most_topics(cards):
    topics_with_boundary = {c.topic for c in cards if c.difficulty == 3}
    assert len(topics_with_boundary) >= 8


def test_every_source_idea_is_taught_by_two_cards(cards, library):
    taught = Counter(idea for c in cards for idea in set(c.ideas))
    assert {idea: taught[idea] for idea in library.taxonomy.ideas if taught[idea] < 2} == {}


def test_every_source_and_mistake_code_resolves(cards, library):
    assert all(key in library.references for c in cards for key in c.sources)
    codes = {o.mistake for c in cards for o in c.options if not o.is_best}
    assert codes <= set(library.taxonomy.mistakes)


def test_the_two_source_documents_are_cited(cards):
    cited = Counter(key for c in cards for key in c.sources)
    assert cited["SourceA_Kahvay"] >= 5
    assert cited["SourceB_CPR"] >= 5


def normalised(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


def test_no_two_situations_are_near_duplicates(cards):
    words = [(c.id, normalised(c.situation).split()) for c in cards]
    close = []
    partners = {(c.id, c.contrast) for c in cards if c.contrast}
    for (a, wa), (b, wb) in itertools.combinations(words, 2):
        if (a, b) in partners:  # a contrast pair is nearly the same situation on purpose
            continue
        matcher = SequenceMatcher(None, wa, wb, autojunk=False)
        if matcher.quick_ratio() > 0.5 and matcher.ratio() > 0.5:
            close.append((a, b, round(matcher.ratio(), 2)))
    assert close == []


def test_no_option_text_repeats_anywhere(cards):
    """Only the two cards of a contrast pair may share an option's words."""
    owners: dict[str, set[str]] = {}
    for card in cards:
        for option in card.options:
            owners.setdefault(normalised(option.text), set()).add(min(card.id, card.contrast or card.id))
    assert [text for text, pairs in owners.items() if len(pairs) > 1] == []


def test_best_option_is_rarely_the_longest(cards):
    choices = choice_cards(cards)
    longest = 0
    much_longer = 0
    for card in choices:
        best = card.best_option
        others = [len(o.text) for o in card.options if not o.is_best]
        if len(best.text) > max(others):
            longest += 1
        if len(best.text) > 1.3 * (sum(others) / len(others)):
            much_longer += 1
    assert longest / len(choices) <= 0.35, longest
    assert much_longer / len(choices) <= 0.10, much_longer


def test_every_choice_card_has_a_harmful_and_a_weak_option(cards):
    for card in choice_cards(cards):
        qualities = sorted(o.quality for o in card.options)
        assert qualities[0] <= 1, card.id
        assert qualities.count(3) == 1, card.id


def test_practitioner_cards_never_claim_research_support(cards):
    claims = re.compile(r"\b(research|studies|experiments?) (shows?|proves?|finds?|found|demonstrates?)\b", re.I)
    offending = [c.id for c in cards if c.evidence == "C" and claims.search(c.explanation)]
    assert offending == []


def test_myths_are_taught_as_myths(cards):
    text = {c.id: (c.explanation + " " + " ".join(o.feedback for o in c.options)).lower() for c in cards}
    mehrabian = [cid for cid, t in text.items() if "mehrabian" in t]
    assert mehrabian, "the Mehrabian 7-38-55 myth is not taught"
    assert all("myth" in text[cid] or "misquot" in text[cid] or "misappl" in text[cid] for cid in mehrabian)
    assert any("54%" in t for t in text.values()), "the lie-detection accuracy figure is not taught"


def test_card_ids_carry_their_topic(cards):
    for card in cards:
        assert card.id.startswith(card.topic.lower() + "-"), card.id


def test_content_readme_coverage_is_generated_from_the_deck(library):
    readme = (paths.content_dir() / "README.md").read_text(encoding="utf-8")
    assert coverage_markdown(library) in readme, "run `trainer coverage --write` after changing the deck"
