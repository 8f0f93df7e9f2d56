"""The parts of every page that hold only translated labels and reversed URLs (main navigation,
language choices, footer), rendered once per process for each language, URL prefix and set of
navigation flags, and then reused.

Why: they were a third of the work of a cached public page (30 translations and 12 URL reversals
per request, issue 10). What they show changes only with a deploy (templates, catalogues, URL
configuration), never with data, so nothing has to invalidate them at run time; a changed setting
(tests) empties them.
"""

import functools

from django.conf import settings
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.test.signals import setting_changed
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

NAV_FLAGS = ("signed_in", "is_network_coordinator", "reviews_practices", "is_platform_admin")


@functools.lru_cache(maxsize=512)
def _rendered(template_name: str, language: str, prefix: str, flags: tuple) -> SafeString:
    # the key's language is the active one (the caller reads it): render under it as given
    with translation.override(language):
        return mark_safe(render_to_string(template_name, dict(flags)))  # noqa: S308 (our template)


def _current_language() -> str:
    return translation.get_language() or settings.LANGUAGE_CODE


def fragment(template_name: str, **flags) -> SafeString:
    """`template_name` rendered with `flags` (hashable values) in the active language."""
    return _rendered(
        template_name, _current_language(), get_script_prefix(), tuple(sorted(flags.items()))
    )


def main_nav(context) -> SafeString:
    user = context.get("user")
    flags = {name: bool(context.get(name)) for name in NAV_FLAGS[1:]}
    flags["signed_in"] = bool(user is not None and user.is_authenticated)
    return fragment("core/chrome/nav.html", **flags)


def language_options() -> SafeString:
    language = _current_language()
    return fragment(
        "core/chrome/language_options.html",
        languages=tuple(tuple(pair) for pair in settings.LANGUAGES),
        current=language,
    )


def footer() -> SafeString:
    return fragment("core/chrome/footer.html")


@receiver(setting_changed)
def _forget(**_kwargs):
    _rendered.cache_clear()
