"""Finding the parts of Latin text that Latin → Cyrillic must leave alone.

Those are web and e-mail addresses, @handles, foreign words (with q, w, x, y or a diacritic
Gaj Latin does not have; a hyphenated compound counts as one word, so Wi-Fi and x-zraci stay
whole) and Roman numerals. A capital I, V, MI … may also be a Serbian word or an initial;
ROMAN_NUMERAL_LOOKALIKES and the rules in _reads_as_serbian_word decide.

Every search starts with a cheap scan for a character that could begin such a span, because
most text has none and this runs over whole tables.
"""

import re
from itertools import chain

from .casing import LETTER, LOWER, NO_LETTER_BEFORE, NOT_LETTER, UPPER
from .serbian_exceptions import ROMAN_NUMERAL_LOOKALIKES

_URL_END = r"[^\s.,;:!?)\]»\"'”]"
_TOP_LEVEL_DOMAINS = "com|net|org|info|eu|rs|ba|bg|me|hr|si|mk|gov|edu|io"
_ADDRESS_HINT_RE = re.compile(r"@|://|www\.|\.[A-Za-z]")
_ADDRESS_RE = re.compile(
    rf"\b(?:https?://|ftp://|www\.)(?:\S*{_URL_END})?"  # URL
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail; starts where its run starts
    r"|(?<![\w.])@\w+"  # handle
    rf"|(?<![\w.@-])(?:[\w-]+\.)+(?i:{_TOP_LEVEL_DOMAINS})\b(?:/(?:\S*{_URL_END})?)?"  # domain
)

_GAJ_LETTERS_BEYOND_ASCII = set("ĆćČčĐđŠšŽžÐð") | {chr(cp) for cp in range(0x01C4, 0x01CD)}
_FOREIGN_LATIN_LETTERS = "qwxyQWXY" + "".join(
    letter
    for letter in map(chr, chain(range(0x00C0, 0x0250), range(0x1E00, 0x1F00)))
    if letter.isalpha() and letter not in _GAJ_LETTERS_BEYOND_ASCII
)
_FOREIGN_LETTER_RE = re.compile(f"[{_FOREIGN_LATIN_LETTERS}]")
_WORD = rf"{LETTER}+(?:-{LETTER}+)*"
_FOREIGN_WORD_RE = re.compile(
    rf"{NO_LETTER_BEFORE}(?<!{LETTER}-)"
    rf"(?=(?:{LETTER}|-(?={LETTER}))*[{_FOREIGN_LATIN_LETTERS}]){_WORD}"
)

ROMAN_NUMERAL_RE = re.compile(
    r"(?=[MDCLXVI])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
)
# Whole words made of numeral letters; ROMAN_NUMERAL_RE then checks that they are well formed.
_ROMAN_CANDIDATE_RE = re.compile(rf"[MDCLXVI](?<!{LETTER}.)[MDCLXVI]*{NOT_LETTER}")

_NEXT_WORD_RE = re.compile(rf"[ \t]+({LETTER}+)")
_PREVIOUS_WORD_RE = re.compile(rf"({LETTER}+)[ \t]+\Z")
_NEXT_WORD_IS_LOWER_RE = re.compile(rf"[ \t]+[{LOWER}]")
_NAME_AFTER_INITIAL_RE = re.compile(rf"\.[ \t]+[{UPPER}][{LOWER}]")
_OPENING_PUNCTUATION = " \t\"'„“”«»‹›([-–—"
_SENTENCE_END = ".!?…:\n"


def _is_caps_word(word: str | None) -> bool:
    return (
        word is not None
        and len(word) > 1
        and word.isupper()
        and not ROMAN_NUMERAL_RE.fullmatch(word)
    )


def _starts_sentence(text: str, position: int) -> bool:
    before = text[max(0, position - 200) : position].rstrip(_OPENING_PUNCTUATION)
    return not before or before[-1] in _SENTENCE_END


def _reads_as_serbian_word(text: str, word: str, start: int, end: int) -> bool:
    """Whether a capitalised word shaped like a Roman numeral is really a word or an initial."""
    if len(word) == 1 and _NAME_AFTER_INITIAL_RE.match(text, end):
        return True  # V. Petrović; headings are written "I. UVOD" or "I Uvod"
    if word == "I" and _starts_sentence(text, start) and _NEXT_WORD_IS_LOWER_RE.match(text, end):
        return True  # "I tako …" opening a sentence
    side = ROMAN_NUMERAL_LOOKALIKES.get(word)
    if side is None:
        return False
    next_word = _NEXT_WORD_RE.match(text, end)
    previous_word = _PREVIOUS_WORD_RE.search(text[max(0, start - 80) : start])
    caps_after = _is_caps_word(next_word and next_word.group(1))
    caps_before = _is_caps_word(previous_word and previous_word.group(1))
    if side == "both":
        return caps_before and caps_after
    if side == "next":
        return caps_after
    return caps_before or caps_after


def latin_only_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each part of `text` to keep in Latin, in order and not overlapping."""
    spans = []
    if _ADDRESS_HINT_RE.search(text):
        spans += [match.span() for match in _ADDRESS_RE.finditer(text)]
    if _FOREIGN_LETTER_RE.search(text):
        spans += [match.span() for match in _FOREIGN_WORD_RE.finditer(text)]
    for match in _ROMAN_CANDIDATE_RE.finditer(text):
        word, start, end = match.group(), match.start(), match.end()
        if ROMAN_NUMERAL_RE.fullmatch(word) and not _reads_as_serbian_word(text, word, start, end):
            spans.append((start, end))
    if len(spans) < 2:
        return spans
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept
