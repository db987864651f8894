"""Synthetic content and review histories of a chosen size, for the benchmark (not timed)."""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from trainer.library.loading import load_library
from trainer.model import Answer, CardId, Phase, Rating, Schedule
from trainer.storage.store import Store
from trainer.study.days import learning_day
from trainer.study.scheduling import Scheduler

CHUNK = 50_000  # answers written per transaction while building
CARDS_PER_DECK = 250  # keeps each synthetic deck file well under the loader's size limit
RATING_WEIGHTS = {Rating.AGAIN: 0.12, Rating.HARD: 0.08, Rating.GOOD: 0.70, Rating.EASY: 0.10}
_ID_LINE = re.compile(r'^id = "([a-z0-9-]+)"$', re.M)


@dataclass(frozen=True, slots=True)
class Size:
    name: str
    cards: int
    reviews: int


SIZES = {"S": Size("S", 500, 5_000), "M": Size("M", 10_000, 200_000), "L": Size("L", 50_000, 1_000_000)}


def build_content(source: Path, target: Path, cards: int) -> None:
    """Copy the bundled content and multiply its decks into `cards` cards with fresh ids."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("decks", "*.md"))
    (target / "decks").mkdir()
    bodies = []
    for path in sorted((source / "decks").glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        bodies.append(text[text.index("[[cards]]") :].split("\n[[cards]]\n"))
    blocks = [b if b.startswith("[[cards]]") else "[[cards]]\n" + b for body in bodies for b in body]
    made = 0
    deck = 0
    while made < cards:
        count = min(CARDS_PER_DECK, cards - made)
        parts = [f'[deck]\nid = "bench-{deck:04d}"\ntitle = "Bench deck {deck}"\n']
        for index in range(count):
            block = blocks[(made + index) % len(blocks)]
            parts.append(_ID_LINE.sub(f'id = "bench-{made + index:06d}"', block, count=1))
        (target / "decks" / f"bench-{deck:04d}.toml").write_text("\n".join(parts), encoding="utf-8")
        made += count
        deck += 1


def build_history(content: Path, data_dir: Path, reviews: int, now: datetime, seed: int = 7) -> None:
    """Write `reviews` answers spread over the past year, scheduled by the real FSRS, into a new database."""
    rng = random.Random(seed)
    library = load_library(content)
    card_ids = sorted(library.cards)
    rng.shuffle(card_ids)
    per_card = max(reviews // len(card_ids), 1)
    scheduler = Scheduler(fuzzing=False)
    ratings, weights = list(RATING_WEIGHTS), list(RATING_WEIGHTS.values())
    answers: list[tuple[Answer, Phase, date]] = []
    schedules: list[Schedule] = []
    remaining = reviews
    store = Store.open(data_dir)
    for position, card_id in enumerate(card_ids):
        if remaining <= 0:
            break
        if len(answers) >= CHUNK:
            store.import_history(answers, schedules)
            answers, schedules = [], []
        count = min(remaining, per_card + (1 if position < reviews % len(card_ids) else 0))
        start = now - timedelta(days=365 * rng.random() + 1)
        moments = sorted(start + (now - start) * rng.random() for _ in range(count))
        state = None
        for moment in moments:
            rating = rng.choices(ratings, weights)[0]
            after = scheduler.review(card_id, state, rating, moment, 8000)
            answer = Answer(
                CardId(card_id), moment, rating, rng.randint(2000, 40000), state.json if state else None, after.json
            )
            answers.append((answer, state.phase if state else Phase.NEW, learning_day(moment, UTC, 4)))
            state = after
        assert state is not None  # every card gets at least one review
        schedules.append(Schedule(CardId(card_id), state))
        remaining -= count
    store.import_history(answers, schedules)
    store.close()
