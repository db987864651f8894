"""The shared vocabulary of decks: the taxonomy's codes and the references' citations."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from trainer.library.text import has_text as _text
from trainer.library.toml_files import ContentError, read_toml
from trainer.model import Mistake, Problem, Reference, Taxonomy


def load_taxonomy(path: Path) -> Taxonomy:
    """Read taxonomy.toml; raise ContentError when a section is missing or malformed."""
    data, _ = read_toml(path)
    problems: list[Problem] = []

    def section(key: str) -> dict[str, Any]:
        value = data.get(key)
        if not isinstance(value, dict) or not value:
            problems.append(Problem(str(path), "missing or empty table", field=key))
            return {}
        return value

    plain = {key: section(key) for key in ("topics", "moves", "contexts", "ideas")}
    for key, table in plain.items():
        for code, label in table.items():
            if not isinstance(label, str) or not label.strip():
                problems.append(Problem(str(path), "must be a non-empty string", field=f"{key}.{code}"))
    mistakes: dict[str, Mistake] = {}
    for code, entry in section("mistakes").items():
        if not (isinstance(entry, dict) and _text(entry.get("name")) and _text(entry.get("remedy"))):
            problems.append(Problem(str(path), "needs `name` and `remedy` strings", field=f"mistakes.{code}"))
            continue
        mistakes[code] = Mistake(code, entry["name"].strip(), entry["remedy"].strip())
    if problems:
        raise ContentError(problems)
    return Taxonomy(
        topics=plain["topics"],
        moves=plain["moves"],
        contexts=plain["contexts"],
        mistakes=mistakes,
        ideas=plain["ideas"],
    )


def load_references(path: Path) -> dict[str, Reference]:
    """Read references.toml: source key -> citation (full, and short for display)."""
    data, _ = read_toml(path)
    references: dict[str, Reference] = {}
    problems: list[Problem] = []
    for key, entry in data.items():
        if isinstance(entry, dict) and _text(entry.get("citation")):
            citation = entry["citation"].strip()
            given = entry.get("short")
            short = given.strip() if isinstance(given, str) and _text(given) else short_citation(citation)
            references[key] = Reference(key, citation, short)
        else:
            problems.append(Problem(str(path), "needs a `citation` string", field=key))
    if problems:
        raise ContentError(problems)
    return references


_INITIALS = re.compile(r"^(?:[A-Z][a-z]?\.\s*-?)+$")


def short_citation(citation: str) -> str:
    """'Lawler, E. J., & MacMurray, B. K. (1980). Title…' -> 'Lawler & MacMurray (1980)'."""
    found = re.match(r"^([^(\"]+?)\s*\((\d{4})\)", citation)
    if not found:
        return citation if len(citation) <= 60 else citation[:57].rstrip() + "…"
    authors, year = found.groups()
    parts = [p.strip() for p in re.split(r",|&", authors) if p.strip()]
    surnames = [p for p in parts if not _INITIALS.match(p) and p != "et al."]
    if "et al" in authors:
        return f"{surnames[0]} et al. ({year})"
    if len(surnames) == 1:
        return f"{surnames[0]} ({year})"
    if len(surnames) == 2:
        return f"{surnames[0]} & {surnames[1]} ({year})"
    return f"{surnames[0]} et al. ({year})"
