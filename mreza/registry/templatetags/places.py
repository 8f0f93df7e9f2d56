"""Registry facts for templates: place names in the reader's script, population with its kind."""

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import formats
from django.utils.translation import gettext as _

from mreza.core.context_processors import reader_script
from mreza.core.templatetags.mreza import script
from mreza.text import bg_to_lat

register = template.Library()


@register.filter
def place_name(value, country=None):
    """A municipality (or, with its country, a region's name) in the reader's script.

    Bulgarian names stay Cyrillic for Cyrillic readers and use the Bulgarian transliteration law for
    Latin readers, whatever letters they happen to contain (Шумен → Shumen, not Šumen); other names
    follow the Serbian script rules of the `script` filter.
    """
    if value in (None, ""):
        return value
    if hasattr(value, "name") and hasattr(value, "country_id") and country is None:
        country, value = value.country, value.name
    if country is not None and getattr(country, "name_language", "sr") == "bg":
        return bg_to_lat(str(value)) if reader_script() == "latn" else str(value)
    return script(value)


def _when(m):
    if m.population_date:
        return formats.date_format(m.population_date, "DATE_FORMAT")
    return str(m.census_year) if m.census_year else ""


@register.filter
def population_fact(m):
    """“census, 30 Sep 2022” / “estimate, 31 Dec 2023”: what kind of figure this is and when."""
    if m.population is None:
        return ""
    when = _when(m)
    if m.population_kind == "estimate":
        return _("estimate, %(date)s") % {"date": when} if when else _("estimate")
    if m.population_kind == "census" or m.census_year:
        return _("census, %(date)s") % {"date": when} if when else _("census")
    return _("date not known")


@register.filter
def population_short(m):
    """A compact note for tables: “census 2022”, “estimate 2023”."""
    if m.population is None:
        return ""
    year = m.population_year
    if m.population_kind == "estimate":
        return _("estimate %(year)s") % {"year": year} if year else _("estimate")
    if year:
        return _("census %(year)s") % {"year": year}
    return ""


@register.filter
def population_figure(m):
    """The figure with its kind and date, or “not known”."""
    if m.population is None:
        return _("not known")
    return f"{intcomma(m.population)} ({population_fact(m)})"
