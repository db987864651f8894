"""Use cases over the store and the scheduler: the study queue, answering, undo and counts."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Any

from trainer.clock import Clock, system_clock
from trainer.model import Answer, Card, CardId, CardKind, CardState, Library, Phase, Rating, Schedule, Settings
from trainer.storage.card_table import CardTable
from trainer.storage.decks import DeckSwitches
from trainer.storage.fits import FitStore
from trainer.storage.games import GameStore
from trainer.storage.quizzes import QuizStore
from trainer.storage.store import Store
from trainer.study.days import day_bounds, learning_day
from trainer.study.scheduling import Scheduler, format_interval, state_from_json

LEARNING_PHASES = (Phase.LEARNING, Phase.RELEARNING)
LEARN_AHEAD = timedelta(minutes=20)
TINY = timedelta(microseconds=1)
NEW_ORDER_SPREAD = 1.6  # how far (in difficulty levels) the shuffle may pull a card forward or back


@dataclass(frozen=True, slots=True)
class Counts:
    """What is left today: cards in learning due now, reviews due today, new cards allowed."""

    learning: int
    review: int
    new: int

    @property
    def total(self) -> int:
        return self.learning + self.review + self.new


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of one committed answer."""

    answer_id: int
    card: Card
    rating: Rating
    due: datetime


@dataclass(frozen=True, slots=True)
class DoneSummary:
    """What the "done for today" panel tells the learner."""

    answered_today: int
    next_due: datetime | None
    new_tomorrow: int


@dataclass(frozen=True, slots=True)
class Learning:
    """Cards in (re)learning, due within minutes or hours, and when the next of them is due."""

    count: int
    next_due: datetime | None


def suggested_rating(card: Card, option_id: str | None) -> Rating:
    """The rating the study screen proposes: Good for the best option, Hard for an acceptable one, else Again."""
    if card.kind != CardKind.CHOICE or option_id is None:
        return Rating.GOOD
    quality = card.option(option_id).quality
    if quality == 3:
        return Rating.GOOD
    return Rating.HARD if quality == 2 else Rating.AGAIN


