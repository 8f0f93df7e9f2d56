"""Template filters of the events: rich text cleaned again and shown in the reader's script."""

import datetime

from django import template
from django.utils.safestring import mark_safe

from mreza.core import richtext
from mreza.core.templatetags.mreza import script

register = template.Library()


@register.filter
def rich(value):
    """A stored description as safe HTML: cleaned once more (a row changed in the database stays
    harmless), its text in the reader's script."""
    return mark_safe(richtext.in_script(richtext.sanitise(value), script))  # noqa: S308  cleaned by nh3


@register.filter
def parse_day(value):
    """A day stored as ISO text in a certificate's statement, as a date (for |date)."""
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None
