from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "mreza.core"
    verbose_name = _("Audit trail")

    def ready(self):
        from mreza.core import audit

        audit.connect_signals()
