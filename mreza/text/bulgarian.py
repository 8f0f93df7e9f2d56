"""Bulgarian Cyrillic → Latin by the Transliteration Act (Закон за транслитерацията, 2009).

The Act is one-way (ъ and а both give a), so there is no Latin → Cyrillic counterpart.
Clusters дж → dzh, дз → dz, ьо/йо → yo follow from the letter table and need no rule.
"""

import re

from .casing import NO_LETTER_BEFORE, NOT_LETTER, caps_context_re

_LETTERS = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya",
    "ѝ": "i",  # the pronoun "her", an и with a grave accent
}  # fmt: skip

_BG_TO_LAT = str.maketrans(
    _LETTERS | {cyr.upper(): lat.capitalize() for cyr, lat in _LETTERS.items()}
)
_ALL_CAPS_FORMS = {cyr.upper(): lat.upper() for cyr, lat in _LETTERS.items() if len(lat) > 1}
_MULTI_LETTER_CAPITAL_IN_CAPS_RE = caps_context_re("".join(_ALL_CAPS_FORMS))

# Art. 5: "ия" at the end of a word is "ia" (София → Sofia), elsewhere "iya" (Марияна → Mariyana).
_FINAL_IA_RE = re.compile(rf"[иИ][яЯ]{NOT_LETTER}")
_FINAL_IA = {"ия": "ia", "иЯ": "iA", "Ия": "Ia", "ИЯ": "IA"}

# Art. 6: the name of the state keeps its traditional spelling.
_BULGARIA_RE = re.compile(rf"{NO_LETTER_BEFORE}българия{NOT_LETTER}", re.IGNORECASE)


def _bulgaria(match: re.Match[str]) -> str:
    name = match.group()
    if name.isupper():
        return "BULGARIA"
    return "Bulgaria" if name[0].isupper() else "bulgaria"


def bg_to_lat(text: str) -> str:
    """Bulgarian Cyrillic → Latin; every other character is left as it is."""
    text = _BULGARIA_RE.sub(_bulgaria, text)
    text = _FINAL_IA_RE.sub(lambda m: _FINAL_IA[m.group()], text)
    text = _MULTI_LETTER_CAPITAL_IN_CAPS_RE.sub(lambda m: _ALL_CAPS_FORMS[m.group()], text)
    return text.translate(_BG_TO_LAT)
