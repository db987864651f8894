"""The held-out quiz bank, best-and-worst items, confidence from chance, every option's feedback and contrast
pairs: rules by hand, then real widgets on a real database file with a fixed clock, driven by the keyboard."""

from __future__ import annotations

import random
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from made_cards import made_card, made_library
from old_databases import database_at, fill
from PySide6.QtCore import Qt
from ui_helpers import digit, open_window, press

from trainer import paths
from trainer.collection import Collection
from trainer.model import ItemSource, QuizFormat, QuizMode, Rating
from trainer.quiz.scoring import ItemResult, build_report, confidence_levels, item_score, plan_quiz
from trainer.quiz.session import QuizSession
from trainer.storage.quizzes import QuizStore
from trainer.storage.store import Store
from trainer.ui.quiz import flow as quiz_flow
from trainer.ui.quiz.report import ReportView
from trainer.ui.quiz.setup import QuizChoice
from trainer.ui.study_view import StudyView

TOPICS = ("T1", "T2")


@pytest.fixture
def made(library):
    """Two topics: five held-out items and four study cards in each."""
    bank = [made_card(f"q{t[1]}-{n}", t, bank=True) for t in TOPICS for n in range(5)]
    study = [made_card(f"s{t[1]}-{n}", t) for t in TOPICS for n in range(4)]
    return made_library(library, study, bank)


# Rules, by hand -------------------------------------------------------------------------------------------------


def test_confidence_scale_starts_at_chance():
    assert confidence_levels(4) == (25, 40, 55, 70, 85, 100)
    assert confidence_levels(3) == (33, 47, 60, 73, 87, 100)
    assert confidence_levels(2) == (50, 60, 70, 80, 90, 100)


def test_best_and_worst_scoring_follows_rule_2(made):
    card = made.bank["q1-0"]  # a best (3), b acceptable (2), c weak (1), d harmful (0)
    cases = {
        ("a", "d"): 1.0,  # +1 +1
        ("a", "c"): 0.5,  # +1, worst pick not keyed worst
        ("b", "d"): 0.5,  # +1 for the worst only
        ("b", "c"): 0.0,
        ("d", "c"): 0.0,  # −1 (best pick is the keyed worst), clamped
        ("d", "a"): 0.0,  # −1 −1, clamped
        ("b", "a"): 0.0,  # −1 (worst pick is the keyed best), clamped
    }
    assert {pair: item_score(card, *pair) for pair in cases} == cases
    lowest_is_weak = made_card("x", "T1", qualities=(3, 2, 1))  # no harmful option: the lowest quality is keyed worst
    assert item_score(lowest_is_weak, "a", "c") == 1.0
    assert item_score(card, "b") == pytest.approx(2 / 3)  # single best: quality / 3


def test_report_scores_held_out_and_studied_items_apart(made):
    results = [
        ItemResult(made.bank["q1-0"], "a", 85, source=ItemSource.BANK),
        ItemResult(made.bank["q2-0"], "c", 40, source=ItemSource.BANK),
        ItemResult(made.cards["s1-0"], "b", 55, source=ItemSource.DECK),
    ]
    report = build_report(results)
    assert [(s.source, s.items, round(s.score, 4)) for s in report.sources] == [
        (ItemSource.BANK, 2, round((1 + 1 / 3) / 2, 4)),
        (ItemSource.DECK, 1, round(2 / 3, 4)),
    ]
    assert report.review_topics == ("T1", "T2")


