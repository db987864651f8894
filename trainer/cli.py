"""The `trainer` command: start the app, or run a script-friendly subcommand."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from trainer import __version__, paths
from trainer.library.coverage import coverage_markdown, replace_section
from trainer.library.loading import bundled_deck_files, deck_files, load_library

SCENARIOS = "scenarios"
T = TypeVar("T")

if TYPE_CHECKING:
    from trainer.model import Library
    from trainer.storage.store import Store


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trainer",
        description="Reciprocity Trainer: situation cards and a self-assessment quiz. "
        "Without a COMMAND, `trainer` opens the app's window.",
        epilog="--data-dir DIR may also come after the command, e.g. `trainer stats --data-dir DIR`.",
    )
    parser.add_argument("--version", action="version", version=f"trainer {__version__}")
    parser.add_argument(
        "--data-dir", metavar="DIR", help=f"folder for the database (default: ${paths.DATA_DIR_ENV} or the platform's)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    check = commands.add_parser("check", help="validate deck files (the bundled decks if no path is given)")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="deck files or folders")
    coverage = commands.add_parser("coverage", help="print the bundled deck's coverage tables (Markdown)")
    coverage.add_argument("--write", action="store_true", help="update the tables in content/README.md")
    stats = commands.add_parser("stats", help="print counts of cards and reviews")
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    bench = commands.add_parser("bench", help="measure launch and interaction times at three collection sizes")
    bench.add_argument("--sizes", default="S,M,L", help="comma-separated sizes: S, M, L (default: all)")
    bench.add_argument("--json", action="store_true", help="print one JSON object")
    audit = commands.add_parser("audit", help="cue statistics over the decks and the quiz bank, for deck authors")
    audit.add_argument("--json", action="store_true", help="print one JSON object")
    items = commands.add_parser("item-stats", help="quiz item statistics for deck authors")
    items.add_argument("--json", action="store_true", help="print a JSON list")
    backup = commands.add_parser("backup", help="back up the database now (into the data folder's backups/)")
    backup.add_argument("--list", action="store_true", help="list the backups instead, newest first")
    doctor = commands.add_parser(
        "doctor", help="list rows with unreadable values; --repair deletes them after a backup"
    )
    doctor.add_argument("--repair", action="store_true", help="back up, then delete the unreadable rows")
    fit = commands.add_parser("fit", help="fit the scheduler to your history; adopt it only if it predicts better")
    fit.add_argument("--dry-run", action="store_true", help="fit and evaluate only; change nothing")
    fit.add_argument("--json", action="store_true", help="print one JSON object")
    restore = commands.add_parser("restore", help="replace the database with a backup (the current one is kept)")
    restore.add_argument("file", type=Path, metavar="FILE", help="a backup file, e.g. from `trainer backup --list`")
    _add_deck_commands(commands)
    for (
        command
    ) in commands.choices.values():  # `trainer stats --data-dir DIR` as well as `trainer --data-dir DIR stats`
        command.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS, help="folder for the database")
    return parser


def _add_deck_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The subcommands for your own decks, the exports and the desktop entry."""
    imports = commands.add_parser(
        "import", help="check a deck (TOML) or a CSV of situation cards and add it to your decks"
    )
    imports.add_argument("file", type=Path, metavar="FILE", help="a deck .toml file, or a .csv like the template")
    imports.add_argument("--id", dest="deck_id", metavar="ID", help="a CSV's deck id (default: from the file name)")
    imports.add_argument("--title", metavar="TITLE", help="a CSV's deck title (default: from the file name)")
    imports.add_argument("--replace", action="store_true", help="replace your deck with the same id (history kept)")
    export = commands.add_parser("export", help="write an Anki package, or your answers or quiz items as CSV")
    export.add_argument("--apkg", type=Path, metavar="FILE", help="the study cards as an Anki package (.apkg)")
    export.add_argument("--deck", metavar="ID", help="with --apkg: one deck only (see the home screen's list)")
    export.add_argument("--history", type=Path, metavar="FILE", help="every answer, one CSV row each")
    export.add_argument("--quizzes", type=Path, metavar="FILE", help="every quiz item, one CSV row each")
    desktop = commands.add_parser("install-desktop", help="add the trainer to a Linux desktop's application menu")
    desktop.add_argument("--remove", action="store_true", help="remove it from the menu again")


