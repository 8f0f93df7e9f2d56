from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontConfig(AppConfig):
    """The top layer: pages that gather several apps (home, dashboard, later "my work") and the
    whole-platform demo and scale data. It may import every app; no app imports it."""

    name = "mreza.front"
    verbose_name = _("Start pages")