def test_sampling_prefers_the_bank_and_says_where_it_falls_back(made):
    plan = plan_quiz(list(made.bank.values()), list(made.cards.values()), TOPICS, 8, random.Random(1))
    assert [source for _, source in plan.items] == [ItemSource.BANK] * 8
    assert plan.fallback_topics == ()
    short = [c for c in made.bank.values() if c.topic == "T1"][:2] + [c for c in made.bank.values() if c.topic == "T2"]
    plan = plan_quiz(short, list(made.cards.values()), TOPICS, 8, random.Random(1))
    by_topic = {t: [s for c, s in plan.items if c.topic == t] for t in TOPICS}
    assert sorted(by_topic["T1"]) == [
        ItemSource.BANK,
        ItemSource.BANK,
        ItemSource.DECK,
        ItemSource.DECK,
    ]  # still 4 a topic: study cards fill the gap
    assert by_topic["T2"] == [ItemSource.BANK] * 4
    assert plan.fallback_topics == ("T1",)
    assert len({c.id for c, _ in plan.items}) == 8
    mixed = plan_quiz(
        list(made.bank.values()), list(made.cards.values()), TOPICS, 18, random.Random(1), include_studied=True
    )
    assert sorted(s for _, s in mixed.items) == [ItemSource.BANK] * 10 + [ItemSource.DECK] * 8
    assert mixed.fallback_topics == ()


# Upgrade --------------------------------------------------------------------------------------------------------


def test_upgrade_from_before_the_bank_keeps_items_as_study_cards_in_single_best(tmp_path: Path, library, clock):
    path = tmp_path / paths.DATABASE_NAME
    old = database_at(path, "m005_quiz_bank_and_worst")
    fill(old, library, clock())
    old.close()
    with sqlite3.connect(path) as conn:
        before = conn.execute("select id, card_id, option_id, quality, confidence from quiz_items").fetchall()
    assert before
    with Store.open(tmp_path) as store:
        quizzes = QuizStore(store)
        [attempt] = quizzes.finished_attempts()
        assert (attempt.format, attempt.include_studied) == ("best", False)
        items = quizzes.items(attempt.id)
        assert [(i.id, i.card_id, i.option_id, i.quality, i.confidence) for i in items] == before
        assert {(i.source, i.worst_id, i.score) for i in items} == {("deck", None, None)}
        assert attempt.score == pytest.approx(sum(i.quality for i in items) / 3 / len(items))


# Through the real window ----------------------------------------------------------------------------------------


def start_quiz(qtbot, monkeypatch, store, made, clock, choice: QuizChoice):
    seen = []

    def setup(*args):
        seen.append(args)
        return choice

    monkeypatch.setattr(quiz_flow.QuizFlow, "ask_setup", staticmethod(setup))
    window = open_window(qtbot, Collection(store, made, clock=clock, fuzzing=False), seed=5)
    press(qtbot, Qt.Key.Key_Q)
    assert window.pages.currentWidget() is window.quiz.view
    return window, seen


def test_a_quiz_by_default_draws_only_held_out_items(qtbot, monkeypatch, store, made, clock):
    window, _ = start_quiz(qtbot, monkeypatch, store, made, clock, QuizChoice(10, TOPICS, QuizMode.EXAM))
    view = window.quiz.view
    assert "held-out item" in view.status.text()
    assert view.note.isHidden()
    for _ in range(10):  # the bank holds 10: a quiz of 10 takes them all, no repeats
        best = next(i for i, o in enumerate(view.order) if view.card.option(o).is_best)
        press(qtbot, digit(best + 1))
        press(qtbot, digit(1))
    quizzes = QuizStore(store)
    [attempt] = quizzes.finished_attempts()
    items = quizzes.items(attempt.id)
    assert sorted(i.card_id for i in items) == sorted(made.bank)
    assert {i.source for i in items} == {ItemSource.BANK}
    report = window.pages.currentWidget()
    assert isinstance(report, ReportView)
    assert report.sources.text() == "Held-out items (never studied): 100% over 10"
    assert all(b.text().split(" · ")[0].endswith("held out") for b in report.item_buttons)
    assert "Held-out items are never studied" in report.review.text()
    assert list(store.schedules()) == []  # nothing brought forward: held-out items are never studied


