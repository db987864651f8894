"""Deck switches (table `deck_switches`): the decks the learner turned off. A deck with no row is on."""

from __future__ import annotations

from trainer.storage.store import Store


class DeckSwitches:
    """The SQL behind turning a deck off and on; history is never touched."""

    def __init__(self, store: Store):
        self.store = store

    def disabled(self) -> set[str]:
        """The ids of the decks turned off."""
        rows = self.store.db.query("select deck_id from deck_switches where enabled = 0")
        return {str(row["deck_id"]) for row in rows}

    def set_enabled(self, deck_id: str, enabled: bool) -> None:
        """Turn a deck on or off, durably."""
        with self.store.transaction():
            self.store.db.table("deck_switches").upsert({"deck_id": deck_id, "enabled": int(enabled)}, pk="deck_id")
