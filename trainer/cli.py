"""The `trainer` command: start the app, or run a script-friendly subcommand."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from trainer import __version__, paths
from trainer.coverage import coverage_markdown, replace_section
from trainer.decks import deck_files, load_library


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
    return parser


def _check(deck_paths: list[Path]) -> int:
    files = deck_files(deck_paths or [paths.content_dir() / "decks"])
    library = load_library(paths.content_dir(), files)
    for problem in library.problems:
        print(problem)
    if library.problems:
        print(f"{len(library.problems)} problem(s) in {len(files)} file(s)", file=sys.stderr)
        return 1
    cards = sum(len(d.cards) for d in library.decks)
    print(f"ok: {len(files)} deck file(s), {cards} cards")
    return 0


def _coverage(write: bool) -> int:
    library = load_library(paths.content_dir())
    section = coverage_markdown(library)
    if not write:
        print(section)
        return 0
    readme = paths.content_dir() / "README.md"
    readme.write_text(replace_section(readme.read_text(encoding="utf-8"), section), encoding="utf-8")
    print(f"updated {readme}")
    return 0


def _stats(data_dir: str | None, as_json: bool) -> int:
    from trainer.services import collection_stats
    from trainer.storage import Store, StoreError

    library = load_library(paths.content_dir())
    try:
        with Store.open(paths.data_dir(data_dir)) as store:
            figures = collection_stats(store, library)
    except StoreError as error:
        print(f"trainer: {error}", file=sys.stderr)
        return 2
    if as_json:
        print(json.dumps(figures, sort_keys=True))
    else:
        for key, value in figures.items():
            print(f"{key:>16}: {value}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `trainer` command; returns the exit code."""
    args = _parser().parse_args(argv)
    if args.command == "check":
        return _check(args.paths)
    if args.command == "coverage":
        return _coverage(args.write)
    if args.command == "stats":
        return _stats(args.data_dir, args.json)
    from trainer.app import run

    return run(args.data_dir)
