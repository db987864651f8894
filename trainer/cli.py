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
    from trainer.storage.store import Store


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trainer", description="Reciprocity Trainer: situation cards and a self-assessment quiz."
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
    return parser


def _check(given: list[Path]) -> int:
    """Validate deck and scenario files (a file in a `scenarios` folder is a negotiation scenario)."""
    from trainer.rounds import check_scenario_files

    content = paths.content_dir()
    found = deck_files(given) if given else [*bundled_deck_files(content), *deck_files([content / SCENARIOS])]
    scenarios = [path for path in found if path.parent.name == SCENARIOS]
    files = [path for path in found if path.parent.name != SCENARIOS]
    if not found:
        where = ", ".join(str(p) for p in given) or str(content)
        print(f"trainer: no deck files (*.toml) in {where}", file=sys.stderr)
        return 1
    problems = [*(load_library(content, files).problems if files else ()), *check_scenario_files(scenarios)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) in {len(found)} file(s)", file=sys.stderr)
        return 1
    print(f"ok: {len(files)} deck file(s), {len(scenarios)} scenario file(s)")
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

    library = load_library(paths.content_dir())
    figures = _read_store(data_dir, lambda store: collection_stats(store, library) | quiz_summary(store))
    if figures is None:
        return 2
    if as_json:
        print(json.dumps(figures, sort_keys=True))
    else:
        for key, value in figures.items():
            print(f"{key:>16}: {value}")
    return 0


def _item_stats(data_dir: str | None, as_json: bool) -> int:
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
    print(f"{'card':<16} {'from':<4} {'asked':>5} {'mean':>6} {'r_pb':>6}  options chosen (as worst)")
    for row in rows:
        r_pb = "" if row["discrimination"] is None else f"{row['discrimination']:.2f}"
        flag = "  <- negative: check the key" if row["negative_discrimination"] else ""
        options = " ".join(f"{k}:{v}" for k, v in row["options"].items())
        worst = " (" + " ".join(f"{k}:{v}" for k, v in row["worst"].items()) + ")" if row["worst"] else ""
        print(
            f"{row['card_id']:<16} {row['source']:<4} {row['asked']:>5} {row['mean_score']:>6.2f} {r_pb:>6}  "
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
        return _check(args.paths)
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
    from trainer.app import run

    return run(args.data_dir)
