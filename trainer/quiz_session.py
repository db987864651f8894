"""The quiz use case: start or resume an attempt, answer items, finish with a report and feed study."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from statistics import fmean

from trainer.clock import Clock, system_clock
from trainer.model import BEST_QUALITY, Card, Library, QuizItem
from trainer.quiz import (
    MIN_ATTEMPTS_FOR_DISCRIMINATION,
    ItemResult,
    Report,
    build_report,
    plan_items,
    point_biserial,
    weak,
)
from trainer.quiz_store import QuizStore
from trainer.storage import Store

EXAM, PRACTICE = "exam", "practice"


class QuizSession:
    """One attempt in progress. Every answer is committed before the next item shows.

    Quiz feeds study: when an attempt finishes, each card answered with less than the best
    option is due for study at once if it was already being studied, and otherwise goes to
    the front of the new-card queue (StudySession reads those from the quiz tables).
    """

    def __init__(self, store: Store, library: Library, attempt_id: int, *, clock: Clock = system_clock):
        self.store = store
        self.quizzes = QuizStore(store)
        self.library = library
        self.clock = clock
        self.attempt_id = attempt_id
        self.attempt = self.quizzes.attempt(attempt_id)
        # Items whose card left the deck since the attempt began are skipped, never shown.
        self.items = [item for item in self.quizzes.items(attempt_id) if item.card_id in library.cards]

    @classmethod
    def start(
        cls,
        store: Store,
        library: Library,
        *,
        mode: str,
        topics: Sequence[str],
        length: int,
        clock: Clock = system_clock,
        rng: random.Random | None = None,
    ) -> QuizSession:
        """Plan and store a new attempt: stratified items, each with its own shuffled option order."""
        rng = rng or random.Random()
        cards = plan_items(list(library.cards.values()), topics, length, rng)
        if not cards:
            raise ValueError("the chosen topics have no choice cards")
        plan = []
        for card in cards:
            order = [o.id for o in card.options]
            rng.shuffle(order)
            plan.append((card.id, order))
        attempt_id = QuizStore(store).create_attempt(mode, topics, plan, clock())
        return cls(store, library, attempt_id, clock=clock)

    @property
    def mode(self) -> str:
        return self.attempt.mode

    def position(self) -> int:
        """How many items are answered (the index of the item to show next)."""
        return sum(item.option_id is not None for item in self.items)

    def current(self) -> tuple[QuizItem, Card] | None:
        index = self.position()
        if index >= len(self.items):
            return None
        item = self.items[index]
        return item, self.library.cards[item.card_id]

    def answer(self, option_id: str, confidence: int, duration_ms: int) -> ItemResult:
        """Record the current item's answer and confidence; returns the scored result."""
        current = self.current()
        if current is None:
            raise ValueError("every item is already answered")
        item, card = current
        quality = card.option(option_id).quality
        self.quizzes.answer_item(item.id, option_id, quality, confidence, duration_ms, self.clock())
        index = self.items.index(item)
        self.items[index] = QuizItem(
            item.id, item.attempt_id, item.position, item.card_id, item.option_order, option_id, quality, confidence,
            duration_ms,
        )  # fmt: skip
        return ItemResult(card, option_id, confidence, duration_ms)

    def results(self) -> list[ItemResult]:
        return [
            ItemResult(self.library.cards[i.card_id], i.option_id, i.confidence, i.duration_ms or 0)
            for i in self.items
            if i.option_id is not None and i.confidence is not None
        ]

    def finish(self) -> Report:
        """Close the attempt, bring weakly answered cards forward for study, and score it."""
        now = self.clock()
        weak_ids = [i.card_id for i in self.items if weak(i.quality)]
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


def item_statistics(store: Store, library: Library) -> list[dict]:
    """Per card asked in finished quizzes: times asked, mean score, discrimination, option counts.

    Discrimination is the point-biserial correlation between choosing the best option and the
    learner's score on the rest of that attempt (corrected item-total), once the card has been
    asked in MIN_ATTEMPTS_FOR_DISCRIMINATION attempts; a negative value is flagged: check the key.
    """
    by_attempt: dict[int, list[QuizItem]] = {}
    for item in QuizStore(store).finished_responses():
        by_attempt.setdefault(item.attempt_id, []).append(item)
    asked: dict[str, list[tuple[QuizItem, float]]] = {}
    for items in by_attempt.values():
        total = sum(i.quality or 0 for i in items) / 3
        for item in items:
            others = len(items) - 1
            rest = (total - (item.quality or 0) / 3) / others if others else 0.0
            asked.setdefault(item.card_id, []).append((item, rest))
    rows = []
    for card_id in sorted(asked):
        answers = asked[card_id]
        card = library.cards.get(card_id)
        discrimination = None
        if len(answers) >= MIN_ATTEMPTS_FOR_DISCRIMINATION:
            correct = [(i.quality or 0) == BEST_QUALITY for i, _ in answers]
            discrimination = point_biserial(correct, [rest for _, rest in answers])
        chosen = Counter(i.option_id for i, _ in answers)
        rows.append(
            {
                "card_id": card_id,
                "in_deck": card is not None,
                "asked": len(answers),
                "mean_score": round(fmean((i.quality or 0) / BEST_QUALITY for i, _ in answers), 4),
                "discrimination": None if discrimination is None else round(discrimination, 4),
                "negative_discrimination": discrimination is not None and discrimination < 0,
                "options": {option.id: chosen.get(option.id, 0) for option in card.options} if card else dict(chosen),
            }
        )
    return rows


def quiz_summary(store: Store) -> dict:
    """For `trainer stats`: how many quizzes were finished and the last one's score."""
    finished = QuizStore(store).finished_attempts()
    last = finished[-1].score if finished else None
    return {"quiz_attempts": len(finished), "last_quiz_score": None if last is None else round(last, 4)}
