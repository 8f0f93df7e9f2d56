"""Serbian variants: ekavian (Serbia) and ijekavian (Bosnia and Herzegovina), each in two scripts.

An explicit choice (the language switcher, the account settings, the language cookie) is always
kept. Where the language only comes from the browser, Serbian becomes ijekavian for readers in
Bosnia and Herzegovina: the browser asks for ``sr-BA`` (``sr-Cyrl-BA``, ``sr-Latn-BA``), or the
signed-in user works for a municipality in BA.
"""

from django.conf import settings
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

EKAVIAN_TO_IJEKAVIAN = {"sr": "sr-ijekavsk", "sr-latn": "sr-latn-ijekavsk"}
IJEKAVIAN_COUNTRIES = frozenset({"ba"})


def is_latin_serbian(code):
    return (code or "").lower().startswith("sr-latn")


def ijekavian(code):
    """The ijekavian variant of a Serbian UI language (other languages unchanged)."""
    return EKAVIAN_TO_IJEKAVIAN.get((code or "").lower(), code)


def browser_language(accept_language):
    """The UI language the browser's Accept-Language asks for, with sr-BA → ijekavian; None if none
    fits."""
    for tag, _quality in parse_accept_lang_header(accept_language or ""):
        if tag == "*":
            break
        parts = tag.lower().split("-")
        if parts[0] == "sr" and parts[-1] in IJEKAVIAN_COUNTRIES and len(parts) > 1:
            return "sr-latn-ijekavsk" if "latn" in parts else "sr-ijekavsk"
        try:
            return get_supported_language_variant(tag)
        except LookupError:
            continue
    return None


def works_in_ijekavian_country(user):
    # through the user's reverse relation: core does not import accounts (the layering)
    return user.municipal_roles.filter(
        municipality__country__code__in=[c.upper() for c in IJEKAVIAN_COUNTRIES]
    ).exists()


def request_language(request, current):
    """The UI language for this request.

    ``current`` is what LocaleMiddleware chose. A signed-in user's saved language wins, then the
    language cookie (both explicit); otherwise the browser's, made ijekavian where the reader is in
    BA.
    """
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and user.language:
        return user.language
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return current
    language = browser_language(request.META.get("HTTP_ACCEPT_LANGUAGE", "")) or current
    if (
        language in EKAVIAN_TO_IJEKAVIAN
        and user is not None
        and user.is_authenticated
        and works_in_ijekavian_country(user)
    ):
        return ijekavian(language)
    return language
