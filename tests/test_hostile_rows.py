"""Nothing lost and no traceback when things go wrong twice: hostile rows, the command line, the PDF (issue 17)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from trainer.cli import main
from trainer.library.search import TextScan
from trainer.model import Phase, Rating
from trainer.storage.card_table import ORDER_KEYS
from trainer.storage.store import Store
from trainer.study import figures
from trainer.study.browsing import CardListing, CardQuery
from trainer.study.scheduling import state_from_json

FUZZ_SCALE = int(os.environ.get("TRAINER_FUZZ_SCALE", "1"))
HOSTILE = st.one_of(
    st.text(max_size=12), st.integers(-(2**40), 2**40), st.floats(allow_nan=True), st.none(), st.binary(max_size=8)
)
COLUMNS = {
    "answers": ("reviewed_at", "day", "rating", "quality", "duration_ms", "state_before", "state_after"),
    "schedules": ("phase", "due", "fsrs", "last_review", "stability"),
}


def studied(session, clock, count: int = 6) -> None:
    for _ in range(count):
        session.answer(session.next_card(), Rating.GOOD)
        clock.advance(minutes=2)


@settings(max_examples=40 * FUZZ_SCALE, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=st.sampled_from(sorted(COLUMNS)), data=st.data(), value=HOSTILE)
def test_hostile_values_that_pass_the_integrity_check_are_skipped_and_repaired(
    session, store: Store, clock, table: str, data, value
):
    if store.count_answers() == 0:
        studied(session, clock)
    column = data.draw(st.sampled_from(COLUMNS[table]))
    try:  # the tables are STRICT: a value of the wrong storage class cannot get in at all
        store.db.execute(f"update {table} set {column} = ? where rowid = (select min(rowid) from {table})", [value])
    except sqlite3.IntegrityError:
        assume(False)
    store.db.conn.commit()
    assert store.db.execute("pragma integrity_check").fetchone()[0] == "ok"
    figures.dashboard(session)  # none of these may raise on a bad row
    figures.statistics(session)
    listing = CardListing(session.card_table, session.library, TextScan(session.library))
    for order in ("", *ORDER_KEYS):  # every column sorts over the bad value
        listing.rows(listing.ids(CardQuery(order=order), clock(), limit=50), clock())
    session.refresh()
    session.next_card()
    found = store.unreadable_rows()
    if found:
        store.repair_rows(found, state_from_json)
    assert store.unreadable_rows() == {}
    orphans = "select count(*) from answers where card_id not in (select card_id from schedules)"
    assert store.db.execute(orphans).fetchone()[0] == 0 or table == "schedules"


def test_doctor_lists_then_repairs_after_a_backup(tmp_path: Path, library, clock, capsys):
    from datetime import UTC

    from trainer.storage import backup
    from trainer.study.session import StudySession

    folder = tmp_path / "data"
    with Store.open(folder) as store:
        studied(StudySession(store, library, clock=clock, zone=UTC, fuzzing=False), clock)
        store.db.execute("update answers set rating = 9 where id = 2")
        store.db.execute("update schedules set due = 'garbage' where rowid = 1")
        store.db.conn.commit()
    assert main(["--data-dir", str(folder), "doctor"]) == 1
    listed = capsys.readouterr().out
    assert "answers: 1 unreadable row(s), rowid 2" in listed
    assert "schedules: 1 unreadable" in listed
    assert main(["--data-dir", str(folder), "doctor", "--repair"]) == 0
    assert "deleted 2 unreadable row(s)" in capsys.readouterr().out
    assert len(backup.backups(folder)) == 1
    assert main(["--data-dir", str(folder), "doctor"]) == 0


def test_check_piped_into_head_ends_without_a_traceback(tmp_path: Path):
    bad = tmp_path / "bad.toml"
    bad.write_text("\n".join(f'[[cards]]\nid = "c{i}"\n' for i in range(400)), encoding="utf-8")
    script = f"{sys.executable} -m trainer check {bad} | head -1"
    done = subprocess.run(["sh", "-c", script], capture_output=True, text=True, timeout=120)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.stdout.count("\n") == 1


@pytest.mark.parametrize("make", ["empty folder", "folder named like a file"])
def test_check_without_deck_files_is_an_error(tmp_path: Path, capsys, make):
    target = tmp_path / ("decks" if make == "empty folder" else "x.toml")
    target.mkdir()
    assert main(["check", str(target)]) == 1
    assert "no deck files" in capsys.readouterr().err


def test_check_accepts_a_byte_order_mark_and_names_cross_file_duplicates(tmp_path: Path, capsys):
    from trainer import paths

    source = paths.content_dir() / "decks" / "t01-reciprocity-norm.toml"
    first, second = tmp_path / "one.toml", tmp_path / "two.toml"
    first.write_bytes(b"\xef\xbb\xbf" + source.read_bytes())
    second.write_text(source.read_text(encoding="utf-8").replace('id = "t01-', 'id = "t01b-', 1), encoding="utf-8")
    assert main(["check", str(first), str(second)]) == 1
    out = capsys.readouterr().out
    assert "Invalid statement" not in out
    assert all(":" in line.split(" card ")[0].rsplit("two.toml", 1)[1] for line in out.splitlines()), out


def test_a_file_name_with_a_newline_stays_on_one_problem_line(tmp_path: Path, capsys):
    odd = tmp_path / "odd\nname.toml"
    odd.write_text("not toml at all = = =", encoding="utf-8")
    assert main(["check", str(odd)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1
    assert "odd\\nname.toml" in lines[0]


def test_a_prompt_of_zero_width_spaces_is_empty(tmp_path: Path, capsys):
    from trainer import paths

    source = paths.content_dir() / "decks" / "t01-reciprocity-norm.toml"
    text = source.read_text(encoding="utf-8")
    start = text.index('prompt = "')
    end = text.index("\n", start)
    deck = tmp_path / "deck.toml"
    deck.write_text(text[:start] + 'prompt = "\u200b\u200b\u200b"' + text[end:], encoding="utf-8")
    assert main(["check", str(deck)]) == 1
    assert "prompt: is empty" in capsys.readouterr().out


def test_check_of_many_cards_is_linear(tmp_path: Path, capsys):
    deck = tmp_path / "many.toml"
    cards = "".join(f'[[cards]]\nid = "c-{i}"\nkind = "nope"\n' for i in range(6000))
    deck.write_text('[deck]\nid = "many"\ntitle = "Many"\n' + cards, encoding="utf-8")
    assert main(["check", str(deck)]) == 1  # quadratic line lookups took minutes here
    assert capsys.readouterr().out.count("\n") > 6000


def test_coverage_write_to_a_read_only_readme_says_so(tmp_path: Path, monkeypatch, capsys):
    import shutil

    from trainer import paths

    content = tmp_path / "content"
    shutil.copytree(paths.content_dir(), content)
    (content / "README.md").chmod(0o444)
    content.chmod(0o555)
    monkeypatch.setenv(paths.CONTENT_DIR_ENV, str(content))
    try:
        code = main(["coverage", "--write"])
    finally:
        content.chmod(0o755)
    if os.geteuid() == 0:
        pytest.skip("root can write a read-only file")
    assert code == 1
    assert "cannot update" in capsys.readouterr().err


def test_a_word_longer_than_a_line_wraps_instead_of_clipping(qtbot):
    from trainer.ui.widgets import text_label

    label = text_label("start " + "x" * 3000 + " end")
    qtbot.addWidget(label)
    label.setFixedWidth(400)
    label.show()
    assert label.sizeHint().width() <= 400
    assert label.heightForWidth(400) > 10 * label.fontMetrics().height()
    assert label.text().replace("\u200b", "") == "start " + "x" * 3000 + " end"


def test_saving_a_pdf_where_it_cannot_be_written_says_so(qtbot, library, monkeypatch, tmp_path: Path):
    from trainer.quiz.scoring import ItemResult, build_report
    from trainer.ui import messages
    from trainer.ui.quiz.report import ReportView

    cards = [c for c in library.cards.values() if c.kind == "choice"][:3]
    view = ReportView(build_report([ItemResult(c, c.best_option.id, 90) for c in cards]), library)
    qtbot.addWidget(view)
    shown = []
    monkeypatch.setattr(messages, "warn", lambda parent, title, text: shown.append((title, text)))
    target = tmp_path / "missing-folder" / "report.pdf"
    monkeypatch.setattr(ReportView, "ask_pdf_path", classmethod(lambda cls, parent: target))
    view.pdf_button.click()
    ((title, text),) = shown
    assert title == "The PDF was not saved"
    assert str(target) in text


def test_home_says_when_unreadable_rows_were_left_out(qtbot, collection, session, store, clock):
    from trainer.ui.main_window import MainWindow

    studied(session, clock)
    store.db.execute("update answers set rating = 9 where id = (select max(id) from answers)")
    store.db.conn.commit()
    window = MainWindow(collection)
    qtbot.addWidget(window)
    window.show_browser()  # the browser reads every card's tally, the bad answer among them
    assert "trainer doctor" in window.statusBar().currentMessage()


def test_a_schedule_that_cannot_be_read_is_listed_as_the_new_card_it_shows(session, store: Store, clock):
    """The browser shows such a card as new; its state filter and sort agree with what it shows."""
    studied(session, clock)
    card_id = store.db.execute("select card_id from schedules limit 1").fetchone()[0]
    store.db.execute("update schedules set due = 'not a time' where card_id = ?", [card_id])
    store.db.conn.commit()
    listing = CardListing(session.card_table, session.library, TextScan(session.library))
    [row] = listing.rows([card_id], clock())
    assert row.phase == Phase.NEW
    assert card_id in listing.ids(CardQuery(state="New"), clock())
    assert card_id not in listing.ids(CardQuery(state="Learning"), clock())
    assert card_id not in listing.ids(CardQuery(state="Review"), clock())
