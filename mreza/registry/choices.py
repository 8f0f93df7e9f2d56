"""Cached registry look-ups for pages everyone opens: the directory's country and region choices,
the map's countries and its rendered SVG.

Each cache key carries a version that a save or delete of the underlying rows bumps (signals
below), so a change shows at once in every worker that shares the cache (Redis in production;
a per-process memory cache otherwise, where the version bump reaches only that process — so the
memory cache also expires entries after a short timeout).

A versioned key never changes its value, so each process also keeps the entries it used lately
in memory (`_local`, bounded, same timeout): a page then costs one round trip to the cache (the
versions) instead of one per piece. A version starts at a random number, not at 1, so that after
the cache is flushed no new key can be one that a process still holds.
"""

import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from asgiref.local import Local
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import get_language

from mreza.registry.models import Country, Membership, Municipality, Organisation, Region
from mreza.registry.templatetags.places import place_name

# Regions and countries: what the directory filter offers. Municipalities: the map's points.
REGIONS, MUNICIPALITIES = "regions", "municipalities"
PREFIX = "mreza:registry"


def _timeout():
    backend = settings.CACHES["default"]["BACKEND"]
    # a safety net for bulk writes that bypass the signals (see `changed`)
    return 300 if backend.endswith("LocMemCache") else 3600


# Within one request each scope's version is read from the cache once (a page asks for several
# cached pieces); outside requests (commands, job threads) every call reads it afresh.
_request = Local()


def _request_began(**kwargs):
    _request.versions = {}


def _request_ended(**kwargs):
    _request.versions = None


# Every scope this process has asked for (the registry's own and those of the apps that keep
# their pieces here, e.g. progress/caching.py): the first look in a request fetches all their
# versions in one round trip, instead of one more for each further scope a page uses.
_known_scopes = {REGIONS: None, MUNICIPALITIES: None}


def version(scope):
    memo = getattr(_request, "versions", None)
    if memo is not None and not memo:
        keys = {f"{PREFIX}:version:{s}": s for s in tuple(_known_scopes)}
        memo.update((keys[k], v) for k, v in cache.get_many(list(keys)).items())
    if memo is not None and scope in memo:
        return memo[scope]
    _known_scopes.setdefault(scope, None)  # a dict for its order; read above as a snapshot
    key = f"{PREFIX}:version:{scope}"
    value = cache.get(key)
    if value is None:
        cache.add(key, _fresh_version(), None)
        value = cache.get(key) or _fresh_version()
    if memo is not None:
        memo[scope] = value
    return value


def bump(scope):
    key = f"{PREFIX}:version:{scope}"
    try:
        cache.incr(key)
    except ValueError:
        cache.set(key, _fresh_version(), None)
    memo = getattr(_request, "versions", None)
    if memo:
        memo.pop(scope, None)  # this request's own change shows in what it renders next


def _fresh_version():
    return secrets.randbits(48)


_local: OrderedDict = OrderedDict()  # key -> (expires at, value), least recently used first
_local_lock = threading.Lock()
LOCAL_ENTRIES = 256


def cached(scope, name, build, *parts):
    """`build()` once per version of `scope`, reader language and the given parts."""
    key = ":".join(str(p) for p in (PREFIX, scope, version(scope), name, get_language(), *parts))
    now = time.monotonic()
    with _local_lock:
        hit = _local.get(key)
        if hit is not None and hit[0] > now:
            _local.move_to_end(key)
            return hit[1]
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, _timeout())
    with _local_lock:
        _local[key] = (now + _timeout(), value)
        _local.move_to_end(key)
        while len(_local) > LOCAL_ENTRIES:
            _local.popitem(last=False)
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


@dataclass(frozen=True)
class CountryLabel:
    """What pages show of a country: its code, its name in the reader's language and the rules
    that transliterate its names (a plain value: cheaper to cache than a model instance)."""

    code: str
    name: str
    name_language: str

    def __str__(self):
        return self.name


def countries_by_id():
    """{country id: CountryLabel} of every country (the directory's rows, the map's tabs)."""
    return cached(
        REGIONS,
        "countries-by-id",
        lambda: {
            c.pk: CountryLabel(c.code, str(c), c.name_language) for c in Country.objects.all()
        },
    )


def region_names():
    """{region id: name in the reader's script} of every region (the directory's rows)."""
    return cached(
        REGIONS,
        "region-names",
        lambda: {
            r.pk: str(place_name(r.name, r.country))
            for r in Region.objects.select_related("country")
        },
    )


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
    """Invalidate now and again on commit (a page rendered meanwhile may have cached the old
    rows)."""
    for scope in scopes:
        bump(scope)
        transaction.on_commit(lambda scope=scope: bump(scope))


def _on_change(sender, **kwargs):
    if sender in (Country, Region):
        changed(REGIONS, MUNICIPALITIES)
    elif sender in (Municipality, Membership, Organisation):
        # a membership or an organisation's name shows in the cached profile facts
        changed(MUNICIPALITIES)


def _on_memberships_changed(sender, action, **kwargs):
    # municipality.memberships.add()/remove() write Membership rows without save()
    if action in ("post_add", "post_remove", "post_clear"):
        changed(MUNICIPALITIES)


def connect_signals():
    m2m_changed.connect(
        _on_memberships_changed, sender=Membership, dispatch_uid="registry-cache-memberships"
    )
    request_started.connect(_request_began, dispatch_uid="registry-cache-request-started")
    request_finished.connect(_request_ended, dispatch_uid="registry-cache-request-finished")
    for model in (Country, Region, Municipality, Membership, Organisation):
        post_save.connect(_on_change, sender=model, dispatch_uid=f"registry-cache-{model.__name__}")
        post_delete.connect(
            _on_change, sender=model, dispatch_uid=f"registry-cache-del-{model.__name__}"
        )
