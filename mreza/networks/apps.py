from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworksConfig(AppConfig):
    name = "mreza.networks"
    verbose_name = _("Networks and partnerships")

    def ready(self):
        # models are loaded only now: the round page's cached parts follow their changes
        from mreza.networks import page_cache

        page_cache.connect_signals()
