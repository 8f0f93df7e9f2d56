from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "mreza.evaluation"
    verbose_name = _("Self-evaluation and recognition")

    def ready(self):
        # /verify/<code>/ asks core/verification.py; the evaluation's certificates come first
        from mreza.core import verification
        from mreza.evaluation.views.recognition import verification_lookup

        verification.register(verification_lookup)
