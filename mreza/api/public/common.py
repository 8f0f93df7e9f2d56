"""What the public routers share: who asks (always an anonymous visitor: the public API answers
everyone the same, whatever session cookie comes along), and multilingual texts."""

from mreza.api.scripts import shown
from mreza.core.texts import localized


def texts(value) -> dict[str, str]:
    """A stored multilingual text ({language: text}) as the API shows it: strings only."""
    if not isinstance(value, dict):
        return {"en": value} if isinstance(value, str) and value else {}
    return {str(k): v for k, v in value.items() if isinstance(v, str)}


def text(value) -> str:
    """The text in the request's language (the `Accept-Language` header); Serbian in the
    script it asks for (a Serbian version may have been written in either)."""
    chosen = localized(value)
    return shown(chosen) if isinstance(chosen, str) else ""