def test_best_and_worst_item_by_keyboard_stores_both_picks_and_scores_by_rule(qtbot, monkeypatch, store, made, clock):
    choice = QuizChoice(10, TOPICS, QuizMode.PRACTICE, QuizFormat.BEST_WORST)
    window, _ = start_quiz(qtbot, monkeypatch, store, made, clock, choice)
    view = window.quiz.view
    card, order = view.card, list(view.order)
    at = {card.option(o).quality: i for i, o in enumerate(order)}
    press(qtbot, digit(at[2] + 1))  # best pick: the acceptable option
    assert not view.worst_hint.isHidden()
    assert view.confidence_box.isHidden()
    assert not view.tiles[at[2]].isEnabled()
    press(qtbot, digit(at[2] + 1))  # the best pick cannot also be the worst
    assert view.confidence_box.isHidden()
    press(qtbot, digit(at[0] + 1))  # worst pick: the harmful option
    assert not view.confidence_box.isHidden()
    assert view.confidence_buttons[0].text().startswith("25%")
    press(qtbot, digit(1))
    [item] = [i for i in QuizStore(store).items(view.quiz.attempt_id) if i.option_id]
    assert (item.option_id, item.worst_id) == (order[at[2]], order[at[0]])
    assert item.confidence == 25  # key 1 on four options: chance
    assert item.score == 0.5  # 0 for the best pick, +1 for the worst, halved
    assert QuizStore(store).attempt(view.quiz.attempt_id).format == QuizFormat.BEST_WORST
    # Practice feedback: every option's tier, both picks marked.
    assert view.tiles[at[2]].verdict.text() == "~ Acceptable · Your best pick"
    assert view.tiles[at[0]].verdict.text() == "⚠ Harmful · Your worst pick"
    assert view.tiles[at[3]].verdict.text() == "✓ Best"
    assert view.tiles[at[1]].state() == "weak"
    assert "Your worst pick is the worst response" in view.explanation.verdict.text()


def test_set_up_starts_from_the_last_attempts_choices(qtbot, monkeypatch, store, made, clock):
    from trainer.ui.quiz.setup import QuizSetupDialog

    QuizSession.start(
        store,
        made,
        mode=QuizMode.EXAM,
        topics=TOPICS,
        length=4,
        quiz_format=QuizFormat.BEST_WORST,
        include_studied=True,
        clock=clock,
    ).discard()
    dialog = QuizSetupDialog(made.taxonomy, None, QuizStore(store).last_attempt())
    qtbot.addWidget(dialog)
    assert dialog.worst.isChecked()
    assert dialog.include_studied.isChecked()
    fresh = QuizSetupDialog(made.taxonomy)
    qtbot.addWidget(fresh)
    assert not fresh.worst.isChecked()
    assert not fresh.include_studied.isChecked()
    assert fresh.choice().include_studied is False


# Study feedback ---------------------------------------------------------------------------------------------------


@pytest.fixture
def paired(library):
    first = made_card(
        "p-1",
        "T1",
        situation="He has never missed a delivery in six years.",
        contrast="p-2",
        contrast_fact="never missed a delivery",
        finding_evidence="A",
    )
    second = made_card(
        "p-2",
        "T1",
        situation="He has missed <b>three</b> deliveries this year & blames you.",
        contrast="p-1",
        contrast_fact="missed <b>three</b> deliveries",
    )
    return made_library(library, [first, second], [])


