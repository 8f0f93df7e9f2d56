"""Framework texts in the reader's language (Serbian Latin derived from Cyrillic)."""

from django.utils import translation

from mreza.text import cyr_to_lat


def localized(text, language=None):
    """A framework text mapping {en, bs, hr, sr, bg} rendered for the active UI language."""
    if not isinstance(text, dict):
        return text or ""
    language = language or translation.get_language() or "en"
    if language == "sr-latn":
        return cyr_to_lat(text.get("sr") or text.get("en", ""))
    return text.get(language) or text.get("en", "")
