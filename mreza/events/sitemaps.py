"""The events' section of /sitemap.xml: published (and cancelled, which say so) events, never
drafts — the policy's own queryset for an anonymous visitor."""

from django.contrib import sitemaps
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from mreza.core.access import events_visible_to
from mreza.events.models import Event


class EventSitemap(sitemaps.Sitemap):
    changefreq = "weekly"
    priority = 0.5
    limit = 5000

    def items(self):
        return events_visible_to(AnonymousUser(), Event.objects.all()).only("id").order_by("id")

    def location(self, item):
        return reverse("events:detail", args=[item.pk])
