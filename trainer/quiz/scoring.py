"""Self-assessment quiz rules: stratified item sampling and scoring (pure; no Qt, no SQL).

Scoring follows the content brief §4.4: single best earns option quality / 3 (rule 1); best and worst
earns +1 for the keyed best, +1 for a keyed worst, −1 for either choice swapped, clamped at 0 and
halved (rule 2). An item is "correct" when the best option was chosen; calibration compares stated
confidence with that correctness.
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import NormalDist, fmean, pstdev

from trainer.model import BEST_QUALITY, Card, CardKind, ItemSource

LENGTHS = (10, 20, 40)
CONFIDENCE_STEPS = 6
CONFIDENT = 80
INDICATIVE_BELOW = 3
MIN_ATTEMPTS_FOR_DISCRIMINATION = 10
BANDS = ((0.8, "strong"), (0.6, "proficient"), (0.0, "developing"))


def confidence_levels(options: int) -> tuple[int, ...]:
    """Six confidence steps (percent) from chance, 1/options, to 100%: 25, 40, 55, 70, 85, 100 for four."""
    chance = 100 / max(options, 1)
    step = (100 - chance) / (CONFIDENCE_STEPS - 1)
    return tuple(round(chance + step * i) for i in range(CONFIDENCE_STEPS))


def keyed_worst(card: Card) -> set[str]:
    """The option ids keyed worst: those of the card's lowest quality (0, harmful, on most cards)."""
    lowest = min(o.quality for o in card.options)
    return {o.id for o in card.options if o.quality == lowest}


def best_worst_raw(card: Card, best_id: str, worst_id: str) -> int:
    """Brief §4.4 rule 2: +1 keyed best chosen as best, +1 keyed worst chosen as worst, −1 for each swap."""
    worst = keyed_worst(card)
    raw = 0
    raw += 1 if card.option(best_id).is_best else -1 if best_id in worst else 0
    raw += 1 if worst_id in worst else -1 if card.option(worst_id).is_best else 0
    return raw


def item_score(card: Card, option_id: str, worst_id: str | None = None) -> float:
    """One item's 0–1 score: quality / 3, or the best-and-worst raw score clamped at 0 and halved."""
    if worst_id is None:
        return card.option(option_id).quality / BEST_QUALITY
    return max(best_worst_raw(card, option_id, worst_id), 0) / 2


@dataclass(frozen=True, slots=True)
class ItemResult:
    """One answered quiz item, as the report needs it; `worst_id` is set in the best-and-worst format."""

    card: Card
    option_id: str
    confidence: int
    duration_ms: int = 0
    worst_id: str | None = None
    source: str = ItemSource.DECK

    @property
    def quality(self) -> int:
        return self.card.option(self.option_id).quality

    @property
    def score(self) -> float:
        return item_score(self.card, self.option_id, self.worst_id)

    @property
    def held_out(self) -> bool:
        return self.source == ItemSource.BANK

    @property
    def correct(self) -> bool:
        return self.quality == BEST_QUALITY

    @property
    def mistake(self) -> str | None:
        return self.card.option(self.option_id).mistake


@dataclass(frozen=True, slots=True)
class TopicScore:
    topic: str
    items: int
    score: float

    @property
    def indicative(self) -> bool:
        return self.items < INDICATIVE_BELOW


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    confidence: int
    items: int
    accuracy: float


@dataclass(frozen=True, slots=True)
class SourceScore:
    """The score over the items of one kind: held out (the quiz bank) or studied (the study deck)."""

    source: str
    items: int
    score: float


@dataclass(frozen=True, slots=True)
class Plan:
    """The items of a new attempt, each with its source, and the topics whose bank ran short."""

    items: tuple[tuple[Card, str], ...]
    fallback_topics: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Report:
    """Everything the report screen shows, computed from the answered items."""

    items: int
    score: float
    low: float
    high: float
    band: str
    topics: tuple[TopicScore, ...]
    mistakes: tuple[tuple[str, int], ...]
    mean_confidence: float
    accuracy: float
    brier: float
    calibration: tuple[CalibrationBin, ...]
    confident_errors: tuple[ItemResult, ...]
    mean_seconds: float
    results: tuple[ItemResult, ...] = ()
    sources: tuple[SourceScore, ...] = ()
    review_topics: tuple[str, ...] = ()


def plan_items(cards: Sequence[Card], topics: Sequence[str], length: int, rng: random.Random) -> list[Card]:
    """Pick `length` distinct choice cards, as evenly across `topics` as the deck allows, in random order.

    Each topic gets length // len(topics) items, the remainder going to randomly chosen topics;
    a topic with too few cards gives its share to the others.
    """
    pools = {t: [c for c in cards if c.kind == CardKind.CHOICE and c.topic == t] for t in topics}
    for pool in pools.values():
        rng.shuffle(pool)
    quota = _quotas(pools, topics, length, rng)
    chosen = [card for topic in topics for card in pools[topic][: quota[topic]]]
    rng.shuffle(chosen)
    return chosen


