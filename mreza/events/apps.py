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

        # the anonymous events list is kept rendered; any event or registration change forgets it
        from django.db.models.signals import post_delete, post_save

        from mreza.events.models import Event, Registration
        from mreza.events.views.events import PUBLIC_LIST
        from mreza.registry import choices

        def changed(sender, **kwargs):
            choices.changed(PUBLIC_LIST)

        for model in (Event, Registration):
            for signal in (post_save, post_delete):
                signal.connect(
                    changed,
                    sender=model,
                    weak=False,
                    dispatch_uid=f"events-list-{model.__name__}-{signal is post_save}",
                )
