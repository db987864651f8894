"""Validating one parsed deck file: every card's fields against the format and the vocabulary."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from trainer.library.text import clean as _clean
from trainer.library.text import has_text as _text
from trainer.model import BEST_QUALITY, Card, CardId, CardKind, Deck, Option, Problem, Reference, Taxonomy

ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
OPTION_IDS = tuple("abcdefgh")
POWERS = ("stronger", "equal", "weaker")
HORIZONS = ("one-shot", "repeated")
EVIDENCE_LEVELS = ("A", "B", "C")
# The kind of response a choice card keys; anything but "trade" flips the usual answer.
RESPONSES = (
    "trade",
    "walk-away",
    "decline",
    "re-anchor",
    "accept",
    "ask",
    "name-tactic",
    "gesture",
    "hold-firm",
    "repair",
)
WORD_LIMITS = {"situation": 90, "explanation": 120, "answer": 80, "text": 35}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class DeckValidator:
    """Validates one parsed deck file and builds its cards; collects every problem."""

    def __init__(
        self, path: Path, text: str, taxonomy: Taxonomy, references: dict[str, Reference], *, bank: bool = False
    ):
        self.path = str(path)
        self.lines = text.splitlines()
        self.taxonomy = taxonomy
        self.references = references
        self.bank = bank
        self.problems: list[Problem] = []
        self._card_spans = self._index_cards()

    def _index_cards(self) -> dict[str, tuple[int, int]]:
        """Each card id's span of lines (its [[cards]] header to the next), found in one pass."""
        headers = [i for i, text in enumerate(self.lines) if text.strip() == "[[cards]]"]
        ends = [*headers[1:], len(self.lines)][: len(headers)]
        spans: dict[str, tuple[int, int]] = {}
        pattern = re.compile(r"^\s*id\s*=\s*[\"']([^\"']*)[\"']")
        for start, end in zip(headers, ends, strict=True):
            for i in range(start, end):
                found = pattern.match(self.lines[i])
                if found:
                    spans.setdefault(found.group(1), (start, end))
                    break
        return spans

    def report(self, message: str, *, card: str | None = None, field: str | None = None) -> None:
        line = self._line_of(card, field)
        self.problems.append(Problem(self.path, message, line=line, card_id=card, field=field))

    def _line_of(self, card: str | None, field: str | None) -> int | None:
        """The 1-based line of a card's field (or of the card, or the file's field)."""
        start, end = 0, len(self.lines)
        if card is not None:
            if card not in self._card_spans:
                return None
            start, end = self._card_spans[card]
        if field is None:
            return start + 1
        option = re.match(r"options\[(\d+)\]\.?(.*)", field)
        if option:
            blocks = [i for i in range(start, end) if self.lines[i].strip() == "[[cards.options]]"]
            number = int(option.group(1))
            if number > len(blocks):
                return start + 1
            start = blocks[number - 1]
            field = option.group(2) or None
            if field is None:
                return start + 1
        key = re.escape(field.split(".")[-1])
        return next(
            (i + 1 for i in range(start, end) if re.match(r"^\s*" + key + r"\s*=", self.lines[i])),
            start + 1,
        )

    def deck(self, data: dict[str, Any]) -> Deck | None:
        header = data.get("deck")
        if not isinstance(header, dict):
            self.report("missing [deck] table", field="deck")
            header = {}
        deck_id = header.get("id")
        if not (isinstance(deck_id, str) and ID_PATTERN.fullmatch(deck_id)):
            self.report("must be lowercase letters, digits and dashes", field="deck.id")
        if not _text(header.get("title")):
            self.report("must be a non-empty string", field="deck.title")
        raw_cards = data.get("cards")
        if not isinstance(raw_cards, list) or not raw_cards:
            self.report("a deck needs at least one [[cards]] table", field="cards")
            raw_cards = []
        cards: list[Card] = []
        seen: set[str] = set()
        for index, raw in enumerate(raw_cards):
            card = self.card(raw, index, str(deck_id))
            if card is None:
                continue
            if card.id in seen:
                self.report("duplicate card id in this deck", card=card.id, field="id")
            seen.add(card.id)
            cards.append(card)
        if self.problems:
            return None
        return Deck(
            id=str(deck_id),
            title=header["title"].strip(),
            description=str(header.get("description", "")).strip(),
            path=self.path,
            cards=tuple(cards),
        )

    def card(self, raw: Any, index: int, deck_id: str) -> Card | None:
        if not isinstance(raw, dict):
            self.report(f"card #{index + 1} is not a table", field="cards")
            return None
        card_id = raw.get("id")
        if not (isinstance(card_id, str) and ID_PATTERN.fullmatch(card_id)):
            self.report(f"card #{index + 1}: must be lowercase letters, digits and dashes", field="id")
            return None
        before = len(self.problems)
        kind = raw.get("kind")
        if kind not in (CardKind.CHOICE, CardKind.RECALL):
            self.report(f"unknown kind {kind!r}; use 'choice' or 'recall'", card=card_id, field="kind")
        strings = ["situation", "prompt", "principle", "explanation"]
        for name in strings:
            self._check_text(raw, name, card_id)
        self._check_code(raw, "topic", self.taxonomy.topics, card_id)
        self._check_code(raw, "move", self.taxonomy.moves, card_id)
        self._check_code(raw, "context", self.taxonomy.contexts, card_id)
        self._check_choice(raw, "power", POWERS, card_id)
        self._check_choice(raw, "horizon", HORIZONS, card_id)
        self._check_choice(raw, "evidence", EVIDENCE_LEVELS, card_id)
        difficulty = raw.get("difficulty")
        if type(difficulty) is not int or difficulty not in (1, 2, 3):
            self.report("must be 1, 2 or 3", card=card_id, field="difficulty")
        sources = self._check_keys(raw, "sources", self.references, card_id, required=True)
        ideas = self._check_keys(raw, "ideas", self.taxonomy.ideas, card_id, required=False)
        options: tuple[Option, ...] = ()
        if kind == CardKind.CHOICE:
            options = self._options(raw.get("options"), card_id)
            if "answer" in raw:
                self.report("choice cards have options, not an answer", card=card_id, field="answer")
        elif kind == CardKind.RECALL:
            self._check_text(raw, "answer", card_id)
            if "options" in raw:
                self.report("recall cards have an answer, not options", card=card_id, field="options")
        self._check_teaching_fields(raw, card_id, kind)
        known = {*strings, "id", "kind", "topic", "move", "context", "power", "horizon", "evidence"}
        known |= {"difficulty", "sources", "ideas", "options", "answer", *_TEACHING_FIELDS}
        for name in raw.keys() - known:
            self.report("unknown field", card=card_id, field=name)
        if len(self.problems) > before:
            return None
        return Card(
            id=CardId(card_id),
            kind=CardKind(str(kind)),
            deck_id=deck_id,
            topic=raw["topic"],
            move=raw["move"],
            context=raw["context"],
            power=raw["power"],
            horizon=raw["horizon"],
            difficulty=int(str(difficulty)),
            situation=_clean(raw["situation"]),
            prompt=_clean(raw["prompt"]),
            principle=_clean(raw["principle"]),
            explanation=_clean(raw["explanation"]),
            evidence=raw["evidence"],
            sources=sources,
            ideas=ideas,
            options=options,
            answer=_clean(raw.get("answer", "")),
            response=raw.get("response", ""),
            finding_evidence=raw.get("finding_evidence", ""),
            contrast=raw.get("contrast", ""),
            contrast_fact=_clean(raw.get("contrast_fact", "")),
            bank=self.bank,
        )

    def _check_teaching_fields(self, raw: dict[str, Any], card_id: str, kind: Any) -> None:
        """The optional fields that say what a card teaches: key type, finding level, contrast pair."""
        if "response" in raw:
            if kind != CardKind.CHOICE:
                self.report("only choice cards have a response type", card=card_id, field="response")
            else:
                self._check_choice(raw, "response", RESPONSES, card_id)
        if "finding_evidence" in raw:
            self._check_choice(raw, "finding_evidence", EVIDENCE_LEVELS, card_id)
            finding, advice = raw.get("finding_evidence"), raw.get("evidence")
            if finding in EVIDENCE_LEVELS and advice in EVIDENCE_LEVELS and finding >= advice:
                self.report(
                    "must be stronger than `evidence` (leave it out when they are the same)",
                    card=card_id,
                    field="finding_evidence",
                )
        if "contrast" not in raw and "contrast_fact" not in raw:
            return
        partner = raw.get("contrast")
        if not (isinstance(partner, str) and ID_PATTERN.fullmatch(partner)) or partner == card_id:
            self.report("must be the id of another card", card=card_id, field="contrast")
        if self.bank:
            self.report("quiz-bank items have no contrast pair", card=card_id, field="contrast")
        self._check_text(raw, "contrast_fact", card_id)
        fact, situation = raw.get("contrast_fact"), raw.get("situation")
        if (
            isinstance(fact, str)
            and isinstance(situation, str)
            and _text(fact)
            and _clean(fact) not in _clean(situation)
        ):
            self.report("must be copied word for word from the situation", card=card_id, field="contrast_fact")

    def _check_text(self, raw: dict[str, Any], name: str, card_id: str, field: str | None = None) -> None:
        field = field or name
        value = raw.get(name)
        if value is None:
            self.report("missing", card=card_id, field=field)
        elif not isinstance(value, str):
            self.report("must be a string", card=card_id, field=field)
        elif not _text(value):
            self.report("is empty", card=card_id, field=field)
        elif _CONTROL.search(value):
            self.report("contains control characters", card=card_id, field=field)
        elif name in WORD_LIMITS and len(value.split()) > WORD_LIMITS[name]:
            words = len(value.split())
            self.report(f"has {words} words; at most {WORD_LIMITS[name]}", card=card_id, field=field)

    def _check_code(self, raw: dict[str, Any], name: str, codes: dict[str, Any], card_id: str) -> None:
        value = raw.get(name)
        if value is None:
            self.report("missing", card=card_id, field=name)
        elif not isinstance(value, str) or value not in codes:
            self.report(f"unknown code {value!r} (see taxonomy.toml)", card=card_id, field=name)

    def _check_choice(self, raw: dict[str, Any], name: str, allowed: tuple[str, ...], card_id: str) -> None:
        value = raw.get(name)
        if value not in allowed:
            shown = "missing" if value is None else f"{value!r} is not allowed"
            self.report(f"{shown}; use one of {', '.join(allowed)}", card=card_id, field=name)

    def _check_keys(
        self, raw: dict[str, Any], name: str, known: dict[str, Any], card_id: str, *, required: bool
    ) -> tuple[str, ...]:
        value = raw.get(name, None if required else [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.report("must be a list of strings", card=card_id, field=name)
            return ()
        if required and not value:
            self.report("needs at least one key", card=card_id, field=name)
        for key in value:
            if key not in known:
                self.report(f"unknown key {key!r}", card=card_id, field=name)
        return tuple(value)

    def _options(self, raw_options: Any, card_id: str) -> tuple[Option, ...]:
        if not isinstance(raw_options, list) or not 3 <= len(raw_options) <= 4:
            self.report("a choice card needs 3 or 4 options", card=card_id, field="options")
            return ()
        options: list[Option] = []
        for index, raw in enumerate(raw_options):
            where = f"options[{index + 1}]"
            if not isinstance(raw, dict):
                self.report("must be a table", card=card_id, field=where)
                continue
            option_id = raw.get("id")
            if option_id not in OPTION_IDS:
                self.report("must be one letter from a to h", card=card_id, field=f"{where}.id")
            for name in ("text", "feedback"):
                self._check_text(raw, name, card_id, field=f"{where}.{name}")
            quality = raw.get("quality")
            if type(quality) is not int or not 0 <= quality <= BEST_QUALITY:
                self.report("must be an integer from 0 to 3", card=card_id, field=f"{where}.quality")
                continue
            mistake = raw.get("mistake")
            if quality < BEST_QUALITY and not (isinstance(mistake, str) and mistake in self.taxonomy.mistakes):
                self.report(
                    f"a weak option needs a defined mistake code, got {mistake!r}",
                    card=card_id,
                    field=f"{where}.mistake",
                )
            if quality == BEST_QUALITY and mistake is not None:
                self.report("the best option has no mistake code", card=card_id, field=f"{where}.mistake")
            for name in raw.keys() - {"id", "text", "quality", "mistake", "feedback"}:
                self.report("unknown field", card=card_id, field=f"{where}.{name}")
            if isinstance(option_id, str) and _text(raw.get("text")) and _text(raw.get("feedback")):
                text, feedback = _clean(raw["text"]), _clean(raw["feedback"])
                options.append(Option(option_id, text, quality, feedback, mistake))
        best = sum(o.is_best for o in options)
        if len(options) == len(raw_options) and best != 1:
            self.report(f"exactly one option must have quality 3, found {best}", card=card_id, field="options")
        if len({o.id for o in options}) != len(options):
            self.report("option ids repeat", card=card_id, field="options")
        if len({o.text.casefold() for o in options}) != len(options):
            self.report("two options have the same text", card=card_id, field="options")
        return tuple(options)


_TEACHING_FIELDS = ("response", "finding_evidence", "contrast", "contrast_fact")
