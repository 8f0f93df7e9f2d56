"""Step 5: events and the annual conference."""

RULES: dict = {}