def new_card_order(library: Library) -> list[Card]:
    """New cards in the order they are introduced: easier first on average, topics and kinds mixed.

    Each kind is put in a fixed shuffle (by a hash of the id) weighted by difficulty, so the order
    is the same on every start and does not depend on file order; recall cards are then spread
    evenly among the choice cards.
    """

    def weight(card: Card) -> float:
        jitter = (zlib.crc32(card.id.encode()) % 1000) / 1000
        return card.difficulty + NEW_ORDER_SPREAD * jitter

    cards = sorted(library.cards.values(), key=weight)
    recall = [card for card in cards if card.kind != CardKind.CHOICE]
    choice = [card for card in cards if card.kind == CardKind.CHOICE]
    if not recall or not choice:
        return cards
    every = max(len(choice) // len(recall), 1)
    order: list[Card] = []
    for index, card in enumerate(choice):
        order.append(card)
        if (index + 1) % every == 0 and recall:
            order.append(recall.pop(0))
    return order + recall


def counted_cards(store: Store, library: Library) -> dict[CardId, Card]:
    """The study cards in decks turned on: what study, counts, mastery and charts count (history is kept)."""
    disabled = DeckSwitches(store).disabled()
    if not disabled:
        return library.cards
    return {card_id: card for card_id, card in library.cards.items() if card.deck_id not in disabled}


class StudySession:
    """One study session: picks the next card, records answers, undoes them.

    Args:
        store: the open database.
        library: the loaded decks.
        clock: returns the current aware UTC instant.
        zone: the learner's time zone (None: the system's local time).
        fuzzing: FSRS interval fuzzing (off in tests for exact dates).
    """

    def __init__(
        self,
        store: Store,
        library: Library,
        *,
        clock: Clock = system_clock,
        zone: tzinfo | None = None,
        fuzzing: bool = True,
    ):
        self.store = store
        self.library = library
        self.card_table = CardTable(store, library)
        """The library's card index in SQL, for the browser and the grouped counts of home and statistics."""
        self.clock = clock
        self.zone = zone
        self.fuzzing = fuzzing
        self._new_order = new_card_order(library)
        self._started = store.started_card_ids()
        self._unstarted: list[Card] = []
        self._orphans: set[str] = set()
        self.deck_scope: str | None = None  # study one deck only (None: every deck turned on)
        self.active: dict[CardId, Card] = library.cards
        """The cards studied and counted: those of the decks turned on (and of the chosen deck, if one is)."""
        self.refresh()
        self._undo_stack: list[int] = []
        self._since_new = 0  # reviews answered since the last new card
        self._since_review = 0  # new cards answered since the last review
        self.answered = 0
        self.current: Card | None = None
        self.apply_settings(store.settings())

    def apply_settings(self, settings: Settings) -> None:
        self.settings = settings
        parameters = FitStore(self.store).active_parameters()  # the learner's fitted parameters, if adopted
        try:
            self.scheduler = Scheduler(settings.desired_retention, fuzzing=self.fuzzing, parameters=parameters)
        except ValueError:  # stored parameters fsrs no longer accepts: the defaults
            self.scheduler = Scheduler(settings.desired_retention, fuzzing=self.fuzzing)

    # The queue ------------------------------------------------------------

    def _bounds(self, now: datetime) -> tuple[datetime, datetime]:
        return day_bounds(now, self.zone, self.settings.day_start_hour)

    def refresh(self) -> None:
        """Re-read what other screens may have changed (quizzes and games that bring cards forward)."""
        priority = QuizStore(self.store).weakly_answered_card_ids() | GameStore(self.store).mistake_card_ids()
        counted = counted_cards(self.store, self.library)
        scope = self.deck_scope
        if scope is None:
            self.active = counted
        else:
            self.active = {card_id: card for card_id, card in counted.items() if card.deck_id == scope}
        # New cards a quiz found weak come first, then the usual order (sorted is stable).
        queue = sorted(self._new_order, key=lambda card: card.id not in priority) if priority else self._new_order
        self._unstarted = [card for card in queue if card.id not in self._started and card.id in self.active]
        # Cards studied once but since removed from the decks (or in a deck turned off): kept, never counted.
        self._orphans = {card_id for card_id in self._started if card_id not in self.active}

    def study_deck(self, deck_id: str | None) -> None:
        """Study one deck only from now on, or (None) every deck turned on."""
        self.deck_scope = deck_id
        self.refresh()

    def set_deck_enabled(self, deck_id: str, enabled: bool) -> None:
        """Turn a deck on or off: a deck turned off is neither studied nor counted; its history is kept."""
        DeckSwitches(self.store).set_enabled(deck_id, enabled)
        self.refresh()

    def disabled_decks(self) -> set[str]:
        return DeckSwitches(self.store).disabled()

    def use_library(self, library: Library) -> None:
        """Study from a reloaded library (a deck was imported); answers and the undo stack stay."""
        old, self.card_table = self.card_table, CardTable(self.store, library)
        old.close()
        self.library = library
        self._new_order = new_card_order(library)
        if self.deck_scope is not None and not any(d.id == self.deck_scope for d in library.decks):
            self.deck_scope = None
        self.refresh()

    def reload(self) -> None:
        """Start over from the database after its content was replaced (a restore): nothing is left to undo."""
        self._started = self.store.started_card_ids()
        self._undo_stack.clear()
        self.answered = 0
        self.current = None
        self.apply_settings(self.store.settings())
        self.refresh()

    def _new_cards(self, limit: int, held: set[str]) -> list[Card]:
        """The next `limit` cards never studied and not held (suspended or buried), in queue order."""
        picked: list[Card] = []
        for card in self._unstarted:
            if len(picked) >= limit:
                break
            if card.id not in held:
                picked.append(card)
        return picked

    def counts(self) -> Counts:
        """Cards left today, within the daily limits."""
        now = self.clock()
        start, end = self._bounds(now)
        learning = self._count_known(LEARNING_PHASES, now + TINY, now)
        reviews_done = self.store.count_answers(since=start, phase_before=Phase.REVIEW)
        review_budget = max(self.settings.max_reviews_per_day - reviews_done, 0)
        review = min(self._count_known((Phase.REVIEW,), end, now, cap=review_budget), review_budget)
        new_done = self.store.count_answers(since=start, phase_before=Phase.NEW)
        new_budget = max(self.settings.new_per_day - new_done, 0)
        new = len(self._new_cards(new_budget, self.store.held_card_ids(now)))
        return Counts(learning, review, new)

    def _count_known(self, phases: tuple[Phase, ...], before: datetime, now: datetime, cap: int = -1) -> int:
        """Due cards still in a loaded deck (a removed card keeps its schedule but is never shown)."""
        if not self._orphans:
            return self.store.count_due(phases, before, now=now, cap=cap)
        due = self.store.due_card_ids(phases, before, -1, now=now)  # -1: no limit
        return sum(card_id in self.active for card_id, _ in due)

    def next_card(self) -> Card | None:
        """Choose the card to show next (learning due now, then reviews and new cards interleaved)."""
        self.current = self._pick()
        return self.current

    def _pick(self) -> Card | None:
        now = self.clock()
        learning = self._known(self.store.due_card_ids(LEARNING_PHASES, now + TINY, 1, now=now))
        if learning:
            return learning
        counts = self.counts()
        review = None
        if counts.review:
            _, end = self._bounds(now)
            # Enough rows to find one card still in the decks, however many removed ones are due first.
            review = self._known(self.store.due_card_ids((Phase.REVIEW,), end, len(self._orphans) + 1, now=now))
        new = self._new_cards(1, self.store.held_card_ids(now))[0] if counts.new else None
        if review and new:
            # Interleave in proportion: a new card every review//new reviews, or the other way round.
            if counts.review >= counts.new:
                return new if self._since_new >= counts.review // counts.new else review
            return review if self._since_review >= counts.new // counts.review else new
        if review or new:
            return review or new
        return self._known(self.store.due_card_ids(LEARNING_PHASES, now + LEARN_AHEAD, 1, now=now))

    def _known(self, due: list[tuple[str, datetime]]) -> Card | None:
        """The first due card that is still in a loaded deck turned on (others keep their history, unshown)."""
        return next((self.active[CardId(cid)] for cid, _ in due if cid in self.active), None)

    def answered_today(self) -> int:
        """Answers since the learning day began: the one "done today" figure of home, study and the done panel."""
        start, _ = self._bounds(self.clock())
        return self.store.count_answers(since=start)

    def learning(self) -> Learning:
        """Cards in learning or relearning (due or not yet), and the earliest due of them."""
        now = self.clock()
        due = self.store.due_card_ids(LEARNING_PHASES, now + timedelta(days=3650), -1, now=now)
        known = [moment for card_id, moment in due if card_id in self.active]
        return Learning(len(known), known[0] if known else None)

    def from_quizzes(self) -> int:
        """Of the cards left today, how many are there because a quiz found them weak (brought forward)."""
        weak = QuizStore(self.store).weakly_answered_card_ids()
        if not weak:
            return 0
        now = self.clock()
        _, end = self._bounds(now)
        due = {card_id for card_id, _ in self.store.due_card_ids((*LEARNING_PHASES, Phase.REVIEW), end, -1, now=now)}
        new = {card.id for card in self._new_cards(self.counts().new, self.store.held_card_ids(now))}
        return len(weak & (due | new))

    # Answering ------------------------------------------------------------

    def intervals(self, card: Card) -> dict[Rating, str]:
        """Button labels: the interval each rating would give this card now."""
        schedule = self.store.schedule(card.id)
        gaps = self.scheduler.preview(card.id, schedule.state if schedule else None, self.clock())
        return {rating: format_interval(gap) for rating, gap in gaps.items()}

    def answer(self, card: Card, rating: Rating, *, option_id: str | None = None, duration_ms: int = 0) -> Outcome:
        """Schedule and durably record one answer; returns once it is committed."""
        now = self.clock()
        before = self.store.schedule(card.id)
        state = before.state if before else None
        after = self.scheduler.review(card.id, state, rating, now, duration_ms)
        quality = card.option(option_id).quality if option_id is not None else None
        answer = Answer(
            card_id=card.id,
            reviewed_at=now,
            rating=rating,
            duration_ms=max(int(duration_ms), 0),
            state_before=state.json if state else None,
            state_after=after.json,
            option_id=option_id,
            quality=quality,
            interval_days=state.interval_days if state else None,
        )
        phase_before = state.phase if state else Phase.NEW
        schedule = Schedule(card.id, after)
        day = learning_day(now, self.zone, self.settings.day_start_hour)
        answer_id = self.store.record_answer(answer, phase_before, day, schedule)
        self._undo_stack.append(answer_id)
        self._started.add(card.id)
        if phase_before == Phase.NEW and card in self._unstarted:
            self._unstarted.remove(card)
        if phase_before == Phase.NEW:
            self._since_new, self._since_review = 0, self._since_review + 1
        elif phase_before == Phase.REVIEW:
            self._since_new, self._since_review = self._since_new + 1, 0
        self.answered += 1
        return Outcome(answer_id, card, rating, after.due)

    def can_undo(self) -> bool:
        return bool(self._undo_stack)

    def undo(self) -> Card | None:
        """Undo this session's last answer exactly; the card becomes current again."""
        if not self._undo_stack:
            return None
        answer_id = self._undo_stack[-1]
        previous = self.store.answer_by_id(answer_id)
        answer = self.store.undo_answer(answer_id, self._state_before(previous))
        self._undo_stack.pop()
        if answer.state_before is None:
            self._started.discard(answer.card_id)
            self.refresh()  # the card is new again, back in its place in the queue
        self.answered -= 1
        self.current = self.library.cards.get(answer.card_id)
        return self.current

    def _state_before(self, answer: Answer | None) -> CardState | None:
        """The state to put back on undo: the stored one, or, when the card was rescheduled since the answer
        (new parameters were adopted), its earlier answers replayed with the parameters now in use."""
        if answer is None:
            return None
        current = self.store.schedule(answer.card_id)
        if current is not None and current.state.json != answer.state_after:
            from trainer.study.personal import replayed_state  # the optimiser's module: loaded only when needed

            return replayed_state(self.store, answer, self.scheduler.parameters, self.settings.desired_retention)
        return state_from_json(answer.state_before) if answer.state_before else None

    def done_summary(self) -> DoneSummary:
        """For the "done for today" panel."""
        now = self.clock()
        _, tomorrow = self._bounds(now)
        new_tomorrow = len(self._new_cards(self.settings.new_per_day, self.store.held_card_ids(tomorrow)))
        return DoneSummary(self.answered_today(), self.store.next_due(now), new_tomorrow)

    # Card actions (the browser) --------------------------------------------

    def today(self) -> date:
        """The current learning day."""
        return learning_day(self.clock(), self.zone, self.settings.day_start_hour)

    def set_suspended(self, card_ids: list[str], suspended: bool) -> None:
        """Suspend cards (never shown until unsuspended) or unsuspend them."""
        self.store.set_suspended(card_ids, suspended)

    def bury(self, card_ids: list[str]) -> None:
        """Keep cards out of today's study; they come back when the next learning day starts."""
        _, tomorrow = self._bounds(self.clock())
        self.store.bury(card_ids, tomorrow)

    def reset(self, card_ids: list[str]) -> int:
        """Make cards new again, deleting their schedules and answers; returns how many answers were deleted."""
        gone = {answer.id for card_id in card_ids for answer in self.store.answers(CardId(card_id))}
        deleted = self.store.reset_cards(card_ids)
        self._undo_stack = [answer_id for answer_id in self._undo_stack if answer_id not in gone]
        self._started.difference_update(card_ids)
        self.refresh()
        return deleted


def collection_stats(
    store: Store, library: Library, clock: Clock = system_clock, zone: tzinfo | None = None
) -> dict[str, Any]:
    """Counts for `trainer stats`: cards, new and due now (in decks turned on), reviews in all and today."""
    now = clock()
    settings = store.settings()
    start, end = day_bounds(now, zone, settings.day_start_hour)
    started = store.started_card_ids()
    cards = counted_cards(store, library)
    due_ids = store.due_card_ids(LEARNING_PHASES, now + TINY, -1, now=now)
    due_ids += store.due_card_ids((Phase.REVIEW,), end, -1, now=now)
    return {
        "cards": len(cards),
        "new": sum(card_id not in started for card_id in cards),
        "due": sum(card_id in cards for card_id, _ in due_ids),
        "reviews": store.count_answers(),
        "reviews_today": store.count_answers(since=start),
        "skipped_decks": len(library.skipped_decks()),
    }
