"""Cached registry look-ups for pages everyone opens: the directory's country and region choices,
the map's countries and its rendered SVG.

Each cache key carries a version that a save or delete of the underlying rows bumps (signals
below), so a change shows at once in every worker that shares the cache (Redis in production;
a per-process memory cache otherwise, where the version bump reaches only that process — so the
memory cache also expires entries after a short timeout).
"""

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from mreza.registry.models import Country, Municipality, Region
from mreza.registry.templatetags.places import place_name

# Regions and countries: what the directory filter offers. Municipalities: the map's points.
REGIONS, MUNICIPALITIES = "regions", "municipalities"
PREFIX = "mreza:registry"


def _timeout():
    backend = settings.CACHES["default"]["BACKEND"]
    # a safety net for bulk writes that bypass the signals (see `changed`)
    return 300 if backend.endswith("LocMemCache") else 3600


def version(scope):
    key = f"{PREFIX}:version:{scope}"
    value = cache.get(key)
    if value is None:
        cache.add(key, 1, None)
        value = cache.get(key) or 1
    return value


def bump(scope):
    key = f"{PREFIX}:version:{scope}"
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, 2, None)


def cached(scope, name, build, *parts):
    """`build()` once per version of `scope`, reader language and the given parts."""
    key = ":".join(str(p) for p in (PREFIX, scope, version(scope), name, get_language(), *parts))
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, _timeout())
    return value


def country_choices():
    """[(code, name in the reader's language)] of every country, ordered by code."""
    return cached(
        REGIONS, "countries", lambda: [(c.code, str(c)) for c in Country.objects.order_by("code")]
    )


def region_choices(country_code=""):
    """[(code, name in the reader's script)] of the regions (of one country, if given)."""

    def build():
        regions = Region.objects.select_related("country").order_by(
            "country__code", "parent__name", "name"
        )
        if country_code:
            regions = regions.filter(country__code=country_code)
        return [(r.code, str(place_name(r.name, r.country))) for r in regions]

    return cached(REGIONS, "regions", build, country_code)


def map_countries():
    """Codes of the countries that have municipalities (the map's tabs)."""
    return cached(
        MUNICIPALITIES,
        "map-countries",
        lambda: sorted(
            Municipality.objects.order_by().values_list("country__code", flat=True).distinct()
        ),
    )


def changed(*scopes):
    """Invalidate now and again on commit (a page rendered meanwhile may have cached the old rows)."""
    for scope in scopes:
        bump(scope)
        transaction.on_commit(lambda scope=scope: bump(scope))


def _on_change(sender, **kwargs):
    if sender in (Country, Region):
        changed(REGIONS, MUNICIPALITIES)
    elif sender is Municipality:
        changed(MUNICIPALITIES)


def connect_signals():
    for model in (Country, Region, Municipality):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"registry-cache-{model.__name__}")
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"registry-cache-del-{model.__name__}"
        )
