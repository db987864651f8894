"""Answers and quizzes recorded against the deck before its rewrite still belong to their cards (issue 11)."""

from __future__ import annotations

import json
from datetime import UTC

from trainer.library.search import TextScan
from trainer.model import Answer, CardId, Phase, Rating, Schedule
from trainer.quiz.session import QuizSession, attempt_report, item_statistics
from trainer.storage.quizzes import QuizStore
from trainer.study import figures
from trainer.study.browsing import CardListing
from trainer.study.scheduling import Scheduler
from trainer.study.session import StudySession


def retired_option_card(library):
    """A choice card whose option 'a' was retired by the rewrite (its options now have other ids)."""
    return next(c for c in library.cards.values() if c.kind == "choice" and "a" not in {o.id for o in c.options})


def test_old_answers_and_quizzes_with_retired_options_are_kept_and_usable(store, library, clock):
    card = retired_option_card(library)
    state = Scheduler(fuzzing=False).review(card.id, None, Rating.AGAIN, clock())
    store.record_answer(
        Answer(CardId(card.id), clock(), Rating.AGAIN, 4000, None, state.json, option_id="a", quality=1),
        Phase.NEW,
        clock().date(),
        Schedule(CardId(card.id), state),
    )
    quizzes = QuizStore(store)
    finished = quizzes.create_attempt("exam", [card.topic], [(card.id, ("a", "b", "c", "d"))], clock())
    item = quizzes.items(finished)[0]
    quizzes.answer_item(item.id, "b", 1, 80, 5000, clock())
    quizzes.finish(finished, clock())
    quizzes.create_attempt("exam", [card.topic], [(card.id, ("a", "b", "c", "d"))], clock())  # left open
    clock.advance(days=2)

    session = StudySession(store, library, clock=clock, zone=UTC, fuzzing=False)
    assert [a.option_id for a in store.answers(CardId(card.id))] == ["a"]  # the history stays with its card
    [row] = CardListing(session.card_table, library, TextScan(library)).rows([card.id], clock())
    assert row.tally is not None
    assert row.tally.reviews == 1
    figures.dashboard(session)
    figures.statistics(session)
    assert session.next_card() is not None
    assert attempt_report(store, library, finished) is None  # its only item no longer fits the card: skipped
    assert QuizSession(store, library, quizzes.open_attempt().id, clock=clock).current() is None
    (stats,) = item_statistics(store, library)
    assert stats["card_id"] == card.id
    assert stats["asked"] == 1
    assert json.dumps(stats)  # plain values for --json
