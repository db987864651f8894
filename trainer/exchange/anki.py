"""Exporting cards to an Anki package (.apkg) with stable ids, so a second export updates the first.

Choice cards use a note type whose front shows the situation, the prompt and the lettered options, and whose
back shows the best response, each option's quality and feedback, the principle, the evidence level and the
sources. Recall cards use a basic front/back note type. Every card text is HTML-escaped.
"""

from __future__ import annotations

import hashlib
import html
import os
import sqlite3
import string
import tempfile
import time
import zipfile
from collections.abc import Iterable, Mapping
from itertools import count
from pathlib import Path

import genanki

from trainer.model import Card, CardKind, Reference

NAMESPACE = "reciprocity-trainer"
QUALITY_WORDS = {3: "best", 2: "acceptable", 1: "weak", 0: "harmful"}
EVIDENCE_WORDS = {"A": "A · strong", "B": "B · moderate", "C": "C · practitioner consensus"}
# Optional fields newer decks may carry; shown on the back when a card has them.
EXTRA_FIELDS = (
    ("response", "Response type"),
    ("finding_evidence", "Evidence for the underlying finding"),
    ("contrast", "Contrast card"),
    ("contrast_fact", "The fact that decides it"),
)
CHOICE_FIELDS = ("Card ID", "Situation", "Prompt", "Options", "Best", "Verdicts", "Principle", "Explanation")
RECALL_FIELDS = ("Card ID", "Situation", "Prompt", "Answer", "Principle", "Explanation")
SHARED_FIELDS = ("Evidence", "Sources", "Extra")
FRONT = '<div class="situation">{{Situation}}</div>\n<div class="prompt">{{Prompt}}</div>\n'
FOOTER = (
    '<div class="principle">{{Principle}}</div>\n<div class="explanation">{{Explanation}}</div>\n'
    '<div class="meta">Evidence {{Evidence}} · {{Sources}}</div>\n'
    '{{#Extra}}<div class="extra">{{Extra}}</div>{{/Extra}}'
)
CSS = """.card { font-family: sans-serif; font-size: 18px; text-align: left; max-width: 40em; margin: auto; }
.prompt { font-weight: bold; margin-top: 0.8em; }
.principle { font-weight: bold; margin-top: 0.8em; }
.explanation, .extra { margin-top: 0.6em; }
.meta { color: #777; font-size: 14px; margin-top: 0.8em; }
"""


def stable_id(*parts: str) -> int:
    """An id in genanki's recommended range [2**30, 2**31), the same for the same parts on every export."""
    digest = hashlib.sha256("\x1f".join((NAMESPACE, *parts)).encode()).digest()
    return (1 << 30) + int.from_bytes(digest[:8], "big") % (1 << 30)


def note_guid(card_id: str) -> str:
    """The note's GUID, derived from the card id: Anki matches re-imported notes on it."""
    return str(genanki.guid_for(NAMESPACE, card_id))


def choice_model() -> genanki.Model:
    front = FRONT + "{{Options}}"
    back = '{{FrontSide}}\n<hr id="answer">\n<div class="best">{{Best}}</div>\n{{Verdicts}}\n' + FOOTER
    return _model("choice-v1", "Reciprocity Trainer · choice", CHOICE_FIELDS, front, back)


def recall_model() -> genanki.Model:
    back = '{{FrontSide}}\n<hr id="answer">\n<div class="answer">{{Answer}}</div>\n' + FOOTER
    return _model("recall-v1", "Reciprocity Trainer · recall", RECALL_FIELDS, FRONT, back)


def _model(key: str, name: str, fields: tuple[str, ...], front: str, back: str) -> genanki.Model:
    return genanki.Model(
        stable_id("model", key),
        name,
        fields=[{"name": field} for field in (*fields, *SHARED_FIELDS)],
        templates=[{"name": "Card 1", "qfmt": front, "afmt": back}],
        css=CSS,
    )


def card_note(
    card: Card, references: Mapping[str, Reference], models: tuple[genanki.Model, genanki.Model]
) -> genanki.Note:
    """The Anki note of one card: a choice note or a recall note, every text escaped."""
    shared = [EVIDENCE_WORDS.get(card.evidence, _text(card.evidence)), _sources(card, references), _extra(card)]
    if card.kind == CardKind.CHOICE:
        letters = dict(zip((o.id for o in card.options), string.ascii_uppercase, strict=False))
        items = "".join(f"<li>{_text(o.text)}</li>" for o in card.options)
        best = card.best_option
        best_html = f"<b>Best: {letters[best.id]}.</b> {_text(best.text)}" if best else ""
        verdicts = "".join(
            f"<li><b>{letters[o.id]} · {QUALITY_WORDS.get(o.quality, str(o.quality))}</b>: {_text(o.feedback)}</li>"
            for o in card.options
        )
        own = [f'<ol type="A">{items}</ol>', best_html, f'<ul class="verdicts">{verdicts}</ul>']
        fields = [_text(card.id), _text(card.situation), _text(card.prompt), *own]
        model = models[0]
    else:
        fields = [_text(card.id), _text(card.situation), _text(card.prompt), _text(card.answer)]
        model = models[1]
    fields += [_text(card.principle), _text(card.explanation), *shared]
    tags = [card.deck_id, card.topic, card.move, f"context-{card.context}", f"evidence-{card.evidence}", card.kind]
    return genanki.Note(model=model, fields=fields, guid=note_guid(card.id), tags=[t for t in tags if t])


def export_apkg(
    cards: Iterable[Card],
    references: Mapping[str, Reference],
    path: str | os.PathLike[str],
    *,
    deck_name: str,
    deck_key: str | None = None,
) -> int:
    """Write the cards as an Anki package at `path` (replaced whole); return the number of notes.

    The Anki deck id comes from `deck_key` (default: the deck name), the note types' ids are fixed and
    each note's GUID comes from its card id, so importing a later export updates the notes in place.
    """
    models = (choice_model(), recall_model())
    deck = genanki.Deck(stable_id("deck", deck_key or deck_name), deck_name)
    for card in cards:
        deck.add_note(card_note(card, references, models))
    _write_package(genanki.Package(deck), Path(path))
    return len(deck.notes)


def _write_package(package: genanki.Package, target: Path) -> None:
    """genanki's write_to_file, but leaving no temporary file behind and replacing the target atomically."""
    timestamp = time.time()
    with tempfile.TemporaryDirectory(prefix="trainer-apkg-") as folder:
        collection = Path(folder) / "collection.anki2"
        connection = sqlite3.connect(collection)
        try:
            package.write_to_db(connection.cursor(), timestamp, count(int(timestamp * 1000)))
            connection.commit()
        finally:
            connection.close()
        partial = target.with_name(target.name + ".partial")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(collection, "collection.anki2")
            archive.writestr("media", "{}")
        os.replace(partial, target)


def _sources(card: Card, references: Mapping[str, Reference]) -> str:
    return "; ".join(_text(references[key].short if key in references else key) for key in card.sources)


def _extra(card: Card) -> str:
    """Optional fields the card may have (newer deck formats), labelled; empty when it has none."""
    lines = []
    for name, label in EXTRA_FIELDS:
        value = getattr(card, name, None)
        if isinstance(value, str) and value:
            shown = EVIDENCE_WORDS.get(value, value) if name == "finding_evidence" else value
            lines.append(f"<b>{label}</b>: {_text(shown)}")
    return "<br>".join(lines)


def _text(value: str) -> str:
    """HTML-escaped text with its paragraph and line breaks kept."""
    return html.escape(value.strip()).replace("\n", "<br>")
