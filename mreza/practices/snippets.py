"""Search snippets with the matched words marked, made from the text as written — pure Python.

The index holds folded text (no diacritics, one script), which is not fit to show. So the words
are found again in the original: each word of the text is folded on its own and compared with
the folded query terms (the last term as a prefix, as the search treats it). Everything that is
not a `<mark>` is escaped, so the result is safe HTML.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence

from mreza.text import fold

_WORD_RE = re.compile(r"\w+")
_SPACE_RE = re.compile(r"\s+")
ELLIPSIS = "…"


def _matcher(terms: Sequence[str]) -> Callable[[str], bool]:
    exact = frozenset(terms[:-1]) if terms else frozenset()
    prefix = terms[-1] if terms else ""

    def matches(word: str) -> bool:
        folded = fold(word)
        if not folded:
            return False
        # a word may fold to several (rare: letters fold apart); any of them counts
        return any(part in exact or (prefix and part.startswith(prefix)) for part in folded.split())

    return matches


def _matched_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    if not terms:
        return []
    matches = _matcher(terms)
    return [m.span() for m in _WORD_RE.finditer(text) if matches(m.group())]


def highlight(text: str, terms: Sequence[str]) -> str:
    """`text` escaped, with every word that matches a term wrapped in <mark>."""
    text = text or ""
    return _mark(text, _matched_spans(text, terms))


def _mark(text: str, spans: Sequence[tuple[int, int]], offset: int = 0) -> str:
    out = []
    position = 0
    for start, end in spans:
        start, end = start - offset, end - offset
        if start < position or end > len(text):
            continue
        out.append(html.escape(text[position:start]))
        out.append("<mark>" + html.escape(text[start:end]) + "</mark>")
        position = end
    out.append(html.escape(text[position:]))
    return "".join(out)


def snippet(text: str, terms: Sequence[str], width: int = 220) -> str:
    """About `width` characters of `text` around its first matched word, matches marked; the
    beginning of the text when nothing matches. Cut at spaces, with an ellipsis where cut."""
    text = _SPACE_RE.sub(" ", text or "").strip()
    spans = _matched_spans(text, terms)
    if len(text) <= width:
        return _mark(text, spans)
    first = spans[0][0] if spans else 0
    start = max(0, first - width // 3)
    if start:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    inside = [(s, e) for s, e in spans if s >= start and e <= end]
    body = _mark(text[start:end], inside, start)
    return (ELLIPSIS if start else "") + body + (ELLIPSIS if end < len(text) else "")


def best_snippet(texts: Sequence[str], terms: Sequence[str], width: int = 220) -> str:
    """The snippet of the text that matches the most distinct terms (the first on a tie)."""
    best, best_score = "", -1
    for text in texts:
        if not text:
            continue
        words = {fold(text[s:e]) for s, e in _matched_spans(text, terms)}
        if len(words) > best_score:
            best, best_score = text, len(words)
    return snippet(best, terms, width)
