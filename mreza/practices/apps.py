from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PracticesConfig(AppConfig):
    name = "mreza.practices"
    verbose_name = _("Good practices")

    def ready(self):
        from django.db.models.signals import post_migrate, post_save

        from mreza.networks.models import Partnership
        from mreza.practices import search
        from mreza.practices.sections import municipality_practices
        from mreza.practices.services import transfer
        from mreza.registry.sections import add_profile_section

        # search_document, the full-text index and the cached filter choices follow every change
        search.connect_signals()
        post_migrate.connect(search.on_post_migrate, sender=self)
        add_profile_section(municipality_practices, "practices/_municipality_card.html")

        # a confirmed partnership that came from a transfer request confirms the request
        def partnership_saved(sender, instance, **kwargs):
            transfer.partnership_confirmed(instance)

        post_save.connect(partnership_saved, sender=Partnership, weak=False)
