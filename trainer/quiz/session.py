"""The quiz use case: start or resume an attempt, answer items, finish with a report and feed study."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from statistics import fmean
from typing import Any

from trainer.clock import Clock, system_clock
from trainer.model import BEST_QUALITY, Card, CardId, ItemSource, Library, QuizFormat, QuizItem
from trainer.quiz.scoring import (
    MIN_ATTEMPTS_FOR_DISCRIMINATION,
    ItemResult,
    Report,
    build_report,
    item_score,
    plan_quiz,
    point_biserial,
    weak,
)
from trainer.storage.quizzes import QuizStore
from trainer.storage.store import Store


class QuizSession:
    """One attempt in progress. Every answer is committed before the next item shows.

    Quiz feeds study: when an attempt finishes, each study card answered with less than the best
    option is due for study at once if it was already being studied, and otherwise goes to
    the front of the new-card queue (StudySession reads those from the quiz tables). Held-out
    bank items are never studied, so they bring nothing forward.
    """

    def __init__(self, store: Store, library: Library, attempt_id: int, *, clock: Clock = system_clock):
        self.store = store
        self.quizzes = QuizStore(store)
        self.library = library
        self.clock = clock
        self.attempt_id = attempt_id
        self.attempt = self.quizzes.attempt(attempt_id)
        # Items whose card left the deck or the bank, or changed its options, since the attempt began are
        # skipped, never shown (their stored score still counts in the attempt's history).
        self.items = [item for item in self.quizzes.items(attempt_id) if self._card(item) is not None]
        self.fallback_topics: tuple[str, ...] = ()

    def _card(self, item: QuizItem) -> Card | None:
        card = self.library.cards.get(item.card_id) or self.library.bank.get(item.card_id)
        return card if card is not None and _still_fits(card, item) else None

    @classmethod
    def start(
        cls,
        store: Store,
        library: Library,
        *,
        mode: str,
        topics: Sequence[str],
        length: int,
        quiz_format: str = QuizFormat.BEST,
        include_studied: bool = False,
        clock: Clock = system_clock,
        rng: random.Random | None = None,
    ) -> QuizSession:
        """Plan and store a new attempt: stratified items from the held-out bank (study cards only when
        asked for, or to fill a topic the bank is short of), each with its own shuffled option order."""
        rng = rng or random.Random()
        planned = plan_quiz(
            list(library.bank.values()),
            list(library.cards.values()),
            topics,
            length,
            rng,
            include_studied=include_studied,
        )
        if not planned.items:
            raise ValueError("the chosen topics have no choice cards")
        plan = []
        for card, source in planned.items:
            order = [o.id for o in card.options]
            rng.shuffle(order)
            plan.append((card.id, order, source))
        attempt_id = QuizStore(store).create_attempt(
            mode, topics, plan, clock(), quiz_format=quiz_format, include_studied=include_studied
        )
        session = cls(store, library, attempt_id, clock=clock)
        session.fallback_topics = planned.fallback_topics
        return session

    @property
    def mode(self) -> str:
        return self.attempt.mode

    @property
    def best_and_worst(self) -> bool:
        return self.attempt.format == QuizFormat.BEST_WORST

    def position(self) -> int:
        """How many items are answered (the index of the item to show next)."""
        return sum(item.option_id is not None for item in self.items)

    def current(self) -> tuple[QuizItem, Card] | None:
        index = self.position()
        if index >= len(self.items):
            return None
        item = self.items[index]
        card = self._card(item)
        assert card is not None
        return item, card

    def answer(self, option_id: str, confidence: int, duration_ms: int, worst_id: str | None = None) -> ItemResult:
        """Record the current item's answer (best, and worst in that format) and confidence; returns the result."""
        current = self.current()
        if current is None:
            raise ValueError("every item is already answered")
        item, card = current
        if self.best_and_worst and (worst_id is None or worst_id == option_id):
            raise ValueError("a best-and-worst item needs a worst option other than the best")
        if not self.best_and_worst:
            worst_id = None
        quality = card.option(option_id).quality
        score = item_score(card, option_id, worst_id)
        self.quizzes.answer_item(
            item.id, option_id, quality, confidence, duration_ms, self.clock(), worst_id=worst_id, score=score
        )
        index = self.items.index(item)
        self.items[index] = replace(
            item,
            option_id=option_id,
            quality=quality,
            confidence=confidence,
            duration_ms=duration_ms,
            worst_id=worst_id,
            score=score,
        )
        return ItemResult(card, option_id, confidence, duration_ms, worst_id, item.source)

    def results(self) -> list[ItemResult]:
        results = []
        for i in self.items:
            card = self._card(i)
            if card is not None and i.option_id is not None and i.confidence is not None:
                results.append(ItemResult(card, i.option_id, i.confidence, i.duration_ms or 0, i.worst_id, i.source))
        return results

    def finish(self) -> Report:
        """Close the attempt, bring weakly answered study cards forward for study, and score it."""
        now = self.clock()
        weak_ids = [i.card_id for i in self.items if i.source == ItemSource.DECK and weak(i.quality)]
        with self.store.transaction():  # finished and fed to study together, or neither
            self.quizzes.finish(self.attempt_id, now)
            self.store.bring_forward(weak_ids, now)
        self.attempt = self.quizzes.attempt(self.attempt_id)
        return build_report(self.results())

    def discard(self) -> None:
        self.quizzes.discard(self.attempt_id)


