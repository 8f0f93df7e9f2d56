"""Serbian Cyrillic ↔ Gaj Latin transliteration (also right for Bosnian and Montenegrin).

Cyrillic → Latin is deterministic. Latin → Cyrillic is not: a digraph can be two letters
(injekcija → инјекција), and Latin text carries foreign words, Roman numerals, addresses and
handles that must stay Latin. The word lists live in serbian_exceptions.py.

Deliberately not done: ASCII "dj" is never read as đ (it is two letters in gdje, odjel, and
in ijekavian text that is common), so "Djurdjevac" becomes Дјурдјевац; write Đ (or Ð) for Ђ.
"""

import re
import unicodedata

from .casing import LETTER, caps_context_re
from .keep_latin import latin_only_spans
from .serbian_exceptions import PREFIXES_ENDING_IN_D, ROOTS_STARTING_WITH_Ž, SPLIT_DIGRAPH_STEMS

_CYRILLIC_LETTERS = "абвгдђежзијклљмнњопрстћуфхцчџш"
_LATIN_LETTERS = [
    "a",
    "b",
    "v",
    "g",
    "d",
    "đ",
    "e",
    "ž",
    "z",
    "i",
    "j",
    "k",
    "l",
    "lj",
    "m",
    "n",
    "nj",
    "o",
    "p",
    "r",
    "s",
    "t",
    "ć",
    "u",
    "f",
    "h",
    "c",
    "č",
    "dž",
    "š",
]
if not len(_CYRILLIC_LETTERS) == len(_LATIN_LETTERS) == 30:
    raise ImportError("the Serbian alphabet tables must have 30 letters each")

# --- Cyrillic → Latin -----------------------------------------------------------------------

_CYR_TO_LAT = str.maketrans(
    dict(zip(_CYRILLIC_LETTERS, _LATIN_LETTERS, strict=True))
    | {
        cyr.upper(): lat.capitalize()
        for cyr, lat in zip(_CYRILLIC_LETTERS, _LATIN_LETTERS, strict=True)
    }
)
_ALL_CAPS_DIGRAPHS = {"Љ": "LJ", "Њ": "NJ", "Џ": "DŽ"}
_DIGRAPH_CAPITAL_IN_CAPS_RE = caps_context_re("".join(_ALL_CAPS_DIGRAPHS))


def cyr_to_lat(text: str) -> str:
    """Serbian Cyrillic → Gaj Latin; every other character is left as it is."""
    text = _DIGRAPH_CAPITAL_IN_CAPS_RE.sub(lambda m: _ALL_CAPS_DIGRAPHS[m.group()], text)
    return text.translate(_CYR_TO_LAT)


# --- Latin → Cyrillic -----------------------------------------------------------------------

_LAT_TO_CYR = str.maketrans(
    {lat: cyr for cyr, lat in zip(_CYRILLIC_LETTERS, _LATIN_LETTERS, strict=True) if len(lat) == 1}
    | {
        lat.upper(): cyr.upper()
        for cyr, lat in zip(_CYRILLIC_LETTERS, _LATIN_LETTERS, strict=True)
        if len(lat) == 1
    }
    # Eth is what many keyboards offer for Đ; the single-character digraphs come from old
    # encodings and word processors.
    | {"Ð": "Ђ", "ð": "ђ"}
    | {"Ǆ": "Џ", "ǅ": "Џ", "ǆ": "џ", "Ǉ": "Љ", "ǈ": "Љ", "ǉ": "љ", "Ǌ": "Њ", "ǋ": "Њ", "ǌ": "њ"}
)
# Only the spellings a writer produces: lower, title and upper case. "lJ" is left as л + Ј.
_DIGRAPHS = tuple(
    (spelling, letter)
    for cyr, lat in (("љ", "lj"), ("њ", "nj"), ("џ", "dž"))
    for spelling, letter in (
        (lat, cyr),
        (lat.capitalize(), cyr.upper()),
        (lat.upper(), cyr.upper()),
    )
)


def _split_digraph_re() -> re.Pattern[str]:
    """Match the part of a word before a digraph that must be spelled as two letters.

    Built to begin with a plain character class, which lets re skip quickly to candidate
    letters; the word-start check and the choice of stem follow as look-behinds.
    """
    word_starts = [stem.split("|") for stem in SPLIT_DIGRAPH_STEMS] + [
        [prefix, root] for prefix in PREFIXES_ENDING_IN_D for root in ROOTS_STARTING_WITH_Ž
    ]
    word_starts += [["ne" + before, after] for before, after in word_starts]
    by_first_letter: dict[str, list[str]] = {}
    for before, after in word_starts:
        by_first_letter.setdefault(before[0], []).append(
            f"{re.escape(before[1:])}(?={re.escape(after)})"
        )
    first_letters = "".join(by_first_letter)
    return re.compile(
        f"[{first_letters}{first_letters.upper()}](?<!{LETTER}.)(?:"
        + "|".join(
            f"(?<=[{first}{first.upper()}])(?i:{'|'.join(rests)})"
            for first, rests in by_first_letter.items()
        )
        + ")"
    )


SPLIT_DIGRAPH_RE = _split_digraph_re()


def _spell_letters_apart(match: re.Match[str]) -> str:
    return match.group().translate(_LAT_TO_CYR)


def _gaj_to_cyrillic(text: str) -> str:
    text = SPLIT_DIGRAPH_RE.sub(_spell_letters_apart, text)
    for latin, cyrillic in _DIGRAPHS:
        text = text.replace(latin, cyrillic)
    return text.translate(_LAT_TO_CYR)


def lat_to_cyr(text: str) -> str:
    """Gaj Latin → Serbian Cyrillic, leaving foreign words, numerals and addresses in Latin.

    Text is brought to NFC first so that a decomposed č (c + combining caron) is one letter.
    """
    if not text.isascii():
        text = unicodedata.normalize("NFC", text)
    pieces = []
    done = 0
    for start, end in latin_only_spans(text):
        pieces.append(_gaj_to_cyrillic(text[done:start]))
        pieces.append(text[start:end])
        done = end
    pieces.append(_gaj_to_cyrillic(text[done:]))
    return "".join(pieces)
