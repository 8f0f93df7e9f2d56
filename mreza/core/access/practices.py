"""Step 5: good practices."""

RULES: dict = {}
