"""Spaced-repetition scheduling with FSRS-6: the scheduler the study session uses."""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

import fsrs

from trainer.model import CardState, Phase, Rating

DEFAULT_RETENTION = 0.90

RECALL_AT_STABILITY = 0.9  # FSRS-6's curve: predicted recall after `stability` days, for any parameters


def _to_state(card: fsrs.Card) -> CardState:
    return CardState(
        json=card.to_json(),
        phase=Phase(int(card.state)),
        due=card.due,
        stability=card.stability,
        difficulty=card.difficulty,
        last_review=card.last_review,
    )


def state_from_json(text: str) -> CardState:
    """Rebuild a state from its stored JSON."""
    return _to_state(fsrs.Card.from_json(text))


class Scheduler:
    """Wraps an FSRS scheduler; pure: every method takes the time and returns new values."""

    def __init__(
        self,
        desired_retention: float = DEFAULT_RETENTION,
        *,
        fuzzing: bool = True,
        parameters: Sequence[float] | None = None,
    ):
        """`parameters`: the learner's fitted FSRS parameters (None: the defaults); ValueError if out of bounds."""
        chosen = fsrs.scheduler.DEFAULT_PARAMETERS if parameters is None else tuple(parameters)
        self._fsrs = fsrs.Scheduler(parameters=chosen, desired_retention=desired_retention, enable_fuzzing=fuzzing)

    @property
    def parameters(self) -> tuple[float, ...]:
        """The FSRS parameters in use."""
        return tuple(self._fsrs.parameters)

    def _card(self, card_key: str, state: CardState | None, now: datetime) -> fsrs.Card:
        if state is not None:
            return fsrs.Card.from_json(state.json)
        # An explicit id avoids fsrs's time-based id (it sleeps 1 ms to make one).
        return fsrs.Card(card_id=zlib.crc32(card_key.encode()), due=now)

    def review(
        self, card_key: str, state: CardState | None, rating: Rating, now: datetime, duration_ms: int = 0
    ) -> CardState:
        """The state after answering `rating` at `now` (a new card when `state` is None)."""
        _require_utc(now)
        card = self._card(card_key, state, now)
        if card.last_review is not None and now < card.last_review:
            # The clock went backwards: review as if no time had passed, never with a negative gap.
            now = card.last_review
        updated, _ = self._fsrs.review_card(card, fsrs.Rating(int(rating)), now, duration_ms)
        return _to_state(updated)

    def preview(self, card_key: str, state: CardState | None, now: datetime) -> dict[Rating, timedelta]:
        """The interval each rating would give, for labelling the answer buttons."""
        previews: dict[Rating, timedelta] = {}
        for rating in Rating:
            after = self.review(card_key, state, rating, now)
            reviewed_at = max(now, state.last_review) if state and state.last_review else now
            previews[rating] = after.due - reviewed_at
        return previews

    def recall_probabilities(self, memory: Iterable[tuple[str, float, datetime]], now: datetime) -> dict[str, float]:
        """Predicted recall now for many cards at once, from (card id, stability, last review).

        The same FSRS-6 forgetting curve as fsrs's get_card_retrievability (a test pins them equal),
        evaluated on plain columns so that a dashboard never parses one JSON document per card.
        """
        decay = -self._fsrs.parameters[20]
        factor = RECALL_AT_STABILITY ** (1 / decay) - 1
        return {
            card_id: (1 + factor * max(0, (now - last_review).days) / stability) ** decay
            for card_id, stability, last_review in memory
        }

    def retrievability(self, state: CardState, now: datetime) -> float:
        """Predicted probability of recalling the card at `now` (0 to 1)."""
        return self._fsrs.get_card_retrievability(fsrs.Card.from_json(state.json), now)


def _require_utc(moment: datetime) -> None:
    if moment.tzinfo is None or moment.utcoffset() != timedelta(0):
        raise ValueError(f"scheduling needs an aware UTC datetime, got {moment!r}")


def format_interval(gap: timedelta) -> str:
    """A short label for an interval, as on Anki's buttons: '1m', '10m', '3h', '4d', '2.5mo', '1.2y'."""
    seconds = max(gap.total_seconds(), 0)
    minutes = seconds / 60
    if minutes < 60:
        return f"{max(round(minutes), 1)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{days / 30:.1f}".rstrip("0").rstrip(".") + "mo"
    return f"{days / 365:.1f}".rstrip("0").rstrip(".") + "y"
