from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "mreza.events"
    verbose_name = _("Events and the annual conference")

    def ready(self):
        # the one /verify/<code>/ page checks attendance certificates too
        from mreza.core import verification
        from mreza.events.sitemaps import EventSitemap
        from mreza.events.views.certificates import verification_lookup
        from mreza.practices import sitemaps

        verification.register(verification_lookup)
        sitemaps.register("events", EventSitemap)