def _library_with_own(data_dir: str | None) -> Library:
    """The bundled decks and the learner's own (the data folder's `decks`)."""
    return load_library(paths.content_dir(), own=[paths.DataFolder(paths.data_dir(data_dir)).decks])


def _import(data_dir: str | None, source: Path, deck_id: str | None, title: str | None, replace: bool) -> int:
    """Check a deck file or a CSV; copy (or convert) it into the own decks folder when it has no problem."""
    from trainer.exchange.user_decks import install, plan_import

    folder = paths.data_dir(data_dir)
    plan = plan_import(
        source, _library_with_own(data_dir), paths.DataFolder(folder).decks, deck_id=deck_id, title=title
    )
    for warning in plan.warnings:
        print(f"{source}: warning: {warning}", file=sys.stderr)
    if not plan.ok:
        for problem in plan.problems:
            print(problem if plan.kind == "toml" else f"{source}: {problem}")
        print(f"trainer: nothing imported: {len(plan.problems)} problem(s) in {source}", file=sys.stderr)
        return 1
    if plan.replaces is not None and not replace and not _ask_replace(plan.deck_id, plan.replaces):
        return 1
    paths.make_private_folder(folder)
    written = install(plan)
    print(f"imported {plan.cards} card(s) as your deck {plan.deck_id!r} ({plan.title}) into {written}")
    return 0


def _ask_replace(deck_id: str, existing: Path) -> bool:
    """Replacing one of your decks asks first (at a terminal) or needs --replace."""
    question = f"Your deck {deck_id!r} already exists ({existing}). Replace it? Its history is kept. [y/N] "
    if sys.stdin.isatty():
        return input(question).strip().lower() in ("y", "yes")
    print(
        f"trainer: your deck {deck_id!r} already exists ({existing}); run again with --replace to replace it "
        "(its history is kept)",
        file=sys.stderr,
    )
    return False


def _export(
    data_dir: str | None, apkg: Path | None, deck: str | None, history: Path | None, quizzes: Path | None
) -> int:
    from trainer.exchange import exporting

    if not (apkg or history or quizzes):
        print("trainer: export what? give --apkg FILE, --history FILE or --quizzes FILE", file=sys.stderr)
        return 2
    library = _library_with_own(data_dir)
    if apkg is not None:
        try:
            notes = exporting.write_apkg(library, apkg, deck)
        except exporting.UnknownDeckError as error:
            print(f"trainer: {error}", file=sys.stderr)
            return 1
        print(f"wrote {notes} note(s) to {apkg}")
    if history is not None:
        rows = _read_store(data_dir, lambda store: exporting.write_history(store, library, history))
        if rows is None:
            return 2
        print(f"wrote {rows} answer row(s) to {history}")
    if quizzes is not None:
        items = _read_store(data_dir, lambda store: exporting.write_quizzes(store, quizzes))
        if items is None:
            return 2
        print(f"wrote {items} quiz item row(s) to {quizzes}")
    return 0


def _install_desktop(remove: bool) -> int:
    from trainer import desktop

    if remove:
        removed = desktop.remove()
        print("\n".join(f"removed {path}" for path in removed) or "nothing to remove: no menu entry was installed")
        return 0
    entry, icon = desktop.install()
    print(f"installed {entry} (icon {icon}); the trainer is in your application menu")
    return 0


