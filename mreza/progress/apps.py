from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "mreza.progress"
    verbose_name = _("Progress: workspaces, plans and meetings")

    def ready(self):
        # Step 2 does not know step 3: a confirmed network or partnership opens its workspace here.
        from mreza.networks.models import Network, Partnership
        from mreza.progress.services import workspaces

        for model in (Network, Partnership):
            post_save.connect(
                workspaces.open_confirmed,
                sender=model,
                dispatch_uid=f"progress-open-{model.__name__}",
            )
