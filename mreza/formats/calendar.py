"""Month names, translated in our own catalogues.

Django translates them in its catalogues, but it has none for the Serbian ijekavian variants
(``sr_Latn-ijekavsk`` would fall back to Django's Cyrillic ``sr`` and show "31. јануар 2023." to a
Latin reader), and its Bulgarian and Croatian names are capitalised. Our catalogues come first
(LOCALE_PATHS), so listing the msgids here puts them there; Django's ``date`` filter then uses them.
"""

from django.utils.translation import gettext_noop

MONTHS = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
)
