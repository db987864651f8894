"""Answer history and quiz items as CSV, for a coach, a spreadsheet or the FSRS optimiser.

The answers file starts with the FSRS optimiser's columns (card_id, review_time in milliseconds since the
epoch UTC, review_rating 1–4, review_duration in milliseconds); readable columns follow. The caller maps
database rows (tables `answers`, `quiz_items`, `quiz_attempts`) to the row types below.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from trainer.model import Answer, QuizAttempt, QuizItem

ANSWER_COLUMNS = (
    *("card_id", "review_time", "review_rating", "review_duration"),
    *("review_time_utc", "option_id", "option_quality", "topic", "review_state"),
)
QUIZ_COLUMNS = (
    *("attempt_id", "finished_at_utc", "position", "card_id"),
    *("option_id", "option_quality", "confidence", "seconds"),
)
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class AnswerRow:
    """One row of the `answers` table, plus the card's topic; a naive `reviewed_at` is taken as UTC."""

    card_id: str
    reviewed_at: datetime
    rating: int
    duration_ms: int
    option_id: str | None = None
    quality: int | None = None
    topic: str = ""
    phase_before: int | None = None  # FSRS state before the answer: 0 new, 1 learning, 2 review, 3 relearning

    @classmethod
    def from_answer(cls, answer: Answer, *, topic: str = "", phase_before: int | None = None) -> AnswerRow:
        return cls(
            answer.card_id,
            answer.reviewed_at,
            int(answer.rating),
            answer.duration_ms,
            answer.option_id,
            answer.quality,
            topic,
            phase_before,
        )


@dataclass(frozen=True, slots=True)
class QuizItemRow:
    """One row of `quiz_items` with its attempt's finishing time (None while the attempt is open)."""

    attempt_id: int
    finished_at: datetime | None
    position: int
    card_id: str
    option_id: str | None = None
    quality: int | None = None
    confidence: int | None = None
    duration_ms: int | None = None

    @classmethod
    def from_item(cls, item: QuizItem, attempt: QuizAttempt) -> QuizItemRow:
        return cls(
            item.attempt_id,
            attempt.finished_at,
            item.position,
            item.card_id,
            item.option_id,
            item.quality,
            item.confidence,
            item.duration_ms,
        )


def answers_csv(rows: Iterable[AnswerRow]) -> str:
    """One line per answer, in the order given, under ANSWER_COLUMNS."""
    return _csv(
        ANSWER_COLUMNS,
        (
            (
                row.card_id,
                epoch_ms(row.reviewed_at),
                row.rating,
                row.duration_ms,
                utc_iso(row.reviewed_at),
                row.option_id,
                row.quality,
                row.topic,
                row.phase_before,
            )
            for row in rows
        ),
    )


def quiz_items_csv(rows: Iterable[QuizItemRow]) -> str:
    """One line per quiz item, in the order given, under QUIZ_COLUMNS; seconds to one decimal."""
    return _csv(
        QUIZ_COLUMNS,
        (
            (
                row.attempt_id,
                utc_iso(row.finished_at) if row.finished_at else None,
                row.position,
                row.card_id,
                row.option_id,
                row.quality,
                row.confidence,
                f"{row.duration_ms / 1000:.1f}" if row.duration_ms is not None else None,
            )
            for row in rows
        ),
    )


def epoch_ms(moment: datetime) -> int:
    """Milliseconds since 1970-01-01 UTC."""
    return (_utc(moment) - _EPOCH) // timedelta(milliseconds=1)


def utc_iso(moment: datetime) -> str:
    """ISO 8601 in UTC to the second, e.g. 2026-11-23T09:00:00+00:00."""
    return _utc(moment).isoformat(timespec="seconds")


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _csv(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return out.getvalue()
