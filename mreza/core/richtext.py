"""The one way rich text enters and leaves the platform (a practice's "what was done", an event's
description): an allow-list sanitiser over nh3, pure Python.

Municipal officers type plain text more often than HTML, so text without any tag becomes
paragraphs (a blank line between them) and line breaks, escaped: "<" typed in a sentence stays a
"<". Whatever HTML there is keeps only the tags below; scripts, styles, frames and their content
go; links only to http(s) and mailto addresses, marked rel="noopener noreferrer nofollow" so the
linked page cannot reach back to ours and we lend it no ranking. Text is stored sanitised and
sanitised again when shown (a row changed in the database is cleaned too).
"""

import html
import re
from collections.abc import Callable

import nh3

TAGS = frozenset(
    {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "u", "a", "h3", "h4", "blockquote"}
)
# removed with everything inside them, not just unwrapped
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "svg", "math"})
URL_SCHEMES = frozenset({"http", "https", "mailto"})
LINK_REL = "noopener noreferrer nofollow"
_TAG_RE = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
_PARAGRAPH_BREAK_RE = re.compile(r"\n[ \t]*\n+")
# the parts of sanitised HTML that are not text: tags and character references
_ANY_TAG_RE = re.compile(r"<[^>]*>")
_MARKUP_RE = re.compile(r"(<[^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);)")
_LINE_END_RE = re.compile(r"</p>|<br>|</li>|</h[34]>|</blockquote>")


def _allowed_link(tag, attribute, value):
    if tag == "a" and attribute == "href":
        scheme = value.strip().lower().split(":", 1)[0] if ":" in value else ""
        return value if scheme in URL_SCHEMES else None
    return value


def _paragraphs(text: str) -> str:
    """Plain text as HTML paragraphs (escaped)."""
    blocks = [b.strip() for b in _PARAGRAPH_BREAK_RE.split(text.replace("\r\n", "\n"))]
    return "".join(
        "<p>" + html.escape(block).replace("\n", "<br>") + "</p>" for block in blocks if block
    )


def sanitise(text: str | None) -> str:
    """Safe HTML for `text` (plain text or HTML as typed)."""
    text = str(text or "")
    if not text.strip():
        return ""
    if not _TAG_RE.search(text):
        text = _paragraphs(text)
    return nh3.clean(
        text,
        tags=set(TAGS),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={"a": {"href"}},
        attribute_filter=_allowed_link,
        url_schemes=set(URL_SCHEMES),
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


def plain_text(sanitised: str, *, keep_lines: bool = False) -> str:
    """The words of sanitised HTML: on one line (search, checks for emptiness) or, with
    `keep_lines`, a line per paragraph and list item (a calendar entry, an e-mail)."""
    if keep_lines:
        lines = _ANY_TAG_RE.sub("", _LINE_END_RE.sub("\n", sanitised))
        return html.unescape(lines).strip()
    return html.unescape(re.sub(r"\s+", " ", _ANY_TAG_RE.sub(" ", sanitised))).strip()


def in_script(sanitised: str, convert: Callable[[str], str]) -> str:
    """Sanitised HTML with its text (not its tags or entities) passed through `convert`, e.g. to
    show Serbian in the reader's script without turning <p> into <п>."""
    return "".join(
        part if _MARKUP_RE.fullmatch(part) else convert(part)
        for part in _MARKUP_RE.split(sanitised or "")
        if part
    )
