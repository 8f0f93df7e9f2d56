"""What the public routers share: who asks (always an anonymous visitor: the public API answers
everyone the same, whatever session cookie comes along), and multilingual texts."""

from django.contrib.auth.models import AnonymousUser

from mreza.core.texts import localized


def public_user() -> AnonymousUser:
    """The public API asks the policy as an anonymous visitor: the same answer for everyone
    (cacheable, and no signed-in session widens it)."""
    return AnonymousUser()


def texts(value) -> dict[str, str]:
    """A stored multilingual text ({language: text}) as the API shows it: strings only."""
    if not isinstance(value, dict):
        return {"en": value} if isinstance(value, str) and value else {}
    return {str(k): v for k, v in value.items() if isinstance(v, str)}


def text(value) -> str:
    """The text in the request's language (the `Accept-Language` header)."""
    shown = localized(value)
    return shown if isinstance(shown, str) else ""
