"""The 17 UN Sustainable Development Goals a practice can name, once: the practice form's choices,
the library's filter and the practice page all read them here.

The names are lazy translations (they are read at import time, shown in each reader's language).
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SDG_NAMES = {
    1: gettext_lazy("No poverty"),
    2: gettext_lazy("Zero hunger"),
    3: gettext_lazy("Good health and well-being"),
    4: gettext_lazy("Quality education"),
    5: gettext_lazy("Gender equality"),
    6: gettext_lazy("Clean water and sanitation"),
    7: gettext_lazy("Affordable and clean energy"),
    8: gettext_lazy("Decent work and economic growth"),
    9: gettext_lazy("Industry, innovation and infrastructure"),
    10: gettext_lazy("Reduced inequalities"),
    11: gettext_lazy("Sustainable cities and communities"),
    12: gettext_lazy("Responsible consumption and production"),
    13: gettext_lazy("Climate action"),
    14: gettext_lazy("Life below water"),
    15: gettext_lazy("Life on land"),
    16: gettext_lazy("Peace, justice and strong institutions"),
    17: gettext_lazy("Partnerships for the goals"),
}

#: (number, name) pairs in the goals' order, for a form's choices
SDG_CHOICES = tuple(SDG_NAMES.items())


def sdg_label(number: int) -> str:
    """A goal's label ("SDG 11: Sustainable cities and communities") in the current language: a
    plain string, so that it can be cached with the library's filter choices."""
    return _("SDG %(number)s: %(name)s") % {"number": number, "name": SDG_NAMES.get(number, "")}
