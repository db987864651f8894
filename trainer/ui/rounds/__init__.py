"""The negotiation-rounds screens: a round, the debrief, progress over games, and their navigation."""
