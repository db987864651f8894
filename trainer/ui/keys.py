"""The keyboard table, shown by the F1 overlay and listed in the README."""

KEYS: tuple[tuple[str, str], ...] = (
    ("S", "Start studying (from home)"),
    ("1 to 4", "Choose an option; after the feedback, rate Again / Hard / Good / Easy"),
    ("Space / Enter", "Show the answer of a recall card; accept the suggested rating"),
    ("Ctrl+Z", "Undo the last answer"),
    ("Esc", "Go home (or close this help)"),
    ("F1", "Show or hide this keyboard help"),
    ("Ctrl+Q", "Quit"),
)
