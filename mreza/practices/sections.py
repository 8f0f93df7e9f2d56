"""The practices' part of the municipality page (to be registered in apps.py, see
registry.sections): the practices the reader may see, and "new practice" for its people. Worked
out only if the page shows them (lazily)."""

from django.core.cache import cache
from django.utils.functional import SimpleLazyObject

from mreza.core.access import Perm, may, practices_visible_to
from mreza.practices import search
from mreza.practices.models import Practice

SHOWN = 10
# anonymous readers all see the same published practices: kept under the library's version, which
# every change to a practice bumps (search.py), so the public page costs no query for them
PUBLIC_TIMEOUT = 3600


def municipality_practices(request, municipality):
    user = request.user

    def query():
        return list(
            practices_visible_to(user, Practice.objects.filter(municipality=municipality))
            .only("pk", "title", "status")
            .order_by("-published_at", "-updated_at", "id")[:SHOWN]
        )

    def visible():
        if user.is_authenticated:
            return query()
        key = f"mreza:practices:municipality:{search.library_version()}:{municipality.pk}"
        return cache.get_or_set(key, query, PUBLIC_TIMEOUT)

    return {
        "municipality_practices": SimpleLazyObject(visible),
        "may_start_practice": SimpleLazyObject(
            lambda: may(user, Perm.SUBMIT_PRACTICE, municipality)
        ),
    }
