"""Texts stored in several languages ({en, bs, hr, sr, bg}), shown in the reader's language (Serbian
Latin derived from Cyrillic). Framework texts use it, and so will every app that stores such
texts."""

from django.utils import translation

from mreza.text import cyr_to_lat


def localized(text, language=None):
    """A framework text mapping {en, bs, hr, sr, bg} rendered for the active UI language."""
    if not isinstance(text, dict):
        return text or ""
    language = (language or translation.get_language() or "en").lower()
    if language.startswith("sr"):
        # Four Serbian UI variants; a framework stores "sr" (and may store "sr-ijekavsk"), Latin is
        # derived.
        ijekavian = language.endswith("-ijekavsk")
        cyrillic = (text.get("sr-ijekavsk") if ijekavian else None) or text.get("sr")
        if not cyrillic:
            return text.get("en", "")
        return cyr_to_lat(cyrillic) if language.startswith("sr-latn") else cyrillic
    return text.get(language) or text.get("en", "")