def no_display() -> bool:
    """On Linux and the BSDs, whether Qt would find no display to open a window on (it would abort)."""
    if not sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return False
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] in ("offscreen", "minimal", "vnc", "eglfs", "linuxfb"):
        return False
    return not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _check(given: list[Path], data_dir: str | None = None) -> int:
    """Validate deck and scenario files (a file in a `scenarios` folder is a negotiation scenario).

    With no path: the bundled decks, quiz bank and scenarios, and your own decks (checked as own decks).
    """
    from trainer.rounds import check_scenario_files

    content = paths.content_dir()
    own_folder = paths.DataFolder(paths.data_dir(data_dir)).decks
    own = [] if given or not own_folder.is_dir() else deck_files([own_folder])
    found = deck_files(given) if given else [*bundled_deck_files(content), *deck_files([content / SCENARIOS]), *own]
    scenarios = [path for path in found if path.parent.name == SCENARIOS]
    files = [path for path in found if path.parent.name != SCENARIOS and path not in own]
    if not found:
        where = ", ".join(str(p) for p in given) or str(content)
        print(f"trainer: no deck files (*.toml) in {where}", file=sys.stderr)
        return 1
    problems = [*(load_library(content, files, own=own).problems if files else ()), *check_scenario_files(scenarios)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {len(found)} file(s)", file=sys.stderr)
        return 1
    yours = f" and {len(own)} of your own" if own else ""
    print(f"ok: {len(files)} deck file(s){yours}, {len(scenarios)} scenario file(s)")
    return 0


def _coverage(write: bool) -> int:
    library = load_library(paths.content_dir())
    section = coverage_markdown(library)
    if not write:
        print(section)
        return 0
    readme = paths.content_dir() / "README.md"
    try:
        readme.write_text(replace_section(readme.read_text(encoding="utf-8"), section), encoding="utf-8")
    except OSError as error:
        print(f"trainer: cannot update {readme}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"updated {readme}")
    return 0


def _audit(as_json: bool) -> int:
    from trainer.library.audit import audit, audit_lines

    result = audit(load_library(paths.content_dir()))
    print(json.dumps(result.as_dict(), sort_keys=True) if as_json else "\n".join(audit_lines(result)))
    return 0


def _read_store(data_dir: str | None, read: Callable[[Store], T]) -> T | None:
    """Open the data folder's database (backing up before any upgrade), apply `read`, close it.

    Returns the result, or prints the StoreError and returns None.
    """
    from trainer.clock import system_clock
    from trainer.storage.backup import open_store
    from trainer.storage.store import StoreError

    try:
        with open_store(paths.data_dir(data_dir), system_clock) as store:
            return read(store)
    except StoreError as error:
        print(f"trainer: {error}", file=sys.stderr)
        return None


def _stats(data_dir: str | None, as_json: bool) -> int:
    from trainer.quiz.session import quiz_summary
    from trainer.study.session import collection_stats

    library = _library_with_own(data_dir)
    figures = _read_store(data_dir, lambda store: collection_stats(store, library) | quiz_summary(store))
    if figures is None:
        return 2
    if as_json:
        print(json.dumps(figures, sort_keys=True))
    else:
        print("\n".join(stats_lines(figures)))
    return 0


STATS_LABELS = {
    "cards": "Cards",
    "new": "Never studied",
    "due": "Due now",
    "reviews": "Answers in all",
    "reviews_today": "Answers today",
    "skipped_decks": "Deck files skipped (run `trainer check`)",
    "quiz_attempts": "Quizzes finished",
    "last_quiz_score": "Last quiz score",
}


def stats_lines(figures: dict[str, object]) -> list[str]:
    """`trainer stats` for people: a label per figure, the quiz score as a percentage."""
    lines = []
    width = max(len(label) for label in STATS_LABELS.values())
    for key, value in figures.items():
        if key == "last_quiz_score":
            shown = f"{round(value * 100)}%" if isinstance(value, int | float) else "no quiz yet"
        else:
            shown = f"{value:,}" if isinstance(value, int) else str(value)
        lines.append(f"{STATS_LABELS.get(key, key):<{width}}  {shown}")
    return lines


QUALITY_NAMES = {3: "best", 2: "acceptable", 1: "weak", 0: "harmful"}


def option_names(card_id: str, library: Library) -> dict[str, str]:
    """Option ids named by quality ('best', 'weak', 'weak 2'…), for people reading `item-stats`."""
    from trainer.model import CardId

    card = library.cards.get(CardId(card_id)) or library.bank.get(CardId(card_id))
    if card is None:
        return {}
    names: dict[str, str] = {}
    seen: dict[str, int] = {}
    for option in sorted(card.options, key=lambda o: -o.quality):
        word = QUALITY_NAMES.get(option.quality, str(option.quality))
        seen[word] = seen.get(word, 0) + 1
        names[option.id] = word if seen[word] == 1 else f"{word} {seen[word]}"
    return names


def _item_stats(data_dir: str | None, as_json: bool) -> int:
    from trainer.quiz.scoring import MIN_ATTEMPTS_FOR_DISCRIMINATION
    from trainer.quiz.session import item_statistics

    library = load_library(paths.content_dir())
    rows = _read_store(data_dir, lambda store: item_statistics(store, library))
    if rows is None:
        return 2
    if as_json:
        print(json.dumps(rows, sort_keys=True))
        return 0
    if not rows:
        print("No finished quiz yet.")
        return 0
    print(
        "asked: times in finished quizzes; mean: mean score (0-1); r_pb: point-biserial discrimination "
        "(needs 10 attempts; blank until then); options: how often each was chosen, by quality "
        "(as the worst pick in brackets)."
    )
    print(f"{'card':<16} {'from':<4} {'asked':>5} {'mean':>6} {'r_pb':>8}  options chosen (as worst)")
    for row in rows:
        needed = f"needs {MIN_ATTEMPTS_FOR_DISCRIMINATION}"
        r_pb = needed if row["discrimination"] is None else f"{row['discrimination']:.2f}"
        flag = "  <- negative: check the key" if row["negative_discrimination"] else ""
        names = option_names(row["card_id"], library)
        options = ", ".join(f"{names.get(k, k)} {v}" for k, v in row["options"].items())
        worst = (
            " (" + ", ".join(f"{names.get(k, k)} {v}" for k, v in row["worst"].items()) + ")" if row["worst"] else ""
        )
        print(
            f"{row['card_id']:<16} {row['source']:<4} {row['asked']:>5} {row['mean_score']:>6.2f} {r_pb:>8}  "
            f"{options}{worst}{flag}"
        )
    return 0


def _backup(data_dir: str | None, list_only: bool) -> int:
    from trainer.clock import system_clock
    from trainer.storage import backup
    from trainer.storage.store import StoreError

    folder = paths.data_dir(data_dir)
    if list_only:
        for made in backup.backups(folder):
            print(f"{made.made_at:%Y-%m-%d %H:%M:%S} UTC  {made.reason:<15} {made.path}")
        return 0
    try:
        with backup.open_store(folder, system_clock) as store:
            made = backup.make_backup(store, backup.BackupReason.MANUAL, system_clock())
    except StoreError as error:
        print(f"trainer: {error}", file=sys.stderr)
        return 2
    print(f"backed up to {made.path}")
    return 0


def _restore(data_dir: str | None, source: Path) -> int:
    from trainer.clock import system_clock
    from trainer.folder_lock import FolderLock, FolderLockError
    from trainer.storage import backup
    from trainer.storage.store import StoreError

    folder = paths.data_dir(data_dir)
    guard = FolderLock(folder)
    try:
        acquired = guard.acquire()
    except FolderLockError as error:
        print(f"trainer: {error}", file=sys.stderr)
        return 2
    if not acquired:
        print(
            "trainer: the trainer is open on this data folder; close it first (or use File > Restore).", file=sys.stderr
        )
        return 2
    try:
        kept = backup.restore_folder(folder, source, system_clock)
    except StoreError as error:
        print(f"trainer: {error}", file=sys.stderr)
        return 2
    finally:
        guard.release()
    print(f"restored {source}; the data from before the restore is in {kept}")
    return 0


def _doctor(data_dir: str | None, repair: bool) -> int:
    from trainer.clock import system_clock
    from trainer.folder_lock import FolderLock, FolderLockError
    from trainer.storage import backup
    from trainer.storage.store import StoreError
    from trainer.study.scheduling import state_from_json

    folder = paths.data_dir(data_dir)
    guard = FolderLock(folder)
    try:
        if not guard.acquire():
            print("trainer: the trainer is open on this data folder; close it first.", file=sys.stderr)
            return 2
        with backup.open_store(folder, system_clock) as store:
            found = store.unreadable_rows()
            for table, rowids in found.items():
                print(f"{table}: {len(rowids)} unreadable row(s), rowid {', '.join(map(str, rowids[:20]))}")
            if not found:
                print("ok: every answer and schedule is readable")
                return 0
            if not repair:
                print("run `trainer doctor --repair` to back up, then delete them", file=sys.stderr)
                return 1
            made = backup.make_backup(store, backup.BackupReason.MANUAL, system_clock())
            deleted = store.repair_rows(found, state_from_json)
    except (StoreError, FolderLockError) as error:
        print(f"trainer: {error}", file=sys.stderr)
        return 2
    finally:
        guard.release()
    print(f"deleted {deleted} unreadable row(s); the data from before is in {made.path}")
    return 0


def _fit(data_dir: str | None, dry_run: bool, as_json: bool) -> int:
    """Fit FSRS parameters to the history, print the held-out evaluation, adopt them (after a backup) if better."""
    from trainer.clock import system_clock
    from trainer.folder_lock import FolderLock, FolderLockError
    from trainer.storage import backup
    from trainer.storage.store import StoreError
    from trainer.study import personal

    folder = paths.data_dir(data_dir)
    guard = FolderLock(folder)
    try:
        if not dry_run and not guard.acquire():
            print("trainer: the trainer is open on this data folder; close it first.", file=sys.stderr)
            return 2
        with backup.open_store(folder, system_clock) as store:
            settings = store.settings()
            result = personal.fit_my_history(store, system_clock, None, settings.day_start_hour, record=not dry_run)
            adopted = personal.adopt(store, result, system_clock) if result.adopt and not dry_run else None
    except personal.NotEnoughHistory as error:
        print(f"trainer: {error}", file=sys.stderr)
        return 1
    except (StoreError, FolderLockError) as error:
        print(f"trainer: {error}", file=sys.stderr)
        return 2
    finally:
        guard.release()
    figures = {
        "reviews": result.reviews,
        "train_items": result.train_items,
        "test_items": result.test_items,
        "split_at": result.split_at.isoformat(),
        "improvement": round(result.improvement, 4),
        "default": {"log_loss": result.default.log_loss, "rmse_bins": result.default.rmse_bins},
        "fitted": {"log_loss": result.fitted.log_loss, "rmse_bins": result.fitted.rmse_bins},
        "better": result.adopt,
        "adopted": adopted is not None,
        "parameters": list(result.parameters),
        "backup": str(adopted.backup) if adopted else None,
        "rescheduled": adopted.rescheduled if adopted else 0,
        "summary": result.summary,
    }
    if as_json:
        print(json.dumps(figures, sort_keys=True))
        return 0
    print(
        f"Fitted on {result.train_items:,} earlier items from {result.reviews:,} reviews; checked on your latest "
        f"{result.test_items:,} (from {result.split_at:%Y-%m-%d})."
    )
    print(f"{'':>14} {'defaults':>9} {'yours':>9}")
    print(f"{'log loss':>14} {result.default.log_loss:>9.4f} {result.fitted.log_loss:>9.4f}")
    print(f"{'RMSE (bins)':>14} {result.default.rmse_bins:>9.4f} {result.fitted.rmse_bins:>9.4f}")
    print(result.summary)
    if adopted is not None:
        print(
            f"Now using your parameters: {adopted.rescheduled:,} cards rescheduled; the data from before is in "
            f"{adopted.backup}"
        )
    elif dry_run:
        print("Dry run: nothing changed.")
    else:
        print("Nothing changed: the default parameters stay in use.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `trainer` command; returns the exit code (never a traceback for a failed write)."""
    try:
        return _dispatch(argv)
    except BrokenPipeError:  # e.g. `trainer check | head -1`: the reader has gone; that is not an error
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        print(f"trainer: cannot use{where}: {error.strerror or error}", file=sys.stderr)
        return 1


def _dispatch(argv: Sequence[str] | None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "check":
        return _check(args.paths, args.data_dir)
    if args.command == "import":
        return _import(args.data_dir, args.file, args.deck_id, args.title, args.replace)
    if args.command == "export":
        return _export(args.data_dir, args.apkg, args.deck, args.history, args.quizzes)
    if args.command == "install-desktop":
        return _install_desktop(args.remove)
    if args.command == "coverage":
        return _coverage(args.write)
    if args.command == "stats":
        return _stats(args.data_dir, args.json)
    if args.command == "bench":
        from trainer.bench.runner import main as bench_main

        return bench_main(args.sizes, args.json)
    if args.command == "audit":
        return _audit(args.json)
    if args.command == "item-stats":
        return _item_stats(args.data_dir, args.json)
    if args.command == "backup":
        return _backup(args.data_dir, args.list)
    if args.command == "restore":
        return _restore(args.data_dir, args.file)
    if args.command == "doctor":
        return _doctor(args.data_dir, args.repair)
    if args.command == "fit":
        return _fit(args.data_dir, args.dry_run, args.json)
    if no_display():
        print(
            "trainer: no display found: start it from a desktop session (or run a command: trainer --help)",
            file=sys.stderr,
        )
        return 1
    from trainer.app import run

    return run(args.data_dir)
