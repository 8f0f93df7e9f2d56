"""Events and the annual conference."""
