"""/practices/feed/: Atom feed of the library's latest published practices and published updates.

An entry's `updated` is its latest publication (a published update counts), so a feed reader
shows an updated practice again; the entries are ordered by it.
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from mreza.core.access import published_practices
from mreza.core.templatetags.mreza import localized, script
from mreza.practices.models import Practice, PracticeRevision
from mreza.registry.templatetags.places import place_name

ENTRIES = 30


class LatestPracticesFeed(Feed):
    feed_type = Atom1Feed
    title = _("Good practices of Mreža")
    subtitle = _("The latest good practices published in the library, and their updates.")

    def link(self):
        return reverse("practices:list")

    def feed_url(self):
        return reverse("practices:feed")

    def items(self):
        """The ENTRIES practices most lately published or updated: the newest of each kind read
        from their indexes and merged here (no grouping over the whole library)."""
        published = published_practices(Practice.objects.all())
        first = dict(
            published.order_by("-published_at", "-id").values_list("pk", "published_at")[:ENTRIES]
        )
        updates = PracticeRevision.objects.filter(practice__in=published).order_by(
            "-published_at", "-id"
        )
        last = dict(first)
        for practice_id, when in updates.values_list("practice_id", "published_at")[: ENTRIES * 2]:
            if when and (last.get(practice_id) is None or when > last[practice_id]):
                last[practice_id] = when
        items = list(
            published.filter(pk__in=list(last))
            .select_related("municipality__country")
            .prefetch_related("areas")
            .defer("problem", "actions", "results", "costs", "prerequisites", "search_document")
        )
        for item in items:
            item.last_published = max(
                (d for d in (last.get(item.pk), item.published_at) if d), default=None
            )
        items.sort(
            key=lambda item: (item.last_published is not None, item.last_published, item.pk),
            reverse=True,
        )
        return items[:ENTRIES]

    def item_title(self, item):
        return script(item.title)

    def item_description(self, item):
        return script(item.summary)

    def item_link(self, item):
        return reverse("practices:detail", args=[item.pk])

    def item_author_name(self, item):
        return str(place_name(item.municipality.name, item.municipality.country))

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.last_published or item.published_at

    def item_categories(self, item):
        return [f"{area.code} {localized(area.title)}" for area in item.areas.all()]
