"""The API: a user's own access tokens."""

RULES: dict = {}
