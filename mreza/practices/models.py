"""Good practices."""
