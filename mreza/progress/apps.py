from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "mreza.progress"
    verbose_name = _("Progress: workspaces, plans and meetings")

    def ready(self):
        # Step 2 does not know step 3: a confirmed network or partnership opens its workspace here.
        from mreza.networks.models import Network, Partnership
        from mreza.progress import caching, sections
        from mreza.progress.services import workspaces
        from mreza.registry.sections import add_profile_section

        for model in (Network, Partnership):
            post_save.connect(
                workspaces.open_confirmed,
                sender=model,
                dispatch_uid=f"progress-open-{model.__name__}",
            )
        # the municipality page shows its public workspaces and "start a twinning"
        add_profile_section(sections.municipality_workspaces)
        # what the pages cache is forgotten when the rows it is made of change
        caching.connect_signals()
