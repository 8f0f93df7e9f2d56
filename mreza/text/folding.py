"""Search keys that ignore script, diacritics, case and punctuation.

fold() maps Serbian Latin, Serbian Cyrillic, Bulgarian Cyrillic and the ASCII spellings people
type for all three onto one key. It is lossy on purpose and only for comparing, never for
display or storage. The equivalences, each applied to query and text alike:

- č ć ц ч ћ c ts ch → "ts": Serbian writes ц as c and Bulgarian as ts, and č is typed c or ch.
  "ts" rather than "c" so that a query being typed ("T", "Ts") already matches "Tsarevo".
- ž ж zh → "z", š ш sh → "s", щ sht → "st": h after z or s is dropped.
- đ ђ dj → "d": Đurđevik is typed Djurdjevik or Durdevik, and both must find it. The price
  is that "gdje" and "gde" (ijekavian and ekavian) fold alike, which helps more than it hurts.
- dž џ дж dzh → "dz".
- y → j, and j after i is dropped: Bulgarian София (Sofia by law), Sofiya and the Serbian
  Софија / Sofija all become "sofia"; Марияна, Mariyana and Marijana all become "mariana".
- ъ → "a" as the law says, except that България folds like its legal spelling "Bulgaria".
- Other Latin diacritics go (é → e, ä → a), as do apostrophes (O'Brien → obrien); every other
  run of non-word characters, hyphens included, becomes one space.
"""

import re
import unicodedata

from .casing import NO_LETTER_BEFORE, NOT_LETTER

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "d", "е": "e", "ж": "z",
    "з": "z", "и": "i", "й": "j", "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m",
    "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "ћ": "ts",
    "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ts", "џ": "dz", "ш": "s", "щ": "st",
    "ъ": "a", "ь": "j", "ю": "ju", "я": "ja",
    # neighbours' letters that turn up in names
    "ы": "i", "э": "e", "є": "je", "і": "i", "ґ": "g", "ѕ": "dz",
}  # fmt: skip
# Latin letters that NFKD does not take apart.
_LATIN = {
    "c": "ts", "y": "j", "đ": "d", "ð": "d", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe",
    "þ": "th", "ı": "i", "ħ": "h", "ŧ": "t",
}  # fmt: skip
_APOSTROPHES = "'’‘ʼ`"
_FOLD_TABLE = str.maketrans(_CYRILLIC | _LATIN | dict.fromkeys(_APOSTROPHES))
_COMBINING_DIACRITICS_RE = re.compile(
    "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+"
)
_BULGARIA_RE = re.compile(f"{NO_LETTER_BEFORE}българия{NOT_LETTER}")
_SHORT_I = "и\u0306"  # NFKD splits й; put it back so that it folds to j, not i
# Deleting these never creates a new match, so one pass leaves a key that folds to itself.
# Each branch starts with a literal so that re can skip to the h and j.
_SILENT_LETTERS_RE = re.compile(r"h(?<=[zs]h)h*|j(?<=[di]j)j*")
_SEPARATORS_RE = re.compile(r"[\W_]+")
# ASCII text, the usual case once diacritics are gone, goes through bytes.translate, which is
# many times faster than str.translate with a dict.
_ASCII_TABLE = bytes(
    ord(char.lower()) if char.isascii() and char.isalnum() else ord(" ")
    for char in map(chr, range(256))
)
_ASCII_APOSTROPHES = b"'`"


def _decompose(text: str) -> str:
    # NFKD before casefold turns ℌ into H and then h; the second NFKD decomposes whatever
    # casefold produced.
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    text = text.replace(_SHORT_I, "й")
    if "българия" in text:
        text = _BULGARIA_RE.sub("bulgaria", text)
    return _COMBINING_DIACRITICS_RE.sub("", text).replace("đ", "d")


def fold(text: str) -> str:
    """Search key for `text`; see the module docstring for what it treats as equal."""
    if not text.isascii():
        text = _decompose(text)
    if text.isascii():
        text = text.encode().translate(_ASCII_TABLE, _ASCII_APOSTROPHES).decode()
        text = text.replace("c", "ts").replace("y", "j")
    else:
        text = _SEPARATORS_RE.sub(" ", text.translate(_FOLD_TABLE))
    return " ".join(_SILENT_LETTERS_RE.sub("", text).split())


def fold_query_matches(query: str, text: str) -> bool:
    """Whether every word of the folded query occurs in the folded text (an empty query does)."""
    folded_text = fold(text)
    return all(token in folded_text for token in fold(query).split())


_DOUBLE_I_RE = re.compile(r"i+")


def search_key(text: str) -> str:
    """What a stored name is searched by: its fold, plus a second spelling when j could be i.

    Bulgarian я, ю and ь are y in the legal transliteration (Smolyan) and folded as j, but people
    also type them as i (Smolian, Tiutiunche); Serbian љ/њ are typed li/ni by foreigners. The
    second form, with every j read as i, lets both spellings find the name. Queries are folded
    with fold() only, so a query matches if it occurs in either form.
    """
    key = fold(text)
    alternative = _DOUBLE_I_RE.sub("i", key.replace("j", "i")) if "j" in key else ""
    return " ".join(dict.fromkeys(key.split() + alternative.split()))
