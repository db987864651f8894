"""Domain values: cards, decks, answers and settings. No I/O, no Qt, no SQL."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any, Generic, NewType, Protocol, TypeVar, cast

CardId = NewType("CardId", str)
T = TypeVar("T")


class CardKind(enum.StrEnum):
    """Choice cards have options to pick from; recall cards have an answer the learner grades themself on."""

    CHOICE = "choice"
    RECALL = "recall"


class Quality(enum.IntEnum):
    """How good an option is (content/README.md has the rubric)."""

    HARMFUL = 0
    WEAK = 1
    ACCEPTABLE = 2
    BEST = 3


BEST_QUALITY = Quality.BEST


class Theme(enum.StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


class QuizMode(enum.StrEnum):
    """Exam shows the feedback only in the report; practice after each item."""

    EXAM = "exam"
    PRACTICE = "practice"


class QuizFormat(enum.StrEnum):
    """Single best option, or the best and the worst (content brief §4.2)."""

    BEST = "best"
    BEST_WORST = "best-worst"


class ItemSource(enum.StrEnum):
    """Where a quiz item came from: the held-out bank, or the study deck."""

    BANK = "bank"
    DECK = "deck"


class AttemptState(enum.StrEnum):
    OPEN = "open"
    FINISHED = "finished"
    DISCARDED = "discarded"


class Rating(enum.IntEnum):
    """How well the learner knew a card; the values match FSRS's ratings."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


class Phase(enum.IntEnum):
    """Where a card is in its life; the values match FSRS's states, plus NEW."""

    NEW = 0
    LEARNING = 1
    REVIEW = 2
    RELEARNING = 3


@dataclass(frozen=True, slots=True)
class Option:
    """One response of a choice card."""

    id: str
    text: str
    quality: int
    feedback: str
    mistake: str | None = None

    @property
    def is_best(self) -> bool:
        return self.quality == BEST_QUALITY


@dataclass(frozen=True, slots=True)
class CardText:
    """What a card says: its situation, options and teaching (loaded when the card is first read)."""

    situation: str
    prompt: str
    principle: str
    explanation: str
    evidence: str
    sources: tuple[str, ...]
    ideas: tuple[str, ...] = ()
    options: tuple[Option, ...] = ()
    answer: str = ""
    response: str = ""
    finding_evidence: str = ""
    contrast_fact: str = ""


TEXT_FIELDS = tuple(f.name for f in fields(CardText))
INDEX_FIELDS = (
    "id",
    "kind",
    "deck_id",
    "topic",
    "move",
    "context",
    "power",
    "horizon",
    "difficulty",
    "contrast",
    "bank",
)


