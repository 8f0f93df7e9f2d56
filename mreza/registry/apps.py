from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "mreza.registry"
    verbose_name = _("Registry")

    def ready(self):
        from django.db.models.signals import post_migrate

        from mreza.registry import choices, search_index

        # SQLite drops triggers when a migration rebuilds a table: put the search index back.
        post_migrate.connect(search_index.on_post_migrate, sender=self)
        choices.connect_signals()
