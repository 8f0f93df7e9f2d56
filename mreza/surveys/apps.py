from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    name = "mreza.surveys"
    verbose_name = _("Citizen satisfaction surveys")

    def ready(self):
        # models are loaded only now, so the section (which queries them) is imported here
        from mreza.registry.sections import add_profile_section
        from mreza.surveys.sections import municipality_surveys

        add_profile_section(municipality_surveys, "surveys/survey_profile_section.html")
