"""The content: deck files, the quiz bank, the taxonomy and references, their cache, coverage and audit."""

from trainer.library.loading import bundled_deck_files, deck_files, load_deck, load_library
from trainer.library.toml_files import ContentError, read_toml

__all__ = ["ContentError", "bundled_deck_files", "deck_files", "load_deck", "load_library", "read_toml"]
