"""The figures behind the home, statistics and browser screens, computed from a study session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from trainer.model import Card, CardTally, Phase, QuizAttempt, Rating
from trainer.storage.quizzes import QuizStore
from trainer.study import progress
from trainer.study.days import day_start, learning_day
from trainer.study.session import Counts, StudySession


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


@dataclass(frozen=True, slots=True)
class CardRow:
    """One card as the browser lists it; `due`, `stability` and `difficulty` are None for a new card."""

    card: Card
    phase: Phase
    due: datetime | None
    stability: float | None
    difficulty: float | None
    tally: CardTally | None
    suspended: bool
    buried: bool


def _day_of(session: StudySession) -> progress.DayOf:
    return lambda moment: learning_day(moment, session.zone, session.settings.day_start_hour)


def topic_mastery(session: StudySession) -> dict[str, progress.Mastery]:
    """Per topic, the cards whose predicted recall now is at least 90%, and those never studied."""
    recall = session.scheduler.recall_probabilities(session.store.memory_rows(), session.clock())
    found = progress.topic_mastery((card.topic, recall.get(card.id)) for card in session.library.cards.values())
    return {topic: found[topic] for topic in session.library.taxonomy.topics if topic in found}


def dashboard(session: StudySession) -> Dashboard:
    """Today's numbers, the streak, mastery by topic and the last finished quiz."""
    quizzes = QuizStore(session.store).finished_attempts()
    streak = progress.streak(session.store.study_days(), session.today())
    last_quiz = quizzes[-1] if quizzes else None
    return Dashboard(session.counts(), session.answered_today(), streak, topic_mastery(session), last_quiz)


def statistics(session: StudySession) -> Statistics:
    """Everything the statistics screen draws, over the last 90 days, next 30 days and last 12 months."""
    store, now, day_of = session.store, session.clock(), _day_of(session)
    today = day_of(now)
    activity = progress.reviews_per_day(store.answers_per_day(today - timedelta(days=progress.ACTIVITY_DAYS)), today)
    suspended, buried = store.suspended_card_ids(), store.buried_card_ids(now)
    due_days = [
        max(day_of(s.state.due), today + timedelta(days=1)) if s.card_id in buried else day_of(s.state.due)
        for s in store.schedules()
        if s.card_id not in suspended and s.card_id in session.library.cards
    ]
    months = progress.last_months(today)
    first = day_start(months[0], session.zone, session.settings.day_start_hour)
    reviews = [progress.Review(at, Rating(r), days, ms) for at, r, days, ms in store.review_facts_since(first)]
    recent = [r for r in reviews if (today - day_of(r.reviewed_at)).days < progress.FORECAST_DAYS]
    return Statistics(
        today=today,
        activity=activity,
        forecast=progress.due_forecast(due_days, today),
        months=months,
        monthly_retention=progress.monthly_retention(reviews, months, day_of),
        recent_retention=progress.true_retention(recent),
        desired_retention=session.settings.desired_retention,
        mastery=topic_mastery(session),
        answer_time=progress.weekly_answer_time(reviews, today, day_of),
        quizzes=QuizStore(store).finished_attempts(),
    )


def card_rows(session: StudySession) -> list[CardRow]:
    """Every loaded card with its schedule, memory state, answer tally and marks, in deck order."""
    store, now = session.store, session.clock()
    schedules = {s.card_id: s for s in store.schedules()}
    tallies, suspended, buried = store.card_tallies(), store.suspended_card_ids(), store.buried_card_ids(now)
    rows = []
    for deck in session.library.decks:
        for card in () if deck.bank else deck.cards:
            schedule = schedules.get(card.id)
            state = schedule.state if schedule else None
            rows.append(
                CardRow(
                    card=card,
                    phase=schedule.state.phase if schedule else Phase.NEW,
                    due=schedule.state.due if schedule else None,
                    stability=state.stability if state else None,
                    difficulty=state.difficulty if state else None,
                    tally=tallies.get(card.id),
                    suspended=card.id in suspended,
                    buried=card.id in buried,
                )
            )
    return rows
