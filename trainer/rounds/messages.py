"""Counterpart message templates: which {slots} each situation may use, and filling them in."""

from __future__ import annotations

import string
from collections.abc import Mapping

from trainer.rounds.names import MessageKind

COMMON_SLOTS = frozenset({"offer", "round", "rounds_left"})
EXTRA_SLOTS: dict[MessageKind, frozenset[str]] = {
    MessageKind.CONCESSION: frozenset({"issue"}),
    MessageKind.CONDITION_ACCEPTED: frozenset({"get_issue", "give_issue"}),
    MessageKind.CONDITION_REFUSED: frozenset({"get_issue", "give_issue"}),
    MessageKind.REVEAL: frozenset({"priority", "priorities"}),
}
OPTIONAL_KINDS: dict[MessageKind, str] = {
    MessageKind.CLOSING: "Agreed, then: {offer}. Thank you.",
    MessageKind.FAREWELL: "I'm sorry we couldn't find a deal. Our door stays open.",
}
"""Kinds a scenario may leave out; the text here is used instead."""

REQUIRED_KINDS = tuple(kind for kind in MessageKind if kind not in OPTIONAL_KINDS)


def allowed_slots(kind: MessageKind) -> frozenset[str]:
    """The slot names a template of this kind may use."""
    return COMMON_SLOTS | EXTRA_SLOTS.get(kind, frozenset())


def slots_in(template: str) -> list[str]:
    """The slot names a template uses; raises ValueError on a malformed template."""
    names = []
    for _, field, spec, conversion in string.Formatter().parse(template):
        if field is None:
            continue
        if not field.isidentifier() or spec or conversion:
            raise ValueError(f"slot {{{field}}} must be a plain name")
        names.append(field)
    return names


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill a template's slots; a slot without a value is left as it is."""
    filled = {name: values.get(name, "{" + name + "}") for name in slots_in(template)}
    return template.format_map(filled)


def templates_for(messages: Mapping[MessageKind, tuple[str, ...]], kind: MessageKind) -> tuple[str, ...]:
    """A scenario's templates for a kind, or the built-in text for an optional kind."""
    found = messages.get(kind)
    if found:
        return found
    return (OPTIONAL_KINDS.get(kind, "…"),)
