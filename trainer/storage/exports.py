"""Rows for the history exports: every answer with the phase it was given in, oldest first."""

from __future__ import annotations

from typing import Any

from trainer.model import Answer, Phase
from trainer.storage.store import Store, _answer


def answers_with_phase(store: Store) -> list[tuple[Answer, Phase]]:
    """Every readable answer, by time (then id), with its card's phase before it (unreadable rows skipped)."""

    def convert(row: dict[str, Any]) -> tuple[Answer, Phase]:
        return _answer(row), Phase(row["phase_before"])

    rows = store.db.query("select * from answers order by reviewed_at, id")
    return list(store._read("answers", rows, convert))
