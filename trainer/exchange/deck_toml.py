"""Writing a deck as TOML in the bundled decks' layout: [deck], then [[cards]] each followed by [[cards.options]]."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import tomli_w

WRAPPED = frozenset({"situation", "explanation", "answer"})  # prose the loader re-joins into paragraphs
WRAP_WIDTH = 80
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def deck_toml(deck: Mapping[str, Any], cards: Sequence[Mapping[str, Any]], *, comment: str = "") -> str:
    """The TOML text of a deck table and its cards; long prose becomes wrapped multi-line strings."""
    parts = [f"# {line}\n" for line in comment.splitlines()]
    parts.append(f"[deck]\n{_table(deck)}")
    for card in cards:
        parts.append(f"\n[[cards]]\n{_table({k: v for k, v in card.items() if k != 'options'})}")
        parts.extend(f"\n[[cards.options]]\n{_table(option)}" for option in card.get("options", ()))
    return "".join(parts)


def _table(values: Mapping[str, Any]) -> str:
    lines = []
    for key, value in values.items():
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            lines.append(f"{key} = [{', '.join(map(_string, value))}]\n")  # inline, as the bundled decks write it
        else:
            lines.append(tomli_w.dumps({key: _wrap(value) if key in WRAPPED else value}, multiline_strings=True))
    return "".join(lines)


def _string(value: str) -> str:
    """A one-line TOML string literal, quoted and escaped by tomli_w."""
    return tomli_w.dumps({"k": value}).removeprefix("k = ").rstrip("\n")


def _wrap(value: Any) -> Any:
    """Long prose as lines of at most WRAP_WIDTH characters, paragraphs kept; the words are unchanged."""
    if not isinstance(value, str) or (len(value) <= WRAP_WIDTH and "\n" not in value):
        return value
    paragraphs = _PARAGRAPH_BREAK.split(value.strip())
    wrapped = (textwrap.fill(p, WRAP_WIDTH, break_long_words=False, break_on_hyphens=False) for p in paragraphs)
    return "\n\n".join(wrapped) + "\n"
