"""Which script a Serbian text is written in, and showing it in the reader's script."""

import re

from .serbian import cyr_to_lat, lat_to_cyr

CYRILLIC = "cyrl"
LATIN = "latn"

_NOT_CYRILLIC_RE = re.compile(r"[^\u0400-\u0481\u048A-\u052F]+")
_NOT_LATIN_RE = re.compile(r"[^A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u024F\u1E00-\u1EFF]+")


def detect_script(text: str) -> str:
    """Return "cyrl" or "latn", whichever has more letters in `text`; "" if neither has more."""
    cyrillic = len(_NOT_CYRILLIC_RE.sub("", text))
    latin = len(_NOT_LATIN_RE.sub("", text))
    if cyrillic > latin:
        return CYRILLIC
    if latin > cyrillic:
        return LATIN
    return ""


def to_script(text: str, script: str) -> str:
    """Serbian `text` in `script` ("cyrl" or "latn", ISO 15924, any case).

    Text already mostly in that script is returned untouched: the odd word its author wrote
    in the other script (a brand name in Latin inside Cyrillic text) was written so on purpose.
    Serbian only; Bulgarian goes through bg_to_lat.
    """
    script = script.lower()
    if script not in (CYRILLIC, LATIN):
        raise ValueError(f"script must be {CYRILLIC!r} or {LATIN!r}, not {script!r}")
    if detect_script(text) == script:
        return text
    return lat_to_cyr(text) if script == CYRILLIC else cyr_to_lat(text)
