from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "mreza.evaluation"
    verbose_name = _("Self-evaluation and recognition")
