"""Serbian text in the reader's script, as the pages show it (the `|script` filter).

Texts are stored as typed, in one script. A Serbian request language chooses the script the API
answers in: `sr-latn` and `sr-latn-ijekavsk` (e.g. `Accept-Language: sr-Latn`) read Latin, `sr`
and `sr-ijekavsk` (also `sr-Cyrl`) read Cyrillic. Other languages get the text as stored: unlike a
page, whose English or Bosnian reader reads Latin, a program asking in English may want the
original (and Bulgarian stays Bulgarian). Codes, addresses, e-mails and names of files are never
converted; municipality names keep their official spelling beside `name_latin`.
"""

from django.utils import translation

from mreza.core import richtext
from mreza.core.templatetags.mreza import script


def serbian_reader() -> bool:
    """Whether the request's language (chosen by LocaleMiddleware) is one of the Serbian ones."""
    return (translation.get_language() or "").lower().startswith("sr")


def shown(value: str | None) -> str:
    """User-written text in the reader's script for a Serbian request; as stored otherwise."""
    if not value:
        return value or ""
    return str(script(value)) if serbian_reader() else value


def shown_or_none(value: str | None) -> str | None:
    return None if value is None else shown(value)


def shown_html(sanitised: str) -> str:
    """Sanitised HTML with its text (not its tags, attributes or entities) in the reader's
    script."""
    if not sanitised or not serbian_reader():
        return sanitised or ""
    return richtext.in_script(sanitised, shown)
