"""The keyboard table, shown by the F1 overlay and listed in the README."""

KEYS: tuple[tuple[str, str], ...] = (
    ("S", "Start studying (from home)"),
    ("Q", "Take the self-assessment quiz (from home); resume one left mid-way"),
    ("T", "Statistics (from home, the browser or between cards)"),
    ("B", "Browse the cards (from home, the statistics or between cards)"),
    ("R", "Negotiation rounds (from home); resume one left mid-way"),
    ("Ctrl+,", "Settings"),
    ("1 to 4", "Choose an option; after the feedback, rate Again / Hard / Good / Easy"),
    ("1 to 6", "In the quiz, after choosing: how sure you are, from chance (25%) to 100%"),
    ("1 to 8, W / F", "In a round: choose a move, make it warm or firm; in the debrief P, N, G"),
    ("Space / Enter", "Show the answer of a recall card; accept the suggested rating"),
    ("Ctrl+Z / Backspace", "Take back the choice just made (before rating); otherwise undo the last answer"),
    ("Esc", "Go home (or close this help)"),
    ("F1", "Show or hide this keyboard help"),
    ("Ctrl+Q", "Quit"),
)
