from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "mreza.accounts"
    verbose_name = _("People and roles")

    def ready(self):
        from mreza.accounts import signals  # noqa: F401  (connects the receivers)
