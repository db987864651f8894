"""Text rules shared by the content checks: what counts as visible text, and how wrapped TOML text is joined."""

from __future__ import annotations

import re
from typing import Any

_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060-\u2064\ufeff\u00ad]")


def has_text(value: Any) -> bool:
    """A string with something visible in it (zero-width characters alone do not count)."""
    return isinstance(value, str) and bool(_INVISIBLE.sub("", value).strip())


def clean(text: str) -> str:
    """Join wrapped lines of a TOML multi-line string into paragraphs."""
    paragraphs = re.split(r"\n\s*\n", text.strip())
    return "\n\n".join(" ".join(p.split()) for p in paragraphs)
