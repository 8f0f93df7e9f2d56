from django import template
from django.utils import translation

from mreza.core import chrome
from mreza.core.context_processors import reader_script
from mreza.core.texts import localized as pick
from mreza.text import bg_to_lat, detect_script, to_script

register = template.Library()

# Letters Bulgarian uses and Serbian does not: text with them is transliterated by Bulgarian rules.
_BULGARIAN_ONLY = set("щъьюяйЩЪЬЮЯЙ")


@register.filter
def script(value):
    """User or registry text, shown in the reader's script (Serbian Cyrillic ↔ Latin)."""
    if value in (None, ""):
        return value
    text = str(value)
    target = reader_script()
    if target == "latn" and _BULGARIAN_ONLY.intersection(text):
        return bg_to_lat(text)
    if translation.get_language() == "bg" and detect_script(text) == "latn":
        # Bulgarian readers read Latin fine; Serbian Latin is not converted to Bulgarian letters.
        return text
    return to_script(text, target)


@register.simple_tag(takes_context=True)
def query_replace(context, **changes):
    """The current query string with some parameters replaced (for pagination and filters)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + params.urlencode() if params else "?"


@register.filter
def localized(value):
    """A framework text ({en, bs, hr, sr, bg}) in the reader's language."""
    return pick(value)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag(takes_context=True)
def main_nav(context):
    """The main navigation for this reader's roles (core/chrome.py keeps it rendered)."""
    return chrome.main_nav(context)


@register.simple_tag
def language_options():
    """The language choices of the header, the active one selected."""
    return chrome.language_options()


@register.simple_tag
def site_footer():
    return chrome.footer()
