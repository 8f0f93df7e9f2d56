from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentConfig(AppConfig):
    name = "mreza.assessment"
    verbose_name = _("Self-assessment")

    def ready(self):
        # models are loaded only now, so the section (which queries them) is imported here
        from mreza.assessment.sections import municipality_work
        from mreza.registry.sections import add_profile_section

        add_profile_section(municipality_work)