class _Text(Generic[T]):
    """A card attribute read from its text (which loads the text on first use)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, card: Card, owner: type | None = None) -> T:
        return cast(T, getattr(card.text, self.name))


class Card:
    """A situation card, as read from a deck file.

    What the card is about (id, kind, deck, topic, move, context, power, horizon, difficulty, contrast partner,
    held-out flag) is always in memory; what it says (`text`, see CardText) is given, or loaded by `load` when
    first read, so a large library costs little memory until its cards are shown. The text's fields read
    as the card's own (`card.situation`).
    """

    __slots__ = (*INDEX_FIELDS, "_text", "_load")

    id: CardId
    kind: str
    deck_id: str
    topic: str
    move: str
    context: str
    power: str
    horizon: str
    difficulty: int
    contrast: str
    bank: bool
    _text: CardText | None
    _load: Callable[[CardId], CardText] | None
    situation: _Text[str] = _Text()
    prompt: _Text[str] = _Text()
    principle: _Text[str] = _Text()
    explanation: _Text[str] = _Text()
    evidence: _Text[str] = _Text()
    sources: _Text[tuple[str, ...]] = _Text()
    ideas: _Text[tuple[str, ...]] = _Text()
    options: _Text[tuple[Option, ...]] = _Text()
    answer: _Text[str] = _Text()
    response: _Text[str] = _Text()
    finding_evidence: _Text[str] = _Text()
    contrast_fact: _Text[str] = _Text()

    def __init__(
        self,
        id: CardId,
        kind: str,
        deck_id: str,
        topic: str,
        move: str,
        context: str,
        power: str,
        horizon: str,
        difficulty: int,
        situation: str,
        prompt: str,
        principle: str,
        explanation: str,
        evidence: str,
        sources: tuple[str, ...],
        ideas: tuple[str, ...] = (),
        options: tuple[Option, ...] = (),
        answer: str = "",
        response: str = "",
        finding_evidence: str = "",
        contrast: str = "",
        contrast_fact: str = "",
        bank: bool = False,
    ):
        text = CardText(
            situation, prompt, principle, explanation, evidence, sources, ideas, options, answer, response,
            finding_evidence, contrast_fact,
        )  # fmt: skip
        self._fill((id, kind, deck_id, topic, move, context, power, horizon, difficulty, contrast, bank), text, None)

    @classmethod
    def indexed(cls, index: tuple[Any, ...], load: Callable[[CardId], CardText]) -> Card:
        """A card from its index values (in INDEX_FIELDS' order) whose text `load(card id)` gives when first read."""
        card = cls.__new__(cls)
        card._fill(index, None, load)
        return card

    def _fill(self, index: tuple[Any, ...], text: CardText | None, load: Callable[[CardId], CardText] | None) -> None:
        # The slots' own setters: a card is read-only to everyone else (see __setattr__). 50,000 cards at start.
        for slot, value in zip(_SLOTS, (*index, text, load), strict=True):
            slot.__set__(self, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a card cannot be changed (use replace): {name}")

    @property
    def text(self) -> CardText:
        text = self._text
        if text is None:
            assert self._load is not None  # a card is built with its text or with a way to load it
            text = self._load(self.id)
            _TEXT_SLOT.__set__(self, text)
        return text

    @property
    def text_loaded(self) -> bool:
        """Whether the card's text is in memory (given, or read since)."""
        return self._text is not None

    def index(self) -> tuple[Any, ...]:
        """The card's index values, in INDEX_FIELDS' order."""
        return tuple(getattr(self, name) for name in INDEX_FIELDS)

    def replace(self, **changes: Any) -> Card:
        """A copy with some fields changed (index or text fields alike)."""
        values = dict(zip(INDEX_FIELDS, self.index(), strict=True))
        values.update((name, getattr(self.text, name)) for name in TEXT_FIELDS)
        return Card(**(values | changes))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Card):
            return NotImplemented
        return self.index() == other.index() and self.text == other.text

    def __hash__(self) -> int:
        return hash(self.index())

    def __repr__(self) -> str:
        return f"Card(id={self.id!r}, kind={self.kind!r}, deck_id={self.deck_id!r}, topic={self.topic!r})"

    @property
    def best_option(self) -> Option | None:
        return next((o for o in self.options if o.is_best), None)

    def option(self, option_id: str) -> Option:
        return next(o for o in self.options if o.id == option_id)


_SLOTS = tuple(getattr(Card, name) for name in Card.__slots__)  # the member descriptors, in order
_TEXT_SLOT = _SLOTS[Card.__slots__.index("_text")]


@dataclass(frozen=True, slots=True)
class Deck:
    """A deck file that passed validation."""

    id: str
    title: str
    description: str
    path: str
    cards: tuple[Card, ...]
    bank: bool = False
    own: bool = False  # one of the learner's own decks (its card ids are "<deck id>/<card id>")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a content file, located as precisely as possible."""

    path: str
    message: str
    line: int | None = None
    card_id: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        path = self.path.encode("unicode_escape").decode("ascii") if not self.path.isprintable() else self.path
        where = path if self.line is None else f"{path}:{self.line}"
        parts = [where]
        if self.card_id:
            parts.append(f"card {self.card_id}")
        if self.field:
            parts.append(self.field)
        return ": ".join([*parts, self.message])


@dataclass(frozen=True, slots=True)
class Mistake:
    code: str
    name: str
    remedy: str


@dataclass(frozen=True, slots=True)
class Reference:
    """A source a card cites: the full citation and a short form for the study screen."""

    key: str
    citation: str
    short: str


@dataclass(frozen=True, slots=True)
class Taxonomy:
    """The codes decks may use (content/taxonomy.toml)."""

    topics: dict[str, str]
    moves: dict[str, str]
    contexts: dict[str, str]
    mistakes: dict[str, Mistake]
    ideas: dict[str, str]


class TextIndex(Protocol):
    """Searching cards by what they say (the content cache's index does it without reading every card's text)."""

    def matching(self, query: str) -> set[CardId]:
        """Cards whose id or text contains `query`, in any case."""
        ...


@dataclass(frozen=True, slots=True)
class Library:
    """Everything loaded from a content folder: valid decks and what was skipped."""

    taxonomy: Taxonomy
    references: dict[str, Reference]
    decks: tuple[Deck, ...]
    problems: tuple[Problem, ...] = ()
    cards: dict[CardId, Card] = field(default_factory=dict)
    bank: dict[CardId, Card] = field(default_factory=dict)
    text_index: TextIndex | None = field(default=None, compare=False, repr=False)  # the content cache's, if any

    def skipped_decks(self) -> dict[str, list[Problem]]:
        """Problems grouped by the file that was skipped because of them."""
        grouped: dict[str, list[Problem]] = {}
        for problem in self.problems:
            grouped.setdefault(problem.path, []).append(problem)
        return grouped


class SettingsError(ValueError):
    """A setting's value is missing its type or outside its range; the message names it."""


@dataclass(frozen=True, slots=True)
class Settings:
    """The learner's preferences; every value has a range checked by the store."""

    desired_retention: float = 0.90
    new_per_day: int = 20
    max_reviews_per_day: int = 200
    day_start_hour: int = 4
    theme: str = "system"
    text_size: int = 0


THEMES = tuple(Theme)
# name -> (type, lowest, highest); text_size is points added to the system font size.
SETTING_RANGES: dict[str, tuple[type, float, float]] = {
    "desired_retention": (float, 0.70, 0.97),
    "new_per_day": (int, 0, 500),
    "max_reviews_per_day": (int, 1, 9999),
    "day_start_hour": (int, 0, 23),
    "text_size": (int, -4, 12),
}


def parse_settings(values: dict[str, object]) -> Settings:
    """Build Settings from raw values (numbers or their text); raise SettingsError naming the bad one."""
    checked: dict[str, object] = {}
    for name, raw in values.items():
        if name == "theme":
            if raw not in THEMES:
                raise SettingsError(f"theme: {raw!r} is not one of {', '.join(THEMES)}")
            checked[name] = raw
            continue
        if name not in SETTING_RANGES:
            raise SettingsError(f"{name}: unknown setting")
        kind, low, high = SETTING_RANGES[name]
        try:
            value = _number(raw, kind)
        except (TypeError, ValueError, OverflowError):
            raise SettingsError(f"{name}: {raw!r} is not a valid {kind.__name__}") from None
        if not low <= value <= high:
            raise SettingsError(f"{name}: {value} is outside {low:g} to {high:g}")
        checked[name] = value
    return Settings(**checked)  # type: ignore[arg-type]  # each value was checked against its range above


def _number(raw: object, kind: type) -> float | int:
    if isinstance(raw, bool):
        raise TypeError(raw)
    if kind is int:
        if isinstance(raw, float) and not raw.is_integer():
            raise ValueError(raw)
        return int(raw) if isinstance(raw, (int, float)) else int(str(raw).strip())
    value = float(raw) if isinstance(raw, (int, float)) else float(str(raw).strip())
    if value != value:  # NaN
        raise ValueError(raw)
    return value


@dataclass(frozen=True, slots=True)
class CardState:
    """A card's FSRS memory state. `json` is FSRS's own document, read back only by the study layer; the
    scheduler copies the other fields out of it, so the store keeps them as plain columns."""

    json: str
    phase: Phase
    due: datetime
    stability: float | None = None
    difficulty: float | None = None
    last_review: datetime | None = None

    @property
    def interval_days(self) -> float | None:
        """The interval the card is scheduled for, in days (None before its first review)."""
        return None if self.last_review is None else (self.due - self.last_review) / timedelta(days=1)


@dataclass(frozen=True, slots=True)
class Schedule:
    """A studied card's stored state."""

    card_id: CardId
    state: CardState


@dataclass(frozen=True, slots=True)
class Answer:
    """One recorded answer: what was chosen, the rating, and the state around it."""

    card_id: CardId
    reviewed_at: datetime
    rating: Rating
    duration_ms: int
    state_before: str | None
    state_after: str
    option_id: str | None = None
    quality: int | None = None
    id: int | None = None
    interval_days: float | None = None  # the interval the card had been scheduled for (None if it was new)


@dataclass(frozen=True, slots=True)
class QuizAttempt:
    """One self-assessment quiz attempt; `score` is the mean item score of a finished one."""

    id: int
    started_at: datetime
    mode: str
    topics: tuple[str, ...]
    length: int
    status: str
    finished_at: datetime | None = None
    score: float | None = None
    answered: int = 0
    format: str = "best"
    include_studied: bool = False


@dataclass(frozen=True, slots=True)
class QuizItem:
    """One planned item of an attempt: the card, its source and the option order shown; the answer once given.

    `source` is "bank" (a held-out item) or "deck" (a study card); `worst_id` is the option chosen as worst
    in the best-and-worst format; `score` is the 0–1 item score (None on items answered before it was stored).
    """

    id: int
    attempt_id: int
    position: int
    card_id: CardId
    option_order: tuple[str, ...]
    option_id: str | None = None
    quality: int | None = None
    confidence: int | None = None
    duration_ms: int | None = None
    source: str = "deck"
    worst_id: str | None = None
    score: float | None = None


@dataclass(frozen=True, slots=True)
class CardTally:
    """A card's answer history in brief: answers, lapses (Again on a review), and the last rating."""

    reviews: int
    lapses: int
    last_rating: Rating
    last_reviewed: datetime