def test_every_option_shows_its_tier_and_feedback_and_the_pair_side_by_side(qtbot, store, paired, clock):
    view = StudyView(Collection(store, paired, clock=clock, fuzzing=False), rng=random.Random(3))
    session = view.session
    qtbot.addWidget(view)
    view.resize(1366, 768)
    with qtbot.waitActive(view):
        view.show()
        view.activateWindow()
    view.start()
    first = view.card
    at = {first.option(o).quality: i for i, o in enumerate(view.order)}
    press_on(qtbot, view, digit(at[1] + 1))
    words = {view.tiles[i].verdict.text() for i in range(4)}
    assert words == {"✓ Best", "~ Acceptable", "✗ Weak · Your choice", "⚠ Harmful"}
    for i, option_id in enumerate(view.order):
        assert view.tiles[i].feedback.text() == first.option(option_id).feedback
    assert len({view.tiles[i].state() for i in range(4)}) == 4  # a distinct colour per tier
    assert view.explanation.evidence.text() == (
        "The norm: A · This move: C" if first.id == "p-1" else "C · practitioner advice"
    )
    partner = paired.cards["p-2" if first.id == "p-1" else "p-1"]
    assert not view.contrast.isHidden()
    assert view.contrast.compare_button.text().startswith("Compare the case where: " + partner.contrast_fact.split()[0])
    assert view.contrast.side_by_side.isHidden()  # the partner has not been answered yet
    dialog = view.contrast.open_partner()
    qtbot.addWidget(dialog)
    assert dialog.explanation.why.text() == partner.explanation
    assert "✓ Best" in [t.verdict.text() for t in dialog.tiles]
    dialog.close()
    press_on(qtbot, view, Qt.Key.Key_Space)
    assert session.store.answers(first.id)[0].rating == Rating.AGAIN

    second = view.card
    assert second.id == partner.id
    press_on(qtbot, view, digit(view.order.index(second.best_option.id) + 1))
    assert not view.contrast.side_by_side.isHidden()
    shown = {label.text() for label in view.contrast.situations}
    # Card text stays plain: escaped, with only the changed fact wrapped in a highlighted span.
    escaped = (
        f'He has <span style="background-color:{mark(view)}; font-weight:600">'
        "missed &lt;b&gt;three&lt;/b&gt; deliveries</span> this year &amp; blames you."
    )
    assert escaped in shown
    assert any("never missed a delivery</span>" in t for t in shown)


def mark(view) -> str:
    from trainer.ui.theme import status_colours

    return status_colours(view.palette()).mark


def press_on(qtbot, view, key) -> None:
    qtbot.keyClick(view.focusWidget() or view, key)


def test_browser_links_a_card_to_its_contrast_partner(qtbot, store, paired, clock):
    from trainer.ui.browser.view import BrowserView

    browser = BrowserView(Collection(store, paired, clock=clock, fuzzing=False))
    qtbot.addWidget(browser)
    browser.refresh()
    browser.search.setText("six years")  # the filter hides the partner; following the link clears it
    assert browser.select_card("p-1")
    assert browser.contrast_button.text() == "Contrast pair: p-2"
    assert not browser.contrast_button.isHidden()
    assert "Evidence: The norm: A · This move: C" in browser.detail_meta.text()
    browser.contrast_button.click()
    assert [row.card.id for row in browser.selected_rows()] == ["p-2"]
    assert browser.search.text() == ""
    assert browser.contrast_button.text() == "Contrast pair: p-1"


def test_audit_command_prints_cue_statistics_and_json(capsys):
    import json

    from trainer.cli import main

    assert main(["audit"]) == 0
    text = capsys.readouterr().out
    assert "key is the longest option" in text
    assert "Held-out quiz items:" in text
    assert main(["audit", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert set(figures["cues"]) == {"longest", "conditional", "courteous", "number"}
    assert figures["held_out_items"] >= 0


def test_audit_counts_a_cue_only_when_the_key_alone_has_it(library):
    from trainer.library.audit import key_has_cue

    card = made_card("c", "T1", situation="They offered €46.50 for 5,000 units.")
    options = list(card.options)
    options[0] = replace(
        options[0], text="Thanks. If you can do 60 days, we can do €46.50 on 5000 units, signed today."
    )
    cued = card.replace(options=tuple(options))
    assert [key_has_cue(cued, cue) for cue in ("longest", "conditional", "courteous", "number")] == [True] * 4
    options[1] = replace(options[1], text="If that is final, thank you, we will walk.")
    shared = cued.replace(options=tuple(options))
    assert [key_has_cue(shared, cue) for cue in ("conditional", "courteous")] == [False, True]