def plan_quiz(
    bank: Sequence[Card],
    studied: Sequence[Card],
    topics: Sequence[str],
    length: int,
    rng: random.Random,
    *,
    include_studied: bool = False,
) -> Plan:
    """Items for an attempt: held-out bank items first in each topic, study cards only to fill a short topic.

    With `include_studied`, bank items and study cards are drawn together. Topics stay balanced as in
    plan_items; `fallback_topics` lists the topics that needed study cards although they were not asked for.
    """
    wanted = set(topics)
    bank_by_topic: dict[str, list[Card]] = {topic: [] for topic in topics}
    deck_by_topic: dict[str, list[Card]] = {topic: [] for topic in topics}
    for source, grouped in ((bank, bank_by_topic), (studied, deck_by_topic)):
        for card in source:  # one pass over each: a large collection has tens of thousands of study cards
            if card.topic in wanted and card.kind == CardKind.CHOICE:
                grouped[card.topic].append(card)
    pools: dict[str, list[tuple[Card, ItemSource]]] = {}
    for topic in topics:
        # No topic takes more than `length` items, so a random `length` of each pool is as good as shuffling
        # it whole (and bounded however many cards there are).
        held, deck = bank_by_topic[topic], deck_by_topic[topic]
        if include_studied:  # drawn together: a uniform sample of bank and deck as one population
            picks = rng.sample(range(len(held) + len(deck)), min(length, len(held) + len(deck)))
            pools[topic] = [
                (held[i], ItemSource.BANK) if i < len(held) else (deck[i - len(held)], ItemSource.DECK) for i in picks
            ]
        else:
            pools[topic] = [(c, ItemSource.BANK) for c in rng.sample(held, min(length, len(held)))] + [
                (c, ItemSource.DECK) for c in rng.sample(deck, min(length, len(deck)))
            ]
    quota = _quotas(pools, topics, length, rng)
    chosen = [entry for topic in topics for entry in pools[topic][: quota[topic]]]
    rng.shuffle(chosen)
    fallback = (
        ()
        if include_studied
        else tuple(t for t in topics if any(s == ItemSource.DECK for _, s in pools[t][: quota[t]]))
    )
    return Plan(tuple(chosen), fallback)


def _quotas(
    pools: Mapping[str, Sequence[object]], topics: Sequence[str], length: int, rng: random.Random
) -> dict[str, int]:
    """Items per topic: shares as equal as the pools allow, the remainder to randomly chosen topics."""
    length = min(length, sum(len(pool) for pool in pools.values()))
    quota = dict.fromkeys(topics, 0)
    order = list(topics)
    rng.shuffle(order)
    assigned = 0
    while assigned < length:
        progressed = False
        for topic in order:
            if assigned < length and quota[topic] < len(pools[topic]):
                quota[topic] += 1
                assigned += 1
                progressed = True
        if not progressed:
            break
    return quota


def score_interval(scores: Sequence[float], level: float = 0.95) -> tuple[float, float, float]:
    """Mean item score with an approximate confidence interval (normal approximation), clamped to 0–1."""
    if not scores:
        return 0.0, 0.0, 0.0
    mean = fmean(scores)
    if len(scores) < 2:
        return mean, 0.0, 1.0
    spread = pstdev(scores) * math.sqrt(len(scores) / (len(scores) - 1))
    z = NormalDist().inv_cdf(0.5 + level / 2)
    margin = z * spread / math.sqrt(len(scores))
    return mean, max(mean - margin, 0.0), min(mean + margin, 1.0)


def brier_score(results: Sequence[ItemResult]) -> float:
    """Mean squared gap between stated confidence and being right (0 is perfect, lower is better)."""
    return fmean((r.confidence / 100 - r.correct) ** 2 for r in results)


def band(score: float) -> str:
    return next(name for floor, name in BANDS if score >= floor)


def build_report(results: Sequence[ItemResult]) -> Report:
    """Score a finished attempt (brief §4.4–4.5)."""
    if not results:
        raise ValueError("a report needs at least one answered item")
    scores = [r.score for r in results]
    mean, low, high = score_interval(scores)
    by_topic: dict[str, list[float]] = defaultdict(list)
    for result in results:
        by_topic[result.card.topic].append(result.score)
    topics = tuple(TopicScore(t, len(s), fmean(s)) for t, s in sorted(by_topic.items(), key=lambda kv: int(kv[0][1:])))
    mistakes = Counter(r.mistake for r in results if r.mistake)
    bins: dict[int, list[bool]] = defaultdict(list)
    for result in results:
        bins[result.confidence].append(result.correct)
    calibration = tuple(CalibrationBin(c, len(v), fmean(v)) for c, v in sorted(bins.items()))
    sources = tuple(
        SourceScore(source, len(kind), fmean(r.score for r in kind))
        for source in (ItemSource.BANK, ItemSource.DECK)
        if (kind := [r for r in results if r.source == source])
    )
    review = {r.card.topic for r in results if r.score < 1}
    return Report(
        items=len(results),
        score=mean,
        low=low,
        high=high,
        band=band(mean),
        topics=topics,
        mistakes=tuple(mistakes.most_common()),
        mean_confidence=fmean(r.confidence for r in results) / 100,
        accuracy=fmean(r.correct for r in results),
        brier=brier_score(results),
        calibration=calibration,
        confident_errors=tuple(r for r in results if not r.correct and r.confidence >= CONFIDENT),
        mean_seconds=fmean(r.duration_ms for r in results) / 1000,
        results=tuple(results),
        sources=sources,
        review_topics=tuple(sorted(review, key=lambda t: int(t[1:]))),
    )


def point_biserial(correct: Sequence[bool], totals: Sequence[float]) -> float | None:
    """r_pb = (M_p − M_q) / S_t × √(pq), with S_t the population SD of the totals.

    None when it is undefined (everyone right, everyone wrong, or no spread in totals).
    """
    if len(correct) != len(totals) or not correct:
        raise ValueError("correct and totals must be non-empty and of equal length")
    right = [t for c, t in zip(correct, totals, strict=True) if c]
    wrong = [t for c, t in zip(correct, totals, strict=True) if not c]
    spread = pstdev(totals)
    if not right or not wrong or spread == 0:
        return None
    p = len(right) / len(totals)
    return (fmean(right) - fmean(wrong)) / spread * math.sqrt(p * (1 - p))


def weak(quality: int | None) -> bool:
    """The quiz-feeds-study rule's test: an answer that was not the best response."""
    return quality is not None and quality < BEST_QUALITY
