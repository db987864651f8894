"""Quiz scoring and sampling against hand-computed examples; the quiz-feeds-study rule."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from trainer.model import CardKind, Phase, QuizMode, Rating
from trainer.quiz.scoring import ItemResult, band, brier_score, build_report, plan_items, point_biserial, score_interval
from trainer.quiz.session import QuizSession
from trainer.storage.quizzes import QuizStore
from trainer.study.session import StudySession


def option_with(card, quality):
    return next(o.id for o in card.options if o.quality == quality)


def spanning(cards, qualities=(0, 1, 3)):
    """Choice cards with an option at each of these qualities (the rewrite left some without a 0)."""
    return [c for c in cards if c.kind == CardKind.CHOICE and set(qualities) <= {o.quality for o in c.options}]


def test_partial_credit_is_quality_over_three(library):
    card = spanning(library.cards.values(), (0, 1, 2, 3))[0]
    scores = {o.quality: ItemResult(card, o.id, 80).score for o in card.options}
    assert scores[3] == 1.0
    assert scores[0] == 0.0
    assert all(scores[q] == pytest.approx(q / 3) for q in scores)


def test_score_interval_hand_computed():
    # scores 1, 1, 0, 0.5: mean 0.625, sample SD 0.4787, SE 0.2394, margin 1.96 x SE = 0.4692
    mean, low, high = score_interval([1, 1, 0, 0.5])
    assert mean == pytest.approx(0.625)
    assert low == pytest.approx(0.625 - 0.46917, abs=1e-4)
    assert high == 1.0  # 1.094 clamped


def test_brier_score_hand_computed(library):
    card = spanning(library.cards.values())[0]
    best, worst = card.best_option.id, option_with(card, 0)
    results = [ItemResult(card, best, 100), ItemResult(card, best, 60), ItemResult(card, worst, 80)]
    # (1-1)^2 + (0.6-1)^2 + (0.8-0)^2 = 0 + 0.16 + 0.64 = 0.80; / 3
    assert brier_score(results) == pytest.approx(0.8 / 3)


def test_report_figures_hand_computed(library):
    cards = spanning(c for c in [*library.cards.values(), *library.bank.values()] if c.kind == CardKind.CHOICE)
    by_topic = {topic: [c for c in cards if c.topic == topic] for topic in library.taxonomy.topics}
    first, second = [topic for topic, found in by_topic.items() if len(found) >= 3][:2]
    t2, t7 = by_topic[first][:3], by_topic[second][:2]
    answers = [(t2[0], 3, 90), (t2[1], 0, 80), (t2[2], 3, 70), (t7[0], 1, 100), (t7[1], 3, 50)]
    results = [ItemResult(card, option_with(card, q), conf) for card, q, conf in answers]
    report = build_report(results)
    assert report.score == pytest.approx((3 + 0 + 3 + 1 + 3) / 15)
    assert report.band == "proficient"  # 0.667
    assert [(t.topic, t.items, round(t.score, 3), t.indicative) for t in report.topics] == [
        (first, 3, round(6 / 9, 3), False),
        (second, 2, round(4 / 6, 3), True),
    ]
    assert report.accuracy == pytest.approx(3 / 5)
    assert report.mean_confidence == pytest.approx(0.78)
    assert report.brier == pytest.approx((0.01 + 0.64 + 0.09 + 1.0 + 0.25) / 5)
    assert [r.card.id for r in report.confident_errors] == [t2[1].id, t7[0].id]
    mistakes = Counter({results[1].mistake: 1}) + Counter({results[3].mistake: 1})
    assert dict(report.mistakes) == dict(mistakes)
    assert [(b.confidence, b.items, b.accuracy) for b in report.calibration] == [
        (50, 1, 1.0),
        (70, 1, 1.0),
        (80, 1, 0.0),
        (90, 1, 1.0),
        (100, 1, 0.0),
    ]


def test_bands():
    assert [band(s) for s in (0.2, 0.6, 0.79, 0.8, 1.0)] == [
        "developing",
        "proficient",
        "proficient",
        "strong",
        "strong",
    ]


@pytest.mark.parametrize("seed", range(5))
def test_stratified_sampling_balances_topics_without_repeats(library, seed):
    topics = [f"T{i}" for i in range(1, 11)]
    chosen = plan_items(list(library.cards.values()), topics, 20, random.Random(seed))
    assert len(chosen) == 20
    assert len({c.id for c in chosen}) == 20
    assert all(c.kind == CardKind.CHOICE for c in chosen)
    assert set(Counter(c.topic for c in chosen).values()) == {2}


def test_sampling_with_uneven_split_and_a_small_pool(library):
    chosen = plan_items(list(library.cards.values()), ["T1", "T2", "T3"], 10, random.Random(1))
    per_topic = Counter(c.topic for c in chosen)
    assert sorted(per_topic.values()) == [3, 3, 4]
    everything = plan_items(list(library.cards.values()), ["T1"], 40, random.Random(1))
    assert len(everything) == sum(c.topic == "T1" and c.kind == CardKind.CHOICE for c in library.cards.values())


def test_point_biserial_textbook_example():
    # Five examinees: item right for the three highest totals.
    # M_p = 25/3, M_q = 4.5, S_t = sqrt(4.56) = 2.1354, p = .6:
    # r_pb = (8.3333 - 4.5) / 2.1354 * sqrt(.24) = 0.8794
    value = point_biserial([True, True, True, False, False], [10, 8, 7, 5, 4])
    assert value == pytest.approx(0.8794, abs=1e-4)
    assert point_biserial([True, False, True, False, True], [4, 10, 5, 8, 7]) < 0
    assert point_biserial([True, True], [3, 4]) is None


def answer_all(quiz: QuizSession, quality_for) -> None:
    while (current := quiz.current()) is not None:
        _, card = current
        quiz.answer(option_with(card, quality_for(card)), 80, 5000)


def test_attempt_is_stored_resumable_and_feeds_study(store, library, clock):
    study = StudySession(store, library, clock=clock, fuzzing=False)
    studied = study.next_card()
    study.answer(studied, Rating.EASY)  # due in days
    due_before = store.schedule(studied.id).state.due

    quiz = QuizSession.start(
        store,
        library,
        mode=QuizMode.EXAM,
        topics=[studied.topic],
        length=40,
        clock=clock,
        rng=random.Random(3),
        include_studied=True,
    )
    planned = [i.card_id for i in quiz.items]
    assert studied.id in planned
    first_item, _ = quiz.current()
    quiz.answer(first_item.option_order[0], 70, 4000)

    resumed = QuizSession(store, library, QuizStore(store).open_attempt().id, clock=clock)
    assert resumed.position() == 1
    assert [i.card_id for i in resumed.items] == planned
    weak = {studied.id, *planned[1:3]}
    answer_all(resumed, lambda card: 1 if card.id in weak else 3)
    report = resumed.finish()
    assert QuizStore(store).open_attempt() is None
    assert report.items == len(planned)

    assert store.schedule(studied.id).state.due == clock()  # brought forward, state unchanged
    assert store.schedule(studied.id).state.due < due_before
    assert store.schedule(studied.id).state.phase == Phase.REVIEW
    fresh = StudySession(store, library, clock=clock, fuzzing=False)
    weak = [i for i in resumed.items if i.quality is not None and i.quality < 3]
    weak_new = {i.card_id for i in weak if i.source == "deck"} - {studied.id}
    assert len(weak_new) >= 2
    # Held-out bank items answered below best are never studied, so nothing of theirs is brought forward.
    assert all(i.card_id not in library.cards and store.schedule(i.card_id) is None for i in weak if i.source == "bank")
    first_new = []
    while len(first_new) < len(weak_new):
        card = fresh.next_card()
        if store.schedule(card.id) is None:
            first_new.append(card.id)
        fresh.answer(card, Rating.EASY)
    assert set(first_new) == weak_new


def test_discarded_attempt_never_counts(store, library, clock):
    quiz = QuizSession.start(store, library, mode=QuizMode.EXAM, topics=["T1"], length=10, clock=clock)
    quiz.answer(quiz.current()[0].option_order[0], 90, 1000)
    quiz.discard()
    assert QuizStore(store).open_attempt() is None
    assert QuizStore(store).finished_attempts() == []


def test_item_stats_flags_negative_discrimination_and_stats_json(store, library, clock, capsys, data_dir):
    import json

    from trainer.cli import main

    key_card = None
    for attempt in range(12):
        quiz = QuizSession.start(
            store, library, mode=QuizMode.EXAM, topics=["T1"], length=8, clock=clock, rng=random.Random(attempt)
        )
        key_card = key_card or quiz.items[0].card_id
        for position, item in enumerate(quiz.items):
            card = library.bank.get(item.card_id) or library.cards[item.card_id]
            # The weaker learners get the key card right (a suspect key); stronger ones get more of the rest.
            right = attempt < 6 if item.card_id == key_card else position < attempt * 8 // 12
            weakest = min(card.options, key=lambda o: o.quality).id
            quiz.answer(card.best_option.id if right else weakest, 70, 3000)
        quiz.finish()
        clock.advance(hours=1)

    assert main(["--data-dir", str(data_dir), "item-stats", "--json"]) == 0
    rows = {row["card_id"]: row for row in json.loads(capsys.readouterr().out)}
    flagged = rows[key_card]
    assert flagged["asked"] == 12
    key = library.bank.get(key_card) or library.cards[key_card]
    weakest_score = min(o.quality for o in key.options) / 3
    assert flagged["mean_score"] == pytest.approx((6 + 6 * weakest_score) / 12, abs=1e-4)
    assert flagged["discrimination"] < 0
    assert flagged["negative_discrimination"] is True
    assert sum(flagged["options"].values()) == 12
    assert main(["--data-dir", str(data_dir), "item-stats"]) == 0
    out = capsys.readouterr().out
    assert "negative: check the key" in out
    assert "needs 10" in out  # cards asked fewer times say why their discrimination is blank
    assert "best " in out
    assert "harmful " in out

    assert main(["--data-dir", str(data_dir), "stats", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["quiz_attempts"] == 12
    assert 0 <= figures["last_quiz_score"] <= 1
