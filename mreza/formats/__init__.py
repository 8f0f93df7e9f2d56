"""Date and number formats where Django's own are wrong or missing (FORMAT_MODULE_PATH).

Django looks up ``mreza.formats.<locale>`` first and falls back to its own module per setting,
and for a locale such as ``sr_Ijekavsk`` or ``sr_Latn-ijekavsk`` to the language (``sr``).
"""