def attempt_report(store: Store, library: Library, attempt_id: int) -> Report | None:
    """The report of a stored attempt (None when none of its cards is left in the deck)."""
    session = QuizSession(store, library, attempt_id)
    results = session.results()
    return build_report(results) if results else None


def _stored_score(item: QuizItem) -> float:
    """An answered item's 0–1 score: as stored, or quality / 3 for items answered before scores were stored."""
    return item.score if item.score is not None else (item.quality or 0) / BEST_QUALITY


def item_statistics(store: Store, library: Library) -> list[dict[str, Any]]:
    """Per card asked in finished quizzes: source, times asked, mean score, discrimination, option counts.

    Scores are each item's 0–1 score (single best or best-and-worst). Discrimination is the point-biserial
    correlation between choosing the best option and the learner's score on the rest of that attempt
    (corrected item-total), once the card has been asked in MIN_ATTEMPTS_FOR_DISCRIMINATION attempts; a
    negative value is flagged: check the key. `worst` counts the options chosen as worst, when any were.
    """
    by_attempt: dict[int, list[QuizItem]] = {}
    for item in QuizStore(store).finished_responses():
        by_attempt.setdefault(item.attempt_id, []).append(item)
    asked: dict[CardId, list[tuple[QuizItem, float]]] = {}
    for items in by_attempt.values():
        total = sum(_stored_score(i) for i in items)
        for item in items:
            others = len(items) - 1
            rest = (total - _stored_score(item)) / others if others else 0.0
            asked.setdefault(item.card_id, []).append((item, rest))
    rows = []
    for card_id in sorted(asked):
        answers = asked[card_id]
        card = library.cards.get(card_id) or library.bank.get(card_id)
        discrimination = None
        if len(answers) >= MIN_ATTEMPTS_FOR_DISCRIMINATION:
            correct = [(i.quality or 0) == BEST_QUALITY for i, _ in answers]
            discrimination = point_biserial(correct, [rest for _, rest in answers])
        chosen = Counter(i.option_id for i, _ in answers)
        worst = Counter(i.worst_id for i, _ in answers if i.worst_id)
        ids = [option.id for option in card.options] if card else sorted({i for i in (*chosen, *worst) if i})
        rows.append(
            {
                "card_id": card_id,
                "in_deck": card is not None,
                "source": answers[-1][0].source,
                "asked": len(answers),
                "mean_score": round(fmean(_stored_score(i) for i, _ in answers), 4),
                "discrimination": None if discrimination is None else round(discrimination, 4),
                "negative_discrimination": discrimination is not None and discrimination < 0,
                "options": {option_id: chosen.get(option_id, 0) for option_id in ids},
                "worst": {option_id: worst.get(option_id, 0) for option_id in ids} if worst else {},
            }
        )
    return rows


def quiz_summary(store: Store) -> dict[str, Any]:
    """For `trainer stats`: how many quizzes were finished and the last one's score."""
    finished = QuizStore(store).finished_attempts()
    last = finished[-1].score if finished else None
    return {"quiz_attempts": len(finished), "last_quiz_score": None if last is None else round(last, 4)}


def _still_fits(card: Card, item: QuizItem) -> bool:
    """Whether every option the item names (shown or chosen) is still on the card."""
    ids = {option.id for option in card.options}
    named = {*item.option_order, item.option_id, item.worst_id} - {None}
    return named <= ids
