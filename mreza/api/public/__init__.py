"""The public read API (no account): one router module per domain, mounted by `api.py` in this
order; a new domain adds its module and its line here."""

from mreza.api.public import evaluations, events, frameworks, practices, registry, results, surveys

ROUTERS: list = [
    ("", registry.router),
    ("", frameworks.router),
    ("", results.router),
    ("", surveys.router),
    ("", evaluations.router),
    ("", practices.router),
    ("", events.router),
]
