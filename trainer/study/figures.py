"""The figures behind the home and statistics screens, computed from a study session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from trainer.model import Library, QuizAttempt, Settings
from trainer.storage.card_table import CardTable
from trainer.storage.decks import DeckSwitches
from trainer.storage.quizzes import QuizStore
from trainer.storage.store import Store
from trainer.study import progress
from trainer.study.days import day_start, learning_day
from trainer.study.scheduling import RECALL_AT_STABILITY, Scheduler
from trainer.study.session import Counts, StudySession, counted_cards


@dataclass(frozen=True, slots=True)
class Dashboard:
    """The home screen's figures; `mastery` is keyed by topic code in the taxonomy's order."""

    counts: Counts
    done_today: int
    streak: int
    mastery: dict[str, progress.Mastery]
    last_quiz: QuizAttempt | None


@dataclass(frozen=True, slots=True)
class Statistics:
    """The statistics screen's series (see trainer.progress for each one's arithmetic)."""

    today: date
    activity: list[tuple[date, int]]
    forecast: list[int]
    months: list[date]
    monthly_retention: list[progress.Retention]
    recent_retention: progress.Retention
    desired_retention: float
    mastery: dict[str, progress.Mastery]
    answer_time: list[tuple[date, float | None]]
    quizzes: list[QuizAttempt]


def topic_mastery(session: StudySession) -> dict[str, progress.Mastery]:
    """Per topic, the mastered cards (see `progress.is_mastered`), and those never studied."""
    return _topic_mastery(session.store, session.card_table, session.library, session.scheduler, session.clock())


def _topic_mastery(
    store: Store, table: CardTable, library: Library, scheduler: Scheduler, now: datetime
) -> dict[str, progress.Mastery]:
    left_out = DeckSwitches(store).disabled()
    if progress.MASTERED_RECALL == RECALL_AT_STABILITY:
        # FSRS's forgetting curve passes through 90% recall after exactly `stability` days, whatever the
        # parameters: recall now >= 90% is "no more days since the last review than the stability", which is
        # counted per topic in SQL (no timestamps parsed, no curve evaluated, no card visited in Python).
        counts = table.durable_by_topic(now, progress.MASTERED_STABILITY_DAYS, left_out)
        found = {topic: progress.Mastery(*counted) for topic, counted in counts.items()}
    else:
        rows = store.memory_rows()
        recall = scheduler.recall_probabilities(rows, now)
        memory = {card_id: (recall[card_id], stability) for card_id, stability, _ in rows}
        cards = counted_cards(store, library).values()
        found = progress.topic_mastery((card.topic, memory.get(card.id)) for card in cards)
    return {topic: found[topic] for topic in library.taxonomy.topics if topic in found}


def dashboard(session: StudySession) -> Dashboard:
    """Today's numbers, the streak, mastery by topic and the last finished quiz."""
    quizzes = QuizStore(session.store).finished_attempts()
    streak = progress.streak(session.store.study_days(), session.today())
    last_quiz = quizzes[-1] if quizzes else None
    return Dashboard(session.counts(), session.answered_today(), streak, topic_mastery(session), last_quiz)


def statistics(session: StudySession) -> Statistics:
    """Everything the statistics screen draws, over the last 90 days, next 30 days and last 12 months."""
    return statistics_from(
        session.store, session.library, session.scheduler, session.settings, session.zone, session.clock()
    )


def statistics_from(
    store: Store, library: Library, scheduler: Scheduler, settings: Settings, zone: tzinfo | None, now: datetime
) -> Statistics:
    """The statistics from explicit parts (safe on a worker thread with a store of its own).

    Each chart is one grouped query over the answers' `day` and `interval_days` columns or the schedules' due
    index: nothing per answer is read into Python, so the cost grows with days and cards, not with answers.
    """
    hour = settings.day_start_hour
    today = learning_day(now, zone, hour)
    table = CardTable(store, library)  # this connection's own (the statistics run on a worker thread)
    try:
        mastery = _topic_mastery(store, table, library, scheduler, now)
    finally:
        table.close()
    activity = progress.reviews_per_day(store.answers_per_day(today - timedelta(days=progress.ACTIVITY_DAYS)), today)
    bounds = [day_start(today + timedelta(days=k), zone, hour) for k in range(1, progress.FORECAST_DAYS + 1)]
    started = store.started_card_ids()
    forecast = store.due_counts(bounds, now, sorted(started.difference(counted_cards(store, library))))
    months = progress.last_months(today)
    by_month = store.retention_by_month(months[0], progress.MATURE_DAYS)
    monthly = [progress.Retention(*by_month.get(f"{m:%Y-%m}", (0, 0))) for m in months]
    recent = progress.Retention(
        *store.retention_since(today - timedelta(days=progress.FORECAST_DAYS - 1), progress.MATURE_DAYS)
    )
    weeks = 12
    first = today - timedelta(days=7 * weeks - 1)
    medians = store.median_answer_ms_by_week(first, weeks)
    answer_time = [(first + timedelta(days=7 * i), medians[i] / 1000 if i in medians else None) for i in range(weeks)]
    return Statistics(
        today=today,
        activity=activity,
        forecast=forecast,
        months=months,
        monthly_retention=monthly,
        recent_retention=recent,
        desired_retention=settings.desired_retention,
        mastery=mastery,
        answer_time=answer_time,
        quizzes=QuizStore(store).finished_attempts(),
    )
